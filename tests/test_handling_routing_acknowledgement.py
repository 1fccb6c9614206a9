"""message_approve starts the handling clock; the acknowledgement carries the
real deadline and is sent when the message is routed, never earlier."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from board.lifecycle import MessageStatus
from board.models import MessageKind, Notification, NotificationKind
from moderation.actions import message_approve
from tests.factories import (
    DepartmentDeadlineFactory,
    HandlerUserFactory,
    HolidayFactory,
    OfficialFactory,
    PendingMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Monday before National Day 2026, mid-morning in Beijing.
MONDAY_BEFORE_NATIONAL_DAY = datetime(
    2026, 9, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")
)


@pytest.fixture
def national_day():
    for day in range(1, 8):
        HolidayFactory(date=date(2026, 10, day), name="国庆节")
    HolidayFactory(date=date(2026, 10, 10), name="调休上班", is_working_day=True)


def frozen_at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def kinds_for(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


def test_approve_routes_with_the_real_deadline(
    moderator, official, national_day, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory(addressee_official=official, region=official.region)
    with (
        frozen_at(MONDAY_BEFORE_NATIONAL_DAY),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.routed_at == MONDAY_BEFORE_NATIONAL_DAY
    assert message.reviewed_at == MONDAY_BEFORE_NATIONAL_DAY
    # Fifteen working days over the holiday week and its make-up Saturday.
    assert message.due_date == date(2026, 10, 23)
    assert (message.extended_by_days, message.escalated_at) == (0, None)

    acknowledgement = Notification.objects.get(recipient=message.author)
    assert acknowledgement.kind == NotificationKind.MESSAGE_APPROVED
    assert acknowledgement.payload == {
        "addressee": str(official),
        "due_date": "2026-10-23",
    }
    inbox = Notification.objects.get(recipient=official.user)
    assert inbox.kind == NotificationKind.INBOX_NEW_MESSAGE
    assert inbox.message == message
    assert inbox.payload == {"due_date": "2026-10-23"}

    [to_author] = pushes.payloads(f"user.{message.author_id}", "notification.created")
    assert (to_author["id"], to_author["kind"]) == (
        acknowledgement.pk,
        "message.approved",
    )
    [to_official] = pushes.payloads(f"user.{official.user_id}", "notification.created")
    assert (to_official["id"], to_official["kind"]) == (inbox.pk, "inbox.new_message")


def test_the_deadline_follows_the_kind_and_the_departments_override(
    moderator, handling_department, department_official
):
    DepartmentDeadlineFactory(
        department=handling_department, kind=MessageKind.INQUIRY, working_days=2
    )
    message = PendingMessageFactory(
        kind=MessageKind.INQUIRY,
        addressee_official=department_official,
        region=handling_department.region,
    )
    # Friday: Monday and Tuesday are the two working days.
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with frozen_at(friday):
        message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.due_date == date(2026, 3, 10)
    assert Notification.objects.get(kind=NotificationKind.MESSAGE_APPROVED).payload[
        "due_date"
    ] == ("2026-03-10")


def test_no_acknowledgement_before_the_second_approval(
    moderator, moderator2, official, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory(
        addressee_official=official,
        region=official.region,
        needs_second_approval=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert (message.routed_at, message.due_date) == (None, None)
    assert Notification.objects.exists() is False
    assert pushes.payloads(f"user.{message.author_id}", "notification.created") == []

    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=message, actor=moderator2)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.routed_at is not None
    assert kinds_for(message.author) == [NotificationKind.MESSAGE_APPROVED]
    assert (
        Notification.objects.get(recipient=message.author).payload["due_date"]
        == message.due_date.isoformat()
    )
    assert kinds_for(official.user) == [NotificationKind.INBOX_NEW_MESSAGE]


def test_routing_to_a_department_tells_its_officials_and_staff(
    moderator, handling_department, department_official, handler_user
):
    second_official = OfficialFactory(
        user=UserFactory(official=True),
        department=handling_department,
        region=handling_department.region,
    )
    elsewhere = HandlerUserFactory()
    message = PendingMessageFactory(
        region=handling_department.region,
        addressee_official=None,
        addressee_department=handling_department,
    )
    message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    expected = {department_official.user, second_official.user, handler_user}
    inbox = Notification.objects.filter(kind=NotificationKind.INBOX_NEW_MESSAGE)
    assert {notification.recipient for notification in inbox} == expected
    assert {notification.payload["due_date"] for notification in inbox} == {
        message.due_date.isoformat()
    }
    assert kinds_for(elsewhere) == []
    assert kinds_for(moderator) == []


def test_routing_to_an_official_also_tells_the_staff_of_their_department(
    moderator, department_official, handler_user
):
    message = PendingMessageFactory(
        addressee_official=department_official,
        region=department_official.region,
    )
    message_approve(message=message, actor=moderator)
    recipients = set(
        Notification.objects.filter(
            kind=NotificationKind.INBOX_NEW_MESSAGE
        ).values_list("recipient", flat=True)
    )
    assert recipients == {department_official.user_id, handler_user.pk}


def test_an_official_without_an_account_gets_no_notification(moderator):
    official = OfficialFactory(user=None)
    message = PendingMessageFactory(addressee_official=official, region=official.region)
    message_approve(message=message, actor=moderator)
    assert list(Notification.objects.values_list("kind", flat=True)) == [
        NotificationKind.MESSAGE_APPROVED
    ]
