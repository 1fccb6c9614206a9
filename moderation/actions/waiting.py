"""Telling authors that review is taking longer than promised."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from board.actions import notify
from board.lifecycle import MessageStatus
from board.models import Message, NotificationKind


def message_still_waiting_notify(*, now=None) -> int:
    """Tell authors, once, that review is taking longer than promised."""
    now = now or timezone.now()
    deadline = now - timedelta(hours=settings.ZHITONG_REVIEW_DEADLINE_HOURS)
    overdue = Message.objects.filter(
        status=MessageStatus.PENDING,
        submitted_for_review_at__lte=deadline,
        waiting_notice_sent_at__isnull=True,
    ).select_related("author")
    count = 0
    for message in overdue.iterator():
        with transaction.atomic():
            claimed = Message.objects.filter(
                pk=message.pk, waiting_notice_sent_at__isnull=True
            ).update(waiting_notice_sent_at=now)
            if claimed:
                notify(
                    recipient=message.author,
                    kind=NotificationKind.MESSAGE_STILL_WAITING,
                    message=message,
                )
                count += 1
    return count
