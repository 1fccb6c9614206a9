"""Account actions: the remembered language, 长辈模式 and role grants."""

from django.conf import settings

from board.models import (
    User,
)


def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language a user chose; their emails come in it.

    An unknown code changes nothing. Answers whether it changed.
    """
    if not user.is_authenticated or language not in dict(settings.LANGUAGES):
        return False
    if user.language == language:
        return False
    user.language = language
    User.objects.filter(pk=user.pk).update(language=language)
    return True


def user_elder_mode_set(*, user: User, is_on: bool) -> bool:
    """Remember 长辈模式 (elder mode) for the account, so that it follows
    the user to every browser they sign in on. Answers whether it changed."""
    if not user.is_authenticated or user.elder_mode == is_on:
        return False
    user.elder_mode = is_on
    User.objects.filter(pk=user.pk).update(elder_mode=is_on)
    return True


def user_grant_role(*, user: User, role: str) -> None:
    """Add a role (a group) to a user; granting one twice changes nothing."""
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if hasattr(user, "_zhitong_roles"):
        del user._zhitong_roles
