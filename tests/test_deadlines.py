"""Working-day arithmetic: weekends, public holidays and make-up days (调休).

The calendar rows follow the State Council's arrangement for 2026: National
Day Oct 1–7 with make-up days Sun Sep 20 and Sat Oct 10, Mid-Autumn Fri
Sep 25 – Sun Sep 27, the Spring Festival Feb 15–23 with make-up days Sat
Feb 14 and Sat Feb 28, Labour Day Fri May 1 – Tue May 5 with Sat May 9.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from board.actions import start_handling_clock
from board.deadlines import (
    add_working_days,
    deadline_working_days,
    working_days_between,
)
from board.models import Holiday, MessageKind
from tests.factories import (
    DepartmentDeadlineFactory,
    DepartmentFactory,
    HolidayFactory,
    MessageFactory,
    OfficialFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def days(start: str, end: str) -> list[date]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


CALENDAR_2026 = {
    "holidays": [
        *days("2026-02-15", "2026-02-23"),  # Spring Festival
        *days("2026-05-01", "2026-05-05"),  # Labour Day
        *days("2026-09-25", "2026-09-27"),  # Mid-Autumn
        *days("2026-10-01", "2026-10-07"),  # National Day
    ],
    "make_up_days": [
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ],
}


@pytest.fixture
def calendar_2026():
    for day in CALENDAR_2026["holidays"]:
        HolidayFactory(date=day, name="假日")
    for day in CALENDAR_2026["make_up_days"]:
        HolidayFactory(date=day, name="调休上班", is_working_day=True)


def reference_add(start: date, working_days: int) -> date:
    """A day-by-day count over the whole calendar: the oracle."""
    holidays = set(
        Holiday.objects.filter(is_working_day=False).values_list("date", flat=True)
    )
    make_up = set(
        Holiday.objects.filter(is_working_day=True).values_list("date", flat=True)
    )
    day, counted = start, 0
    while counted < working_days:
        day += timedelta(days=1)
        if day in make_up or (day not in holidays and day.weekday() < 5):
            counted += 1
    return day


# --- add_working_days ---


@pytest.mark.parametrize(
    ("start", "working_days", "expected"),
    [
        ("2026-03-02", 0, "2026-03-02"),  # Monday, nothing to add
        ("2026-03-07", 0, "2026-03-07"),  # a Saturday stays a Saturday
        ("2026-03-02", 1, "2026-03-03"),
        ("2026-03-06", 1, "2026-03-09"),  # Friday -> Monday
        ("2026-03-07", 1, "2026-03-09"),  # Saturday -> Monday
        ("2026-03-08", 1, "2026-03-09"),  # Sunday -> Monday
        ("2026-03-02", 5, "2026-03-09"),
        ("2026-03-02", 15, "2026-03-23"),
    ],
)
def test_weekends_are_skipped(start, working_days, expected):
    assert add_working_days(date.fromisoformat(start), working_days) == (
        date.fromisoformat(expected)
    )


@pytest.mark.parametrize(
    ("start", "working_days", "expected"),
    [
        # National Day: Oct 1–7 off, Sat Oct 10 worked.
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-09-30", 2, "2026-10-09"),
        ("2026-09-30", 3, "2026-10-10"),
        ("2026-09-30", 4, "2026-10-12"),
        ("2026-10-01", 1, "2026-10-08"),
        # Sun Sep 20 is worked in exchange for National Day.
        ("2026-09-18", 1, "2026-09-20"),
        ("2026-09-19", 1, "2026-09-20"),
        # Mid-Autumn: a Friday holiday runs into the weekend.
        ("2026-09-24", 1, "2026-09-28"),
        # Spring Festival: Sat Feb 14 worked, Feb 15–23 off, Sat Feb 28 worked.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-02-26", 2, "2026-02-28"),
        # Labour Day: Fri May 1 – Tue May 5 off, Sat May 9 worked.
        ("2026-04-30", 1, "2026-05-06"),
        ("2026-04-30", 4, "2026-05-09"),
        ("2026-04-30", 5, "2026-05-11"),
    ],
)
def test_holidays_are_skipped_and_make_up_days_count(
    calendar_2026, start, working_days, expected
):
    assert add_working_days(date.fromisoformat(start), working_days) == (
        date.fromisoformat(expected)
    )


def test_a_complaint_routed_before_national_day_is_due_three_weeks_later(
    calendar_2026,
):
    # Sep 29, 30, Oct 8, 9, 10 (Sat), Oct 12–16, Oct 19–23: fifteen days.
    assert add_working_days(date(2026, 9, 28), 15) == date(2026, 10, 23)


def test_the_count_agrees_with_a_day_by_day_count_over_the_whole_year(
    calendar_2026,
):
    for start in (date(2026, 1, 30), date(2026, 4, 24), date(2026, 9, 18)):
        for working_days in (0, 1, 3, 5, 10, 15, 30, 60, 120):
            assert add_working_days(start, working_days) == reference_add(
                start, working_days
            ), (start, working_days)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)


def test_a_calendar_longer_than_the_window_is_read_as_far_as_needed():
    # 200 days off in a row outlast the first window (5 * 2 + 40 days) and the
    # next ones; the holiday and the make-up day after them must still count.
    start = date(2030, 1, 1)  # a Tuesday
    for day in days("2030-01-02", "2030-07-20"):
        HolidayFactory(date=day)
    HolidayFactory(date=date(2030, 7, 22))  # Monday: still off
    HolidayFactory(date=date(2030, 7, 27), is_working_day=True)  # a Saturday
    # Tue Jul 23 .. Fri Jul 26 (4), Sat Jul 27 (5).
    assert add_working_days(start, 5) == date(2030, 7, 27)
    assert add_working_days(start, 6) == date(2030, 7, 29)
    assert add_working_days(start, 6) == reference_add(start, 6)


def test_a_long_span_crosses_several_holidays(calendar_2026):
    start = date(2026, 1, 5)
    assert add_working_days(start, 200) == reference_add(start, 200)
    assert working_days_between(start, add_working_days(start, 200)) == 200


# --- working_days_between ---


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-02", "2026-03-02", 0),
        ("2026-03-07", "2026-03-08", 0),  # a weekend
        ("2026-03-06", "2026-03-09", 1),  # Friday to Monday
        ("2026-03-02", "2026-03-09", 5),
        ("2026-09-30", "2026-10-07", 0),  # National Day
        ("2026-09-30", "2026-10-08", 1),
        ("2026-09-30", "2026-10-10", 3),  # Sat Oct 10 is worked
        ("2026-09-18", "2026-09-20", 1),  # Sun Sep 20 is worked
        ("2026-02-13", "2026-02-28", 6),  # Sat 14, Tue 24 – Fri 27, Sat 28
        # Past the end the count is negative: working days overdue.
        ("2026-03-09", "2026-03-06", -1),
        ("2026-10-08", "2026-09-30", -1),
        ("2026-10-12", "2026-09-30", -4),
        ("2026-03-09", "2026-03-02", -5),
    ],
)
def test_working_days_between(calendar_2026, start, end, expected):
    assert (
        working_days_between(date.fromisoformat(start), date.fromisoformat(end))
        == expected
    )


def reference_between(start: date, end: date) -> int:
    """Day by day, as the rule reads."""
    if end < start:
        return -reference_between(end, start)
    working = {
        row.date: row.is_working_day for row in Holiday.objects.filter(date__gt=start)
    }
    return sum(
        1
        for day in days(str(start + timedelta(days=1)), str(end))
        if working.get(day, day.weekday() < 5)
    )


def test_between_agrees_with_a_day_by_day_count(calendar_2026):
    # Counted, not walked: pairs of dates across the year's holidays and
    # make-up days, both ways round.
    HolidayFactory(date=date(2026, 12, 26), is_working_day=True)  # a Saturday
    HolidayFactory(date=date(2026, 12, 31))  # a Thursday
    sample = days("2026-01-01", "2027-01-10")[::3]
    for start in sample[::7]:
        for end in sample:
            assert working_days_between(start, end) == reference_between(start, end), (
                start,
                end,
            )


def test_between_undoes_add(calendar_2026):
    for start in days("2026-09-15", "2026-10-15"):
        for working_days in (0, 1, 2, 5, 15):
            due = add_working_days(start, working_days)
            assert working_days_between(start, due) == working_days, start


# --- The deadline of a message ---


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (MessageKind.INQUIRY, 5),
        (MessageKind.COMPLAINT, 15),
        (MessageKind.SUGGESTION, 15),
        (MessageKind.HELP, 15),
    ],
)
def test_deadline_by_kind(kind, expected):
    assert deadline_working_days(MessageFactory(kind=kind)) == expected


def test_the_settings_decide_the_default_deadline(settings):
    settings.ZHITONG_DEADLINE_WORKING_DAYS = {
        **settings.ZHITONG_DEADLINE_WORKING_DAYS,
        "inquiry": 7,
    }
    assert deadline_working_days(MessageFactory(kind=MessageKind.INQUIRY)) == 7


def test_a_department_overrides_the_deadline_for_one_kind():
    department = DepartmentFactory()
    DepartmentDeadlineFactory(
        department=department, kind=MessageKind.INQUIRY, working_days=3
    )
    official = OfficialFactory(department=department, region=department.region)
    to_department = MessageFactory(
        kind=MessageKind.INQUIRY,
        region=department.region,
        addressee_official=None,
        addressee_department=department,
    )
    to_its_official = MessageFactory(
        kind=MessageKind.INQUIRY,
        region=department.region,
        addressee_official=official,
    )
    assert deadline_working_days(to_department) == 3
    # The department handles messages to its officials too.
    assert deadline_working_days(to_its_official) == 3
    # Other kinds, and other departments, keep the default.
    assert deadline_working_days(MessageFactory(addressee_official=official)) == 15
    assert deadline_working_days(MessageFactory(kind=MessageKind.INQUIRY)) == 5


def test_start_handling_clock_counts_from_the_local_date_of_routing(
    calendar_2026,
):
    message = MessageFactory(
        kind=MessageKind.INQUIRY,
        due_date=date(2026, 1, 1),
        extended_by_days=5,
        extension_reason="等待检测结果",
        escalated_at=datetime(2026, 1, 2, tzinfo=SHANGHAI),
        near_deadline_notified_at=datetime(2026, 1, 1, tzinfo=SHANGHAI),
    )
    # Wednesday 17:30 UTC is already Thursday 01:30 in Beijing.
    now = datetime(2026, 9, 16, 17, 30, tzinfo=ZoneInfo("UTC"))
    start_handling_clock(message, now=now)
    assert message.routed_at == now
    # Fri Sep 18, Sun Sep 20 (worked), Mon 21, Tue 22, Wed 23; counted from
    # the UTC date it would be a day earlier.
    assert message.due_date == date(2026, 9, 23)
    assert (message.extended_by_days, message.extension_reason) == (0, "")
    assert message.escalated_at is None
    assert message.near_deadline_notified_at is None


def test_start_handling_clock_does_not_save(calendar_2026):
    message = MessageFactory(kind=MessageKind.COMPLAINT, due_date=None)
    start_handling_clock(message, now=datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI))
    assert message.due_date == date(2026, 10, 23)
    message.refresh_from_db()
    assert message.due_date is None
