"""message_transfer: hand a message to another addressee (转办) with a reason."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from board.actions import message_transfer
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    MessageEvent,
    MessageKind,
    Notification,
    NotificationKind,
    Transfer,
)
from board.permissions import is_addressee
from tests.factories import (
    DepartmentFactory,
    HandlerUserFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def colleague(official):
    """Another official who receives messages, with an account."""
    return OfficialFactory(user=UserFactory(official=True), region=official.region)


def test_transfer_moves_the_message_and_restarts_the_clock(
    official, colleague, pushes, django_capture_on_commit_callbacks
):
    old_routed_at = datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)
    message = RoutedMessageFactory(
        addressee_official=official,
        kind=MessageKind.INQUIRY,
        routed_at=old_routed_at,
        due_date=date(2026, 3, 9),
        extended_by_days=3,
        extension_reason="等待检测",
        near_deadline_notified_at=old_routed_at,
    )
    now = datetime(2026, 3, 5, 15, 0, tzinfo=BEIJING)  # a Thursday
    with (
        mock.patch("django.utils.timezone.now", return_value=now),
        django_capture_on_commit_callbacks(execute=True),
    ):
        transfer = message_transfer(
            message=message,
            actor=official.user,
            to_official=colleague,
            reason="  属于交通部门职责  ",
        )
    message.refresh_from_db()
    assert message.addressee_official == colleague
    assert message.addressee_department is None
    assert message.status == MessageStatus.PUBLISHED
    assert message.transfer_count == 1
    # Five working days from Thursday: Fri, Mon–Thu.
    assert (message.routed_at, message.due_date) == (now, date(2026, 3, 12))
    assert (message.extended_by_days, message.extension_reason) == (0, "")
    assert message.near_deadline_notified_at is None

    assert Transfer.objects.get() == transfer
    assert (
        transfer.actor,
        transfer.from_official,
        transfer.from_department,
        transfer.to_official,
        transfer.to_department,
        transfer.reason,
    ) == (official.user, official, None, colleague, None, "属于交通部门职责")

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.note_is_public) == (
        MessageEvent.Verb.TRANSFERRED,
        official.user,
        True,
    )
    assert str(colleague) in event.note
    assert "属于交通部门职责" in event.note

    to_author = Notification.objects.get(recipient=message.author)
    assert to_author.kind == NotificationKind.MESSAGE_TRANSFERRED
    assert to_author.payload == {"due_date": "2026-03-12"}
    to_colleague = Notification.objects.get(recipient=colleague.user)
    assert to_colleague.kind == NotificationKind.INBOX_NEW_MESSAGE
    assert to_colleague.payload == {"due_date": "2026-03-12"}
    assert Notification.objects.filter(recipient=official.user).exists() is False

    assert [
        p["kind"]
        for p in pushes.payloads(f"user.{message.author_id}", "notification.created")
    ] == ["message.transferred"]
    assert [
        p["kind"]
        for p in pushes.payloads(f"user.{colleague.user_id}", "notification.created")
    ] == ["inbox.new_message"]
    [status] = pushes.payloads(f"message.{message.pk}", "message.updated")
    assert status["status"] == "published"


def test_the_previous_addressee_loses_the_message(official, colleague):
    message = RoutedMessageFactory(addressee_official=official)
    message_transfer(
        message=message, actor=official.user, to_official=colleague, reason="错转"
    )
    message.refresh_from_db()
    assert is_addressee(official.user, message) is False
    assert is_addressee(colleague.user, message) is True
    with pytest.raises(NotAllowed):
        message_transfer(
            message=message, actor=official.user, to_official=official, reason="再转"
        )


def test_transfer_to_a_department_tells_its_officials_and_staff(
    official, handling_department, department_official, handler_user
):
    message = RoutedMessageFactory(addressee_official=official)
    message_transfer(
        message=message,
        actor=official.user,
        to_department=handling_department,
        reason="由住建部门办理",
    )
    message.refresh_from_db()
    assert message.addressee_department == handling_department
    assert message.addressee_official is None
    transfer = Transfer.objects.get()
    assert (transfer.to_official, transfer.to_department) == (
        None,
        handling_department,
    )
    inbox = Notification.objects.filter(kind=NotificationKind.INBOX_NEW_MESSAGE)
    assert {n.recipient for n in inbox} == {department_official.user, handler_user}


def test_an_accepted_message_stays_accepted_when_transferred(official, colleague):
    message = RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED
    )
    message_transfer(
        message=message, actor=official.user, to_official=colleague, reason="职责调整"
    )
    message.refresh_from_db()
    assert (message.status, message.addressee_official) == (
        MessageStatus.ACCEPTED,
        colleague,
    )


def test_department_staff_may_transfer(handler_user, department_official, colleague):
    message = RoutedMessageFactory(addressee_official=department_official)
    message_transfer(
        message=message, actor=handler_user, to_official=colleague, reason="非本部门"
    )
    message.refresh_from_db()
    assert message.addressee_official == colleague
    assert Transfer.objects.get().actor == handler_user


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(official, colleague, reason):
    message = RoutedMessageFactory(addressee_official=official)
    due_date = message.due_date
    with pytest.raises(ValidationFailed) as caught:
        message_transfer(
            message=message, actor=official.user, to_official=colleague, reason=reason
        )
    assert caught.value.field == "reason"
    message.refresh_from_db()
    assert (message.addressee_official, message.due_date) == (official, due_date)
    assert message.transfer_count == 0
    assert Transfer.objects.exists() is False
    assert MessageEvent.objects.exists() is False
    assert Notification.objects.exists() is False


def test_exactly_one_target_is_required(official, colleague):
    message = RoutedMessageFactory(addressee_official=official)
    department = DepartmentFactory(region=official.region)
    for targets in ({}, {"to_official": colleague, "to_department": department}):
        with pytest.raises(ValidationFailed) as caught:
            message_transfer(
                message=message, actor=official.user, reason="转办", **targets
            )
        assert caught.value.field == "to_official"
    assert Transfer.objects.exists() is False


def test_the_current_addressee_or_an_inactive_official_is_refused(official):
    message = RoutedMessageFactory(addressee_official=official)
    inactive = OfficialFactory(is_active=False, region=official.region)
    for target in (official, inactive):
        with pytest.raises(ValidationFailed) as caught:
            message_transfer(
                message=message, actor=official.user, to_official=target, reason="转办"
            )
        assert caught.value.field == "to_official"
    message.refresh_from_db()
    assert (message.addressee_official, message.transfer_count) == (official, 0)


def test_only_the_addressee_may_transfer(official, colleague, moderator):
    message = RoutedMessageFactory(addressee_official=official)
    for actor in (colleague.user, moderator, message.author, HandlerUserFactory()):
        with pytest.raises(NotAllowed):
            message_transfer(
                message=message, actor=actor, to_official=colleague, reason="转办"
            )
    message.refresh_from_db()
    assert message.addressee_official == official
    assert Transfer.objects.exists() is False


@pytest.mark.parametrize(
    "status", [MessageStatus.REPLIED, MessageStatus.CLOSED, MessageStatus.HIDDEN]
)
def test_a_message_no_longer_being_handled_cannot_be_transferred(
    official, colleague, status
):
    message = RoutedMessageFactory(addressee_official=official, status=status)
    with pytest.raises(InvalidTransition):
        message_transfer(
            message=message, actor=official.user, to_official=colleague, reason="转办"
        )
    message.refresh_from_db()
    assert message.addressee_official == official


def test_every_transfer_is_on_the_public_timeline(official, colleague):
    third = OfficialFactory(user=UserFactory(official=True), region=official.region)
    message = RoutedMessageFactory(addressee_official=official)
    message_transfer(
        message=message, actor=official.user, to_official=colleague, reason="第一次"
    )
    message_transfer(
        message=message, actor=colleague.user, to_official=third, reason="第二次"
    )
    message.refresh_from_db()
    assert message.transfer_count == 2
    events = MessageEvent.objects.filter(message=message)
    assert [(e.verb, e.note_is_public) for e in events] == [
        (MessageEvent.Verb.TRANSFERRED, True),
        (MessageEvent.Verb.TRANSFERRED, True),
    ]
    assert [t.reason for t in Transfer.objects.all()] == ["第一次", "第二次"]
    assert message.routed_at > timezone.now() - timedelta(minutes=1)
