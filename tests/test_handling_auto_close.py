"""messages_auto_close: a replied message closes 14 days after the last reply
unless a follow-up is pending or approved."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from board.actions import messages_auto_close
from board.lifecycle import MessageStatus
from board.models import (
    FollowUpStatus,
    MessageEvent,
    Notification,
    NotificationKind,
)
from tests.factories import FollowUpFactory, RoutedMessageFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 3, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def replied_message(**changes):
    return RoutedMessageFactory(status=MessageStatus.REPLIED, **changes)


def test_a_message_closes_fourteen_days_after_the_last_reply(
    pushes, django_capture_on_commit_callbacks
):
    message = replied_message(last_reply_at=NOW - timedelta(days=14))
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_auto_close(now=NOW) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.from_status, event.to_status) == (
        MessageEvent.Verb.CLOSED,
        None,
        "replied",
        "closed",
    )
    assert event.note
    assert event.note_is_public is True
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (
        message.author,
        NotificationKind.MESSAGE_CLOSED,
    )
    [pushed] = pushes.payloads(f"user.{message.author_id}", "notification.created")
    assert pushed["kind"] == "message.closed"
    [status] = pushes.payloads(f"message.{message.pk}", "message.updated")
    assert status["status"] == "closed"


def test_not_earlier():
    message = replied_message(last_reply_at=NOW - timedelta(days=13))
    almost = replied_message(
        last_reply_at=NOW - timedelta(days=14) + timedelta(seconds=1)
    )
    assert messages_auto_close(now=NOW) == 0
    for item in (message, almost):
        item.refresh_from_db()
        assert item.status == MessageStatus.REPLIED
    assert MessageEvent.objects.exists() is False
    assert Notification.objects.exists() is False


def test_the_period_is_a_setting(settings):
    settings.ZHITONG_AUTO_CLOSE_DAYS = 7
    message = replied_message(last_reply_at=NOW - timedelta(days=7))
    assert messages_auto_close(now=NOW) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED


@pytest.mark.parametrize("status", [FollowUpStatus.PENDING, FollowUpStatus.APPROVED])
def test_not_while_a_follow_up_is_open(status):
    message = replied_message(last_reply_at=NOW - timedelta(days=20))
    FollowUpFactory(message=message, status=status)
    assert messages_auto_close(now=NOW) == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


@pytest.mark.parametrize("status", [FollowUpStatus.REJECTED, FollowUpStatus.ANSWERED])
def test_a_settled_follow_up_does_not_keep_it_open(status):
    message = replied_message(last_reply_at=NOW - timedelta(days=20))
    FollowUpFactory(message=message, status=status)
    assert messages_auto_close(now=NOW) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.ACCEPTED,
        MessageStatus.CLOSED,
        MessageStatus.HIDDEN,
    ],
)
def test_only_replied_messages_close(status):
    message = RoutedMessageFactory(
        status=status, last_reply_at=NOW - timedelta(days=30)
    )
    assert messages_auto_close(now=NOW) == 0
    message.refresh_from_db()
    assert message.status == status


def test_a_message_never_replied_to_stays_open():
    replied_message(last_reply_at=None)
    assert messages_auto_close(now=NOW) == 0


def test_each_message_is_closed_once():
    messages = [
        replied_message(last_reply_at=NOW - timedelta(days=days))
        for days in (14, 15, 40)
    ]
    assert messages_auto_close(now=NOW) == 3
    assert messages_auto_close(now=NOW + timedelta(days=1)) == 0
    assert MessageEvent.objects.filter(verb=MessageEvent.Verb.CLOSED).count() == 3
    assert {n.message for n in Notification.objects.all()} == set(messages)
