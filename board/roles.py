"""Roles are Django groups; these helpers are the only place that knows so."""

import functools
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    MODERATOR = "moderator", _("moderator")
    OFFICIAL = "official", _("official")
    HANDLER = "handler", _("department staff")
    ADMIN = "admin", _("administrator")


def user_roles(user) -> list[str]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_zhitong_roles", None)
    if cached is None:
        alias = router.db_for_read(get_user_model())
        with connections[alias].cursor() as cursor:
            cursor.execute(_group_names_sql(), [user.pk])
            cached = _roles_named({name for (name,) in cursor.fetchall()})
        user._zhitong_roles = cached
    return cached


def _roles_named(group_names: set[str]) -> list[str]:
    """The roles among a user's groups, in ``Role``'s order; other groups
    are no role."""
    return [role.value for role in Role if role.value in group_names]


@functools.cache
def _group_names_sql() -> str:
    """The names of a user's groups, as ``user.groups.values_list("name")``
    reads them. Every signed-in page asks, so the statement is written once
    rather than composed by the ORM each time: 0.8 ms a page that way, 0.3
    ms so (in-process; docs/benchmarks.md)."""
    relation = get_user_model()._meta.get_field("groups").remote_field
    memberships = relation.through._meta
    groups = relation.model._meta
    user_id = memberships.get_field(relation.field.m2m_field_name()).column
    group_id = memberships.get_field(relation.field.m2m_reverse_field_name()).column
    return (
        f"SELECT g.{groups.get_field('name').column}"  # noqa: S608
        f" FROM {groups.db_table} g JOIN {memberships.db_table} m"
        f" ON m.{group_id} = g.{groups.pk.column} WHERE m.{user_id} = %s"
    )


def load_roles(users: Iterable) -> None:
    """Reads the roles of many users in one query, so that ``user_roles``
    of each (a timeline's actors, say) needs none. One user may come as
    several objects (one per row that names them): each gets the roles."""
    pending: dict[int, list] = {}
    for user in users:
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "_zhitong_roles", None) is None
        ):
            pending.setdefault(user.pk, []).append(user)
    if not pending:
        return
    names: dict[int, set[str]] = {pk: set() for pk in pending}
    memberships = pending[next(iter(pending))][0].groups.through.objects
    for user_id, name in memberships.filter(user_id__in=pending).values_list(
        "user_id", "group__name"
    ):
        names[user_id].add(name)
    for pk, same_user in pending.items():
        roles = _roles_named(names[pk])
        for user in same_user:
            user._zhitong_roles = roles


def has_role(user, role: Role) -> bool:
    return role.value in user_roles(user)


def is_moderator(user) -> bool:
    """Moderators and admins may see and act on every message."""
    return has_role(user, Role.MODERATOR) or has_role(user, Role.ADMIN)


def is_staff_member(user) -> bool:
    """Anyone with more than a citizen's rights, or with admin access: the
    people the idle timeout and the second factor apply to."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(role != Role.CITIZEN.value for role in user_roles(user))
