"""deadlines_check: near-deadline warnings once, overdue escalation (督办) once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from board.actions import deadlines_check, message_extend
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.selectors import escalated_messages
from tests.factories import (
    HolidayFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
# Monday morning in Beijing; "near" reaches Thursday Mar 12.
MONDAY = datetime(2026, 3, 9, 8, 0, tzinfo=BEIJING)


@pytest.fixture
def supervisor(handling_department):
    official = OfficialFactory(
        user=UserFactory(official=True), region=handling_department.region
    )
    handling_department.supervisor = official
    handling_department.save()
    return official


def kinds(recipient) -> list[str]:
    return list(
        Notification.objects.filter(recipient=recipient).values_list("kind", flat=True)
    )


def test_addressees_are_warned_once_when_the_deadline_is_near(
    department_official, handler_user, pushes, django_capture_on_commit_callbacks
):
    message = RoutedMessageFactory(
        addressee_official=department_official, due_date=date(2026, 3, 11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = deadlines_check(now=MONDAY)
    assert counts == {"approaching": 1, "escalated": 0}
    message.refresh_from_db()
    assert message.near_deadline_notified_at == MONDAY
    assert message.escalated_at is None
    warned = Notification.objects.filter(kind=NotificationKind.DEADLINE_APPROACHING)
    assert {n.recipient for n in warned} == {department_official.user, handler_user}
    assert {n.payload["due_date"] for n in warned} == {"2026-03-11"}
    assert Notification.objects.filter(recipient=message.author).exists() is False
    assert MessageEvent.objects.exists() is False
    assert [
        p["kind"]
        for p in pushes.payloads(f"user.{handler_user.pk}", "notification.created")
    ] == ["deadline.approaching"]

    assert deadlines_check(now=MONDAY) == {"approaching": 0, "escalated": 0}
    assert warned.count() == 2


@pytest.mark.parametrize(
    ("due_date", "is_near"),
    [
        (date(2026, 3, 9), True),  # due today: near, not yet overdue
        (date(2026, 3, 12), True),  # the third working day
        (date(2026, 3, 13), False),
        (date(2026, 3, 20), False),
    ],
)
def test_what_counts_as_near(official, due_date, is_near):
    RoutedMessageFactory(addressee_official=official, due_date=due_date)
    counts = deadlines_check(now=MONDAY)
    assert counts == {"approaching": int(is_near), "escalated": 0}
    assert kinds(official.user) == (
        [NotificationKind.DEADLINE_APPROACHING] if is_near else []
    )


@pytest.mark.parametrize(
    ("due_date", "is_near"),
    [
        (date(2026, 10, 9), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 12), False),
    ],
)
def test_near_is_counted_in_working_days_over_a_holiday(official, due_date, is_near):
    for day in range(1, 8):
        HolidayFactory(date=date(2026, 10, day), name="国庆节")
    HolidayFactory(date=date(2026, 10, 10), name="调休上班", is_working_day=True)
    RoutedMessageFactory(addressee_official=official, due_date=due_date)
    # Oct 8, Oct 9 and the worked Saturday Oct 10 are the next three days.
    now = datetime(2026, 9, 30, 9, 0, tzinfo=BEIJING)
    assert deadlines_check(now=now)["approaching"] == int(is_near)


def test_an_overdue_message_is_escalated_once(
    department_official,
    handler_user,
    supervisor,
    moderator,
    pushes,
    django_capture_on_commit_callbacks,
):
    message = RoutedMessageFactory(
        addressee_official=department_official,
        status=MessageStatus.ACCEPTED,
        due_date=date(2026, 3, 6),
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = deadlines_check(now=MONDAY)
    assert counts == {"approaching": 0, "escalated": 1}
    message.refresh_from_db()
    assert message.escalated_at == MONDAY
    assert message.status == MessageStatus.ACCEPTED

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.to_status, event.note_is_public) == (
        MessageEvent.Verb.ESCALATED,
        None,
        "accepted",
        False,
    )
    passed = Notification.objects.filter(kind=NotificationKind.DEADLINE_PASSED)
    assert {n.recipient for n in passed} == {department_official.user, handler_user}
    assert {n.payload["due_date"] for n in passed} == {"2026-03-06"}
    escalated = Notification.objects.get(kind=NotificationKind.MESSAGE_ESCALATED)
    assert (escalated.recipient, escalated.message, escalated.payload) == (
        supervisor.user,
        message,
        {"due_date": "2026-03-06"},
    )
    assert kinds(message.author) == []
    assert kinds(moderator) == []
    assert list(escalated_messages()) == [message]
    [queue] = pushes.payloads("moderation.queue", "queue.changed")
    assert (queue["op"], queue["message_id"]) == ("escalated", message.pk)

    later = datetime(2026, 3, 10, 8, 0, tzinfo=BEIJING)
    assert deadlines_check(now=later) == {"approaching": 0, "escalated": 0}
    assert MessageEvent.objects.filter(verb=MessageEvent.Verb.ESCALATED).count() == 1
    assert Notification.objects.count() == 3


def test_a_message_to_the_department_escalates_to_its_supervisor(
    handling_department, department_official, supervisor
):
    RoutedMessageFactory(
        region=handling_department.region,
        addressee_official=None,
        addressee_department=handling_department,
        due_date=date(2026, 3, 6),
    )
    deadlines_check(now=MONDAY)
    assert kinds(supervisor.user) == [NotificationKind.MESSAGE_ESCALATED]
    assert kinds(department_official.user) == [NotificationKind.DEADLINE_PASSED]


def test_without_a_supervisor_it_is_still_escalated(official):
    message = RoutedMessageFactory(
        addressee_official=official, due_date=date(2026, 3, 6)
    )
    assert deadlines_check(now=MONDAY)["escalated"] == 1
    assert list(escalated_messages()) == [message]
    assert kinds(official.user) == [NotificationKind.DEADLINE_PASSED]
    assert (
        Notification.objects.filter(kind=NotificationKind.MESSAGE_ESCALATED).exists()
        is False
    )


@pytest.mark.parametrize(
    "status", [MessageStatus.REPLIED, MessageStatus.CLOSED, MessageStatus.HIDDEN]
)
def test_messages_not_being_handled_are_left_alone(official, status):
    RoutedMessageFactory(
        addressee_official=official, status=status, due_date=date(2026, 3, 6)
    )
    RoutedMessageFactory(
        addressee_official=official, status=status, due_date=date(2026, 3, 10)
    )
    assert deadlines_check(now=MONDAY) == {"approaching": 0, "escalated": 0}
    assert list(escalated_messages()) == []
    assert Notification.objects.exists() is False


def test_an_extension_lifts_the_escalation_until_the_new_deadline_passes(official):
    message = RoutedMessageFactory(
        addressee_official=official, due_date=date(2026, 3, 6)
    )
    deadlines_check(now=MONDAY)
    message_extend(
        message=message, actor=official.user, working_days=2, reason="补充材料"
    )
    message.refresh_from_db()
    assert message.due_date == date(2026, 3, 10)
    assert message.escalated_at is None
    assert list(escalated_messages()) == []

    # Warned again before the new deadline, escalated again after it.
    assert deadlines_check(now=MONDAY) == {"approaching": 1, "escalated": 0}
    wednesday = datetime(2026, 3, 11, 8, 0, tzinfo=BEIJING)
    assert deadlines_check(now=wednesday) == {"approaching": 0, "escalated": 1}
    assert list(escalated_messages()) == [message]
    assert MessageEvent.objects.filter(verb=MessageEvent.Verb.ESCALATED).count() == 2
