"""Signal receivers. Each only relays to an action, an event, the page
cache's versions, the search index or the statistics' summary rows."""

from allauth.account.signals import user_signed_up
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_save,
)
from django.dispatch import receiver
from django.utils import timezone, translation

from board import page_cache, search_index, statistics, tasks
from board.actions import api_tokens_revoke_all, user_grant_role, user_language_set
from board.actions.holidays import holidays_import
from board.models import (
    AuthorShownAs,
    Category,
    Department,
    DepartmentDeadline,
    FollowUp,
    Holiday,
    Message,
    MessageAttachment,
    MessageEvent,
    MessageFollow,
    Official,
    Rating,
    Region,
    Reply,
    Transfer,
)
from board.realtime.events import (
    auth_revoked_event,
    group_send_now,
    session_group,
    user_group,
)
from board.roles import Role


def _changes_any(update_fields, fields: frozenset[str]) -> bool:
    return update_fields is None or not fields.isdisjoint(update_fields)


@receiver(user_signed_up, dispatch_uid="board.user_signed_up")
def make_new_user_a_citizen(sender, request, user, **kwargs):
    user_grant_role(user=user, role=Role.CITIZEN)


@receiver(user_signed_up, dispatch_uid="board.signup_language")
def remember_signup_language(sender, request, user, **kwargs):
    """Emails come in the language the user signed up in, until they switch."""
    user_language_set(user=user, language=translation.get_language() or "")


@receiver(user_logged_out, dispatch_uid="board.close_sockets_on_logout")
def close_sockets_of_session(sender, request, user, **kwargs):
    """The sockets opened with this login end with it."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        group_send_now(session_group(session_key), auth_revoked_event())


@receiver(user_logged_out, dispatch_uid="board.revoke_api_tokens_on_logout")
def revoke_api_tokens_on_logout(sender, request, user, **kwargs):
    """Logging out of the site ends the account's API tokens as well: a
    shared computer's user who logs out leaves nothing that still works."""
    if user is not None and user.pk is not None:
        api_tokens_revoke_all(user=user)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="board.revoke_on_change")
def close_sockets_on_password_change_or_deactivation(
    sender, instance, update_fields=None, **kwargs
):
    """A socket's user is fixed at connect time, so a new password or a
    deactivated account must end the user's open sockets, and its API
    tokens. A save of other fields alone (a sign-in's ``last_login``) is
    not read."""
    if instance.pk is None or not _changes_any(
        update_fields, frozenset({"password", "is_active"})
    ):
        return
    old = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["password"] != instance.password or (
        old["is_active"] and not instance.is_active
    ):
        # API tokens end with the password that issued them: revoked in the
        # same transaction as the change.
        api_tokens_revoke_all(user=instance)
        group = user_group(instance.pk)
        transaction.on_commit(lambda: group_send_now(group, auth_revoked_event()))


@receiver(
    m2m_changed,
    sender=get_user_model().groups.through,
    dispatch_uid="board.revoke_on_role_removed",
)
def close_sockets_on_role_removed(sender, instance, action, reverse, pk_set, **kwargs):
    """Roles are groups, and a socket joins the moderation queue's group at
    connect time: a user who loses a role must reconnect as who they are
    now. Either side of the relation may change it (``user.groups.remove``,
    ``group.user_set.remove``, ``clear`` on both)."""
    if action not in {"post_remove", "pre_clear"}:
        return
    if not reverse:  # instance is the user
        user_ids = [instance.pk]
    elif action == "pre_clear":  # instance is the group, about to lose all
        user_ids = list(instance.user_set.values_list("pk", flat=True))
    else:
        user_ids = list(pk_set or ())
    groups = [user_group(user_id) for user_id in user_ids]

    def send():
        for group in groups:
            group_send_now(group, auth_revoked_event())

    transaction.on_commit(send)


# --- Cached anonymous pages (board/page_cache.py) --------------------------------

# A message's parts: a change to any shows on its page, and on the board's
# lists once the message has been published.
MESSAGE_PARTS = (
    Reply,
    Rating,
    FollowUp,
    MessageEvent,
    MessageAttachment,
    MessageFollow,
)
# What every page may show: names, addressees, categories, deadlines.
REFERENCE_DATA = (Region, Department, Official, Category, Holiday, DepartmentDeadline)


def _was_ever_on_board(message) -> bool:
    """Published at some point: hiding or withdrawing it changes the lists
    too. A message still awaiting review shows on no public page."""
    return message is not None and message.published_at is not None


@receiver(post_save, sender=Message, dispatch_uid="board.pages_message_saved")
@receiver(post_delete, sender=Message, dispatch_uid="board.pages_message_deleted")
def message_saved(sender, instance, **kwargs):
    page_cache.message_changed(
        instance.pk,
        on_board=_was_ever_on_board(instance),
        inboxes=_inboxes_of(
            instance.addressee_official_id, instance.addressee_department_id
        ),
    )


def _inboxes_of(official_id, department_id) -> list[str]:
    return page_cache.inbox_version_names(
        [official_id] if official_id else [], [department_id] if department_id else []
    )


@receiver(post_save, sender=Reply, dispatch_uid="board.inbox_reply_saved")
@receiver(post_delete, sender=Reply, dispatch_uid="board.inbox_reply_deleted")
def reply_saved_for_inbox(sender, instance, **kwargs):
    """An inbox row counts its message's drafts awaiting sign-off."""
    field = sender._meta.get_field("message")
    if field.is_cached(instance):
        message = field.get_cached_value(instance)
        addressees = (message.addressee_official_id, message.addressee_department_id)
    else:
        addressees = (
            Message.objects.filter(pk=instance.message_id)
            .values_list("addressee_official_id", "addressee_department_id")
            .first()
        )
    if addressees is not None:
        page_cache.bump(*_inboxes_of(*addressees))


# What an author's masked name (王**) is made from.
PUBLIC_NAME_FIELDS = ("username", "display_name", "deleted_at")


@receiver(pre_save, sender=get_user_model(), dispatch_uid="board.pages_author_renamed")
def author_renamed(sender, instance, update_fields=None, **kwargs):
    """The public sees an author as the first character of their name, or
    匿名 once the account is erased: a change to that is a change to each
    of their published messages that shows the name, and to the lists."""
    if instance.pk is None or not _changes_any(
        update_fields, frozenset(PUBLIC_NAME_FIELDS)
    ):
        return
    stored = sender.objects.filter(pk=instance.pk).values(*PUBLIC_NAME_FIELDS).first()
    if stored is None:
        return
    new = {field: getattr(instance, field) for field in PUBLIC_NAME_FIELDS}
    before = Message.author_name_for_public(
        AuthorShownAs.MASKED, sender.public_name(**stored)
    )
    after = Message.author_name_for_public(
        AuthorShownAs.MASKED, sender.public_name(**new)
    )
    if before == after:
        return
    shown_on = (
        Message.objects.filter(author_id=instance.pk, published_at__isnull=False)
        .exclude(author_shown_as=AuthorShownAs.ANONYMOUS)
        .values_list("pk", flat=True)
    )
    names = [page_cache.message_version_name(pk) for pk in shown_on]
    if names:
        page_cache.bump(page_cache.LISTS, *names)


@receiver(post_save, sender=Transfer, dispatch_uid="board.pages_transfer_saved")
def transfer_saved(sender, instance, created, **kwargs):
    """A transferred message left its former addressee's inbox (the message's
    own save tells the new one)."""
    if created:
        page_cache.bump(
            *_inboxes_of(instance.from_official_id, instance.from_department_id)
        )


def message_part_saved(sender, instance, **kwargs):
    # The message as the action loaded it; without it, count it as on the
    # board rather than read it (it may be gone: a cascade).
    field = sender._meta.get_field("message")
    if field.is_cached(instance):
        on_board = _was_ever_on_board(field.get_cached_value(instance))
    else:
        on_board = True
    page_cache.message_changed(instance.message_id, on_board=on_board)


def reference_data_saved(sender, **kwargs):
    page_cache.reference_changed()


for _model in MESSAGE_PARTS:
    post_save.connect(
        message_part_saved, sender=_model, dispatch_uid=f"board.pages_{_model.__name__}"
    )
    post_delete.connect(
        message_part_saved,
        sender=_model,
        dispatch_uid=f"board.pages_{_model.__name__}_deleted",
    )
for _model in REFERENCE_DATA:
    post_save.connect(
        reference_data_saved,
        sender=_model,
        dispatch_uid=f"board.pages_{_model.__name__}",
    )
    post_delete.connect(
        reference_data_saved,
        sender=_model,
        dispatch_uid=f"board.pages_{_model.__name__}_deleted",
    )


# --- The search index (board/search_index.py) --------------------------------


@receiver(post_save, sender=Message, dispatch_uid="board.search_message_saved")
def message_saved_for_search(sender, instance, update_fields=None, **kwargs):
    """A new message, or a save that may change its public text (not a
    claim, a deadline or a 同问 count), refreshes its search document."""
    if _changes_any(update_fields, search_index.MESSAGE_TEXT_FIELDS):
        search_index.search_document_refresh_on_commit(instance.pk)


@receiver(post_save, sender=Reply, dispatch_uid="board.search_reply_saved")
@receiver(post_delete, sender=Reply, dispatch_uid="board.search_reply_deleted")
def reply_saved_for_search(sender, instance, update_fields=None, **kwargs):
    """A reply published, hidden, restored or redacted changes what the
    public reads of its message."""
    if _changes_any(update_fields, search_index.REPLY_TEXT_FIELDS):
        search_index.search_document_refresh_on_commit(instance.message_id)


# --- The statistics' summary rows (board/statistics.py) ----------------------


@receiver(post_save, sender=Message, dispatch_uid="board.stats_message_saved")
@receiver(post_delete, sender=Message, dispatch_uid="board.stats_message_deleted")
def message_saved_for_statistics(sender, instance, update_fields=None, **kwargs):
    """A save that changes something counted (a status, the addressee, a
    reply's facts; not a claim or a 同问) recounts the day it was received."""
    if _changes_any(update_fields, statistics.COUNTED_FIELDS):
        statistics.figures_count_on_commit(
            statistics.received_day(instance), tasks.statistics_day_recount_soon
        )


@receiver(post_save, sender=Rating, dispatch_uid="board.stats_rating_saved")
@receiver(post_delete, sender=Rating, dispatch_uid="board.stats_rating_deleted")
def rating_saved_for_statistics(sender, instance, **kwargs):
    created_at = (
        Message.objects.filter(pk=instance.message_id)
        .values_list("created_at", flat=True)
        .first()
    )
    if created_at is not None:
        statistics.figures_count_on_commit(
            timezone.localdate(created_at), tasks.statistics_day_recount_soon
        )


# --- The working calendar (board/actions/holidays.py) ------------------------


@receiver(post_migrate, dispatch_uid="board.holidays_import_on_first_migrate")
def holidays_import_on_first_migrate(sender, using, apps=None, **kwargs):
    """The State Council's holidays on the first migrate: only into an empty
    calendar, so that administrators' edits and deletions stand afterwards."""
    if sender.label != "board" or not settings.ZHITONG_IMPORT_HOLIDAYS_ON_MIGRATE:
        return
    try:
        apps.get_model("board", "Holiday")
    except (AttributeError, LookupError):
        return  # migrated back before the calendar existed
    if not Holiday.objects.using(using).exists():
        holidays_import(using=using)
