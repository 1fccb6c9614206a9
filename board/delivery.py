"""What the background tasks run, after the action that caused it committed.

The follower fan-out's rows and pushes, the notification emails for people
who are away, and the daily digest. Nothing here queues tasks: the task
entry points in ``board/tasks.py`` call these and queue what follows.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from board.models import (
    Message,
    MessageFollow,
    Notification,
    NotificationChannel,
    NotificationPreference,
    User,
)
from board.realtime.events import (
    group_send_many,
    message_frame_parts,
    notification_event,
    user_group,
)
from board.realtime.presence import is_online, online_user_ids
from board.selectors.notifications import preference_for, with_message_titles


def notifications_create_many(
    *, recipient_ids: Iterable[int], kind: str, message: Message | None, **payload
) -> tuple[list[Notification], list[int]]:
    """Notify many users at once: one bulk insert, then pushes after commit.

    Answers the rows and the ids of those to email; the caller queues the
    emails (one task for all of them).
    """
    ids = set(recipient_ids)
    if not ids:
        return [], []
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
    # One trip into the event loop for all the pushes.
    transaction.on_commit(lambda: group_send_many(pushes))
    return rows, [n.pk for n in rows if n.recipient_id not in email_off]


def _emails_sent_last_hour(user_id: int) -> int:
    since = timezone.now() - timedelta(hours=1)
    return Notification.objects.filter(
        recipient_id=user_id, emailed_at__gte=since
    ).count()


def notification_emails_send(notification_ids: list[int]) -> int:
    """The emails of one fan-out, in one task rather than one task each: one
    query for the rows and one presence lookup for all their recipients."""
    pending = list(
        _unsent_notifications().filter(pk__in=notification_ids).order_by("pk")
    )
    online = online_user_ids({n.recipient_id for n in pending})
    return sum(_email_notification(n) for n in pending if n.recipient_id not in online)


def notification_email_send(notification_id: int) -> bool:
    notification = _unsent_notifications().filter(pk=notification_id).first()
    if notification is None or is_online(notification.recipient_id):
        return False
    return _email_notification(notification)


def _unsent_notifications():
    return Notification.objects.select_related("recipient", "message").filter(
        emailed_at__isnull=True, read_at__isnull=True
    )


def _email_notification(notification: Notification) -> bool:
    """Email one notification to a user who is not connected.

    Past the hourly limit the email waits for the daily digest instead, so a
    busy day is one email, not a flood.
    """
    recipient = notification.recipient
    if not recipient.email:
        return False
    if _emails_sent_last_hour(recipient.pk) >= settings.ZHITONG_EMAILS_PER_HOUR:
        return False
    with translation.override(recipient.email_language):
        with_message_titles(recipient, [notification])
        subject = str(notification.get_kind_display())
        body = render_to_string(
            "email/notification.txt",
            {
                "notification": notification,
                "user": recipient,
                "site_url": settings.SITE_URL,
            },
        )
    sent = Notification.objects.filter(
        pk=notification.pk, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())
    if sent:
        send_mail(subject, body, None, [recipient.email])
    return bool(sent)


def daily_digests_send() -> int:
    """One email a day listing every notification of the period, including those
    already emailed at once, to each user who had any they want by email."""
    now = timezone.now()
    since_default = now - timedelta(days=1)
    sent = 0
    user_ids = (
        Notification.objects.filter(created_at__gte=now - timedelta(days=2))
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True):
        since = user.last_digest_at or since_default
        period = list(
            Notification.objects.filter(recipient=user, created_at__gt=since)
            .select_related("message")
            .order_by("pk")
        )
        period = [
            n
            for n in period
            if preference_for(user.pk, n.kind) == NotificationChannel.EMAIL
        ]
        # A digest is for busy days: only when some email was held back.
        held_back = [n for n in period if n.emailed_at is None and n.read_at is None]
        if not user.email or not held_back:
            continue
        with translation.override(user.email_language):
            with_message_titles(user, period)
            body = render_to_string(
                "email/digest.txt",
                {"notifications": period, "user": user, "site_url": settings.SITE_URL},
            )
            subject = translation.gettext("Your Zhitong notifications of the day")
        send_mail(subject, body, None, [user.email])
        User.objects.filter(pk=user.pk).update(last_digest_at=now)
        sent += 1
    return sent


def followers_notify(
    message_id: int, kind: str, **payload
) -> tuple[list[Notification], list[int]]:
    """Fan a reply or closing out to everyone who pressed 同问.

    One bulk insert of rows, then one push per follower; answers the rows
    and the ids of those to email.
    """
    message = Message.objects.filter(pk=message_id).first()
    if message is None or not message.is_on_public_board:
        return [], []
    follower_ids = (
        MessageFollow.objects.filter(message_id=message_id)
        .exclude(user_id=message.author_id)
        .values_list("user_id", flat=True)
    )
    return notifications_create_many(
        recipient_ids=follower_ids, kind=kind, message=message, **payload
    )
