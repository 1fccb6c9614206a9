"""Reads of notifications: catch-up after an id, unread count, preferences,
and what a recipient may read of each notification's message now."""

import functools
from collections.abc import Iterable

from django.db import connections, router
from django.urls import reverse
from django.utils import timezone

from board.languages import choice_label
from board.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    User,
)
from board.permissions import message_title_for
from board.realtime.events import message_frame_parts, notification_frame
from board.selectors.messages import KeysetPage, board_page

NOTIFICATION_PAGE_SIZE = 25

# What a notification's title check needs without a query per message.
MESSAGE_RELATIONS = ("message", "message__addressee_official")


# What a page of the notification centre (board/notifications.html) and
# ``with_message_titles`` (permissions.message_title_for) read.
NOTIFICATION_PAGE_FIELDS = (
    "recipient_id",
    "kind",
    "payload",
    "created_at",
    "read_at",
    "message__reference",
    "message__title",
    "message__public_title",
    "message__is_redacted",
    "message__is_public",
    "message__status",
    "message__author_id",
    "message__addressee_official_id",
    "message__addressee_department_id",
    "message__addressee_official__department_id",
)


def preference_for(user_id: int, kind: str) -> str:
    channel = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return channel or NotificationChannel.EMAIL


# --- Reading ---


def notifications_after(user: User, after: int = 0, limit: int = 200):
    """Everything after the last id a client saw, oldest first: catch-up."""
    return list(
        Notification.objects.filter(recipient=user, pk__gt=after)
        .select_related(*MESSAGE_RELATIONS)
        .order_by("pk")[:limit]
    )


def notification_page(
    user: User, *, cursor: str = "", size: int = NOTIFICATION_PAGE_SIZE
) -> KeysetPage:
    """One page of the notification centre by keyset on the id, newest
    first; each with ``message_title``, ``kind_label``, ``message_url`` and
    ``shown_at`` (local time)."""
    page = board_page(
        Notification.objects.filter(recipient=user)
        .select_related(*MESSAGE_RELATIONS)
        # The page shows a title and a link: of the message's fifty columns
        # only what ``with_message_titles`` reads.
        .only(*NOTIFICATION_PAGE_FIELDS)
        .order_by("-pk"),
        cursor=cursor,
        size=size,
    )
    notifications = with_message_titles(user, page.items)
    message_url = reverse("board:message_detail", args=[1]).removesuffix("1/")
    for notification in notifications:
        notification.kind_label = choice_label(NotificationKind, notification.kind)
        notification.shown_at = timezone.localtime(notification.created_at)
        notification.message_url = (
            f"{message_url}{notification.message_id}/"
            if notification.message_id
            else ""
        )
    return KeysetPage(items=notifications, next_cursor=page.next_cursor)


def with_message_titles(
    user: User, notifications: Iterable[Notification]
) -> list[Notification]:
    """Set ``message_title`` on each: its message's title as ``user`` may
    read it now (a message hidden since shows a neutral title)."""
    notifications = list(notifications)
    titles: dict[int | None, str] = {}
    for notification in notifications:
        message = notification.message
        if message is None:
            notification.message_title = ""
            continue
        if message.pk not in titles:
            titles[message.pk] = str(message_title_for(user, message))
        notification.message_title = titles[message.pk]
    return notifications


def notification_frames(user: User, notifications: Iterable[Notification]) -> list:
    """The frames of ``user``'s notifications (API and socket catch-up)."""
    return [
        notification_frame(
            notification,
            message_frame_parts(notification.message, notification.message_title),
        )
        for notification in with_message_titles(user, notifications)
    ]


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def bell_figures(user: User) -> tuple[int, int]:
    """What the bell on every page shows: the unread count, and the newest
    notification's id (where the socket resumes), in one query.

    Every signed-in page asks, so the statement is written once here rather
    than built by the ORM each time: ``aggregate()`` spent about 0.6 of its
    1.0 ms a page composing the query (in-process, a million messages;
    docs/benchmarks.md). The router picks the database, as for the ORM's
    reads (board/replicas.py)."""
    alias = router.db_for_read(Notification)
    with connections[alias].cursor() as cursor:
        cursor.execute(_bell_sql(), [user.pk])
        unread, last = cursor.fetchone()
    return unread, last or 0


@functools.cache
def _bell_sql() -> str:
    # Names from the model, never from input.
    table = Notification._meta.db_table
    read_at = Notification._meta.get_field("read_at").column
    recipient = Notification._meta.get_field("recipient").column
    pk = Notification._meta.pk.column
    return (
        f"SELECT COUNT(*) FILTER (WHERE {read_at} IS NULL), MAX({pk})"  # noqa: S608
        f" FROM {table} WHERE {recipient} = %s"
    )


def preferences_of(user: User) -> dict[str, str]:
    return dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
    )
