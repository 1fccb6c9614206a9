"""Background task entry points (Celery). Embedded they run in-process; with
Redis, in a worker.

Thin on purpose: each calls ``board/delivery.py`` or ``board/statistics.py``.
Actions import this module to queue tasks; nothing here imports an action,
so the dependency points one way.
"""

import logging
from datetime import date

from celery import shared_task
from django.db import transaction

from board import delivery, statistics

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
    """Fan a reply or closing out to the message's followers, off the request;
    then one task for all their emails."""
    with transaction.atomic():
        rows, email_ids = delivery.followers_notify(message_id, kind, **payload)
        if email_ids:
            transaction.on_commit(lambda: enqueue(send_notification_emails, email_ids))
    return len(rows)


@shared_task(ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """The emails of one fan-out, in one task rather than one task each."""
    return delivery.notification_emails_send(notification_ids)


@shared_task(ignore_result=True)
def send_notification_email(notification_id: int) -> bool:
    return delivery.notification_email_send(notification_id)


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    return delivery.daily_digests_send()


@shared_task(ignore_result=True)
def statistics_day_recount(day: str) -> int:
    """Count a day's statistics again (board/statistics.py), off the request
    that changed one of its messages."""
    return statistics.day_recount(date.fromisoformat(day))


def statistics_day_recount_soon(day) -> None:
    """After a commit: recount ``day`` in a few seconds, unless a recount
    is already waiting (embedded, at once)."""
    if statistics.recount_is_due(day):
        try:
            statistics_day_recount.apply_async(
                args=[day.isoformat()],
                countdown=statistics.RECOUNT_DELAY_SECONDS,
                retry=False,
            )
        except Exception:
            logger.warning("Broker unreachable; counting %s in-process", day)
            statistics.day_recount(day)
