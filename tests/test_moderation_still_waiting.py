"""message_still_waiting_notify: one notice per author once past the deadline."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Notification, NotificationKind
from moderation.actions import message_still_waiting_notify
from tests.factories import MessageFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db


def waiting_for(hours, **kwargs):
    return PendingMessageFactory(
        submitted_for_review_at=timezone.now() - timedelta(hours=hours), **kwargs
    )


def test_overdue_authors_are_told_once(pushes, django_capture_on_commit_callbacks):
    overdue = waiting_for(25)
    waiting_for(2)
    MessageFactory(
        status=MessageStatus.REJECTED,
        submitted_for_review_at=timezone.now() - timedelta(hours=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert message_still_waiting_notify() == 1
        assert message_still_waiting_notify() == 0
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.message) == (
        overdue.author,
        NotificationKind.MESSAGE_STILL_WAITING,
        overdue,
    )
    overdue.refresh_from_db()
    assert overdue.waiting_notice_sent_at is not None
    [pushed] = pushes.payloads(f"user.{overdue.author_id}", "notification.created")
    assert pushed["kind"] == "message.still_waiting"


def test_each_overdue_item_gets_its_own_notice():
    first, second = waiting_for(30), waiting_for(48)
    assert message_still_waiting_notify() == 2
    assert message_still_waiting_notify() == 0
    assert sorted(Notification.objects.values_list("message_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )


def test_the_deadline_is_configurable(settings):
    settings.ZHITONG_REVIEW_DEADLINE_HOURS = 4
    waiting_for(5)
    waiting_for(3)
    assert message_still_waiting_notify() == 1


def test_the_management_command_sends_them():
    waiting_for(25)
    out = io.StringIO()
    call_command("send_waiting_notices", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert Notification.objects.count() == 1
    call_command("send_waiting_notices", stdout=io.StringIO())
    assert Notification.objects.count() == 1
