"""Notifications: a row in the action's transaction, a push after commit,
and an email (or a place in the daily digest) for people who are away.

The row is the truth. The push is best effort: a client that missed it asks
for everything after the last id it saw (``notifications_after``).
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import (
    Message,
    Notification,
    NotificationChannel,
    NotificationPreference,
    User,
)
from .realtime.events import (
    group_send_many,
    message_frame_parts,
    notification_event,
    send_on_commit,
    user_group,
)

ONLINE_SECONDS = 90


def preference_for(user_id: int, kind: str) -> str:
    channel = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return channel or NotificationChannel.EMAIL


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
    send_on_commit(user_group(recipient.pk), notification_event(notification))
    if channel == NotificationChannel.EMAIL:
        _email_on_commit(notification.pk)
    return notification


def notify_many(
    *, recipient_ids: Iterable[int], kind: str, message: Message | None, **payload
) -> list[Notification]:
    """Notify many users at once (followers): one bulk insert, then pushes."""
    ids = set(recipient_ids)
    if not ids:
        return []
    off = set(
        NotificationPreference.objects.filter(
            user_id__in=ids, kind=kind, channel=NotificationChannel.OFF
        ).values_list("user_id", flat=True)
    )
    email_off = set(
        NotificationPreference.objects.filter(
            user_id__in=ids, kind=kind, channel=NotificationChannel.IN_SITE
        ).values_list("user_id", flat=True)
    )
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id, kind=kind, message=message, payload=payload
            )
            for user_id in sorted(ids - off)
        ]
    )
    if rows and rows[0].pk is None:  # backends without RETURNING
        rows = list(
            Notification.objects.filter(
                recipient_id__in=ids - off, kind=kind, message=message
            ).order_by("-pk")[: len(rows)]
        )
    pushes = []
    message_parts = message_frame_parts(message)
    for notification in rows:
        if notification.created_at is None:
            notification.created_at = timezone.now()
        pushes.append(
            (
                user_group(notification.recipient_id),
                notification_event(notification, message_parts),
            )
        )
    # One trip into the event loop for all the pushes, one task for the emails.
    transaction.on_commit(lambda: group_send_many(pushes))
    email_ids = [n.pk for n in rows if n.recipient_id not in email_off]
    if email_ids:
        from .tasks import enqueue, send_notification_emails

        transaction.on_commit(lambda: enqueue(send_notification_emails, email_ids))
    return rows


def _email_on_commit(notification_id: int) -> None:
    from .tasks import enqueue, send_notification_email

    transaction.on_commit(lambda: enqueue(send_notification_email, notification_id))


# --- Presence: is the user connected right now? ---


def _presence_key(user_id: int) -> str:
    return f"presence:{user_id}"


def presence_connect(user_id: int) -> None:
    key = _presence_key(user_id)
    cache.add(key, 0, ONLINE_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, ONLINE_SECONDS)
    cache.touch(key, ONLINE_SECONDS)


def presence_touch(user_id: int) -> None:
    cache.touch(_presence_key(user_id), ONLINE_SECONDS)


def presence_disconnect(user_id: int) -> None:
    key = _presence_key(user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def is_online(user_id: int) -> bool:
    return (cache.get(_presence_key(user_id)) or 0) > 0


def online_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Which of these users have a socket open: one cache round trip."""
    keys = {_presence_key(user_id): user_id for user_id in user_ids}
    found = cache.get_many(list(keys))
    return {keys[key] for key, count in found.items() if (count or 0) > 0}


# --- Reading ---


def notifications_after(user: User, after: int = 0, limit: int = 200):
    """Everything after the last id a client saw, oldest first: catch-up."""
    return list(
        Notification.objects.filter(recipient=user, pk__gt=after)
        .select_related("message")
        .order_by("pk")[:limit]
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all, when ``ids`` is None) of the user's notifications read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=[int(pk) for pk in ids])
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


def preferences_of(user: User) -> dict[str, str]:
    return dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
    )


@transaction.atomic
def notification_preferences_save(*, user: User, preferences: dict[str, str]) -> None:
    """Per kind: on the site, also by email, or off."""
    for kind, channel in preferences.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )
