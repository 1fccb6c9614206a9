"""message_extend: once, by 1–15 working days, with a public reason."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from board.actions import message_extend
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from tests.factories import (
    HolidayFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def national_day():
    for day in range(1, 8):
        HolidayFactory(date=date(2026, 10, day), name="国庆节")
    HolidayFactory(date=date(2026, 10, 10), name="调休上班", is_working_day=True)


def test_extension_counts_working_days_from_the_old_deadline(
    official, national_day, pushes, django_capture_on_commit_callbacks
):
    message = RoutedMessageFactory(
        addressee_official=official,
        status=MessageStatus.ACCEPTED,
        due_date=date(2026, 9, 29),
        escalated_at=datetime(2026, 9, 30, 1, 0, tzinfo=BEIJING),
        near_deadline_notified_at=datetime(2026, 9, 24, 1, 0, tzinfo=BEIJING),
    )
    with django_capture_on_commit_callbacks(execute=True):
        message_extend(
            message=message,
            actor=official.user,
            working_days=5,
            reason="  需要现场勘查  ",
        )
    message.refresh_from_db()
    # Sep 30, Oct 8, Oct 9, Sat Oct 10 (worked), Mon Oct 12.
    assert message.due_date == date(2026, 10, 12)
    assert (message.extended_by_days, message.extension_reason) == (5, "需要现场勘查")
    assert message.escalated_at is None
    assert message.near_deadline_notified_at is None
    assert message.status == MessageStatus.ACCEPTED

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.note_is_public) == (
        MessageEvent.Verb.EXTENDED,
        official.user,
        True,
    )
    assert "2026-10-12" in event.note
    assert "需要现场勘查" in event.note

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        message.author,
        NotificationKind.MESSAGE_EXTENDED,
        {"due_date": "2026-10-12"},
    )
    [pushed] = pushes.payloads(f"user.{message.author_id}", "notification.created")
    assert pushed["kind"] == "message.extended"


def test_a_published_message_can_be_extended_by_the_full_fifteen_days(official):
    message = RoutedMessageFactory(
        addressee_official=official, due_date=date(2026, 3, 2)
    )
    message_extend(message=message, actor=official.user, working_days=15, reason="复杂")
    message.refresh_from_db()
    assert message.due_date == date(2026, 3, 23)


def test_the_deadline_is_extended_only_once(official):
    message = RoutedMessageFactory(
        addressee_official=official, due_date=date(2026, 3, 2)
    )
    message_extend(message=message, actor=official.user, working_days=1, reason="一")
    with pytest.raises(ValidationFailed) as caught:
        message_extend(
            message=message, actor=official.user, working_days=1, reason="二"
        )
    assert (caught.value.field, caught.value.code) == (
        "working_days",
        "already_extended",
    )
    message.refresh_from_db()
    assert (message.due_date, message.extended_by_days) == (date(2026, 3, 3), 1)
    assert MessageEvent.objects.count() == 1


@pytest.mark.parametrize("working_days", [0, -1, 16, 100, True, "5", 5.0, None])
def test_the_number_of_working_days_is_checked(official, working_days):
    message = RoutedMessageFactory(addressee_official=official)
    due_date = message.due_date
    with pytest.raises(ValidationFailed) as caught:
        message_extend(
            message=message,
            actor=official.user,
            working_days=working_days,
            reason="需要时间",
        )
    assert caught.value.field == "working_days"
    message.refresh_from_db()
    assert (message.due_date, message.extended_by_days) == (due_date, 0)


def test_the_limit_is_a_setting(settings, official):
    settings.ZHITONG_MAX_EXTENSION_WORKING_DAYS = 3
    message = RoutedMessageFactory(addressee_official=official)
    with pytest.raises(ValidationFailed):
        message_extend(
            message=message, actor=official.user, working_days=4, reason="需要时间"
        )


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_public_reason_is_required(official, reason):
    message = RoutedMessageFactory(addressee_official=official)
    with pytest.raises(ValidationFailed) as caught:
        message_extend(
            message=message, actor=official.user, working_days=3, reason=reason
        )
    assert caught.value.field == "reason"
    message.refresh_from_db()
    assert message.extended_by_days == 0
    assert Notification.objects.exists() is False


def test_only_the_addressee_may_extend(official, moderator):
    message = RoutedMessageFactory(addressee_official=official)
    other = OfficialFactory(user=UserFactory(official=True))
    for actor in (other.user, moderator, message.author):
        with pytest.raises(NotAllowed):
            message_extend(message=message, actor=actor, working_days=3, reason="久")
    message.refresh_from_db()
    assert message.extended_by_days == 0


def test_department_staff_may_extend(department_official, handler_user):
    message = RoutedMessageFactory(
        addressee_official=department_official, due_date=date(2026, 3, 2)
    )
    message_extend(message=message, actor=handler_user, working_days=2, reason="协调")
    message.refresh_from_db()
    assert message.due_date == date(2026, 3, 4)


@pytest.mark.parametrize(
    "status", [MessageStatus.REPLIED, MessageStatus.CLOSED, MessageStatus.HIDDEN]
)
def test_only_a_message_being_handled_is_extended(official, status):
    message = RoutedMessageFactory(addressee_official=official, status=status)
    with pytest.raises(InvalidTransition):
        message_extend(
            message=message, actor=official.user, working_days=3, reason="需要时间"
        )


def test_a_message_without_a_deadline_is_not_extended(official):
    message = RoutedMessageFactory(addressee_official=official, due_date=None)
    with pytest.raises(InvalidTransition):
        message_extend(
            message=message, actor=official.user, working_days=3, reason="需要时间"
        )
