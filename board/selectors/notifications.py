"""Reads of notifications: catch-up after an id, unread count, preferences."""

from board.models import (
    Notification,
    NotificationChannel,
    NotificationPreference,
    User,
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
        .select_related("message")
        .order_by("pk")[:limit]
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_of(user: User) -> dict[str, str]:
    return dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
    )
