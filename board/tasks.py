"""Background tasks (Celery). Embedded they run in-process; with Redis, in a worker."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Message, MessageFollow, Notification, NotificationChannel, User

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Send a task to the worker; if the broker is unreachable, run it here.

    Notifications are written by the tasks themselves (followers' rows), so a
    Redis outage must slow a request down, never lose them.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:
        logger.warning("Broker unreachable; running %s in-process", task.name)
        task.apply(args=args, kwargs=kwargs)


@shared_task(ignore_result=True)
def notify_followers(message_id: int, kind: str, **payload) -> int:
    """Fan a reply or closing out to everyone who pressed 同问, off the request.

    One bulk insert of rows, then one push per follower.
    """
    from .notifications import notify_many

    message = Message.objects.filter(pk=message_id).first()
    if message is None or not message.is_on_public_board:
        return 0
    follower_ids = (
        MessageFollow.objects.filter(message_id=message_id)
        .exclude(user_id=message.author_id)
        .values_list("user_id", flat=True)
    )
    with transaction.atomic():
        rows = notify_many(
            recipient_ids=follower_ids, kind=kind, message=message, **payload
        )
    return len(rows)


def _emails_sent_last_hour(user_id: int) -> int:
    since = timezone.now() - timedelta(hours=1)
    return Notification.objects.filter(
        recipient_id=user_id, emailed_at__gte=since
    ).count()


@shared_task(ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """The emails of one fan-out, in one task rather than one task each: one
    query for the rows and one presence lookup for all their recipients."""
    from .notifications import online_user_ids

    pending = list(
        _unsent_notifications().filter(pk__in=notification_ids).order_by("pk")
    )
    online = online_user_ids({n.recipient_id for n in pending})
    return sum(_email_notification(n) for n in pending if n.recipient_id not in online)


@shared_task(ignore_result=True)
def send_notification_email(notification_id: int) -> bool:
    from .notifications import is_online

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


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    """One email a day listing every notification of the period, including those
    already emailed at once, to each user who had any they want by email."""
    from .notifications import preference_for

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
            body = render_to_string(
                "email/digest.txt",
                {"notifications": period, "user": user, "site_url": settings.SITE_URL},
            )
            subject = translation.gettext("Your Zhitong notifications of the day")
        send_mail(subject, body, None, [user.email])
        User.objects.filter(pk=user.pk).update(last_digest_at=now)
        sent += 1
    return sent


@shared_task(ignore_result=True)
def run_periodic_checks() -> dict:
    """Deadlines and escalation, auto-closing, "still waiting" notices."""
    from moderation.actions import message_still_waiting_notify

    from .handling import deadlines_check, messages_auto_close

    result = deadlines_check()
    result["closed"] = messages_auto_close()
    result["still_waiting"] = message_still_waiting_notify()
    logger.info("periodic checks: %s", result)
    return result
