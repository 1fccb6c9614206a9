"""Notifications: a row in the action's transaction, a push after commit,
and an email (or a place in the daily digest) for people who are away.

The row is the truth. The push is best effort: a client that missed it asks
for everything after the last id it saw (``notifications_after``).
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from board import delivery, tasks
from board.ids import parse_ids
from board.models import (
    Message,
    Notification,
    NotificationChannel,
    NotificationPreference,
    User,
)
from board.permissions import message_title_for
from board.realtime.events import (
    message_frame_parts,
    notification_event,
    send_on_commit,
    user_group,
)
from board.selectors.notifications import preference_for, unread_count


def notify(
    *, recipient: User, kind: str, message: Message | None = None, **payload
) -> Notification | None:
    """Store a notification for one user and push it once the action commits.

    A user who turned this kind off gets nothing at all.
    """
    channel = preference_for(recipient.pk, kind)
    if channel == NotificationChannel.OFF:
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, message=message, payload=payload
    )
    title = None if message is None else str(message_title_for(recipient, message))
    event = notification_event(notification, message_frame_parts(message, title))
    send_on_commit(user_group(recipient.pk), event)
    if channel == NotificationChannel.EMAIL:
        _email_on_commit(notification.pk)
    return notification


def _email_on_commit(notification_id: int) -> None:
    transaction.on_commit(
        lambda: tasks.enqueue(tasks.send_notification_email, notification_id)
    )


def notify_many(
    *, recipient_ids: Iterable[int], kind: str, message: Message | None, **payload
) -> list[Notification]:
    """Notify many users at once: one bulk insert, pushes, one email task."""
    rows, email_ids = delivery.notifications_create_many(
        recipient_ids=recipient_ids, kind=kind, message=message, **payload
    )
    if email_ids:
        transaction.on_commit(
            lambda: tasks.enqueue(tasks.send_notification_emails, email_ids)
        )
    return rows


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all, when ``ids`` is None) of the user's notifications read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        # Bounded: an id no column holds would overflow the IN list.
        rows = rows.filter(pk__in=parse_ids(ids))
    count = rows.update(read_at=timezone.now())
    if count:
        send_on_commit(
            user_group(user.pk),
            {
                "type": "notification.read",
                "payload": {"type": "unread", "count": unread_count(user)},
            },
        )
    return count


@transaction.atomic
def notification_preferences_save(*, user: User, preferences: dict[str, str]) -> None:
    """Per kind: on the site, also by email, or off."""
    for kind, channel in preferences.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )


def followers_notify_on_commit(message: Message, kind: str, **payload) -> None:
    """Followers (同问) are notified by a task, so a reply returns at once
    however many follow the message."""
    message_id = message.pk
    transaction.on_commit(
        lambda: tasks.enqueue(tasks.notify_followers, message_id, kind, **payload)
    )
