"""Response deadlines, written once: the working-day calendar, a message's
deadline and countdown, and what "near the deadline" means.

A working day is Monday to Friday, minus the public holidays listed in the
admin, plus the make-up working days (调休) listed there. A deadline of N
working days counted from routing ends with the Nth working day after the day
of routing. Actions, selectors, serializers and views all ask this module.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from django.conf import settings
from django.utils import timezone

from board.lifecycle import IN_HANDLING_STATUSES
from board.models import DepartmentDeadline, Holiday, Message
from board.permissions import handling_department_id


def calendar_exceptions(start: date, end: date) -> tuple[frozenset, frozenset]:
    """Holidays and make-up working days between two dates (inclusive)."""
    rows = Holiday.objects.filter(date__gte=start, date__lte=end).values_list(
        "date", "is_working_day"
    )
    holidays = frozenset(day for day, working in rows if not working)
    make_up_days = frozenset(day for day, working in rows if working)
    return holidays, make_up_days


def is_working_day(day: date, holidays=frozenset(), make_up_days=frozenset()) -> bool:
    if day in make_up_days:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: date, working_days: int) -> date:
    """The date on which the ``working_days``-th working day after ``start`` falls."""
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    # Long holidays (Spring Festival) take at most ~10 days; a generous window
    # keeps this to one query.
    window_end = start + timedelta(days=working_days * 2 + 40)
    holidays, make_up_days = calendar_exceptions(start, window_end)
    day, counted = start, 0
    while counted < working_days:
        day += timedelta(days=1)
        if day > window_end:  # pathological calendars: extend the window
            more = calendar_exceptions(day, day + timedelta(days=60))
            holidays, make_up_days = holidays | more[0], make_up_days | more[1]
            window_end = day + timedelta(days=60)
        if is_working_day(day, holidays, make_up_days):
            counted += 1
    return day


def _weekdays_through(day: date) -> int:
    """Monday-to-Friday days from 0001-01-01 (a Monday) through ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkingCalendar:
    """Working-day counts over a range of dates with one query, for lists."""

    def __init__(self, start: date, end: date):
        self.holidays, self.make_up_days = calendar_exceptions(start, end)
        # How each exception changes a plain Monday-to-Friday count: a
        # holiday on a weekday takes one away, a make-up Saturday adds one.
        changes = sorted(
            [
                (day, -1)
                for day in self.holidays - self.make_up_days
                if day.weekday() < 5
            ]
            + [(day, 1) for day in self.make_up_days if day.weekday() >= 5]
        )
        self._change_days = [day for day, _change in changes]
        self._changes_through = list(accumulate(change for _day, change in changes))

    def after(self, start: date, working_days: int) -> date:
        """The ``working_days``-th working day after ``start``, for a
        calendar built to cover it (``add_working_days`` reads its own)."""
        day, counted = start, 0
        while counted < working_days:
            day += timedelta(days=1)
            if is_working_day(day, self.holidays, self.make_up_days):
                counted += 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to ``end``; negative if past.
        Counted, not walked: an inbox shows dozens of deadlines, some of
        them years overdue in old data."""
        if end < start:
            return -self.between(end, start)
        return (
            _weekdays_through(end)
            - _weekdays_through(start)
            + self._exceptions_through(end)
            - self._exceptions_through(start)
        )

    def _exceptions_through(self, day: date) -> int:
        index = bisect_right(self._change_days, day)
        return self._changes_through[index - 1] if index else 0


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative if past."""
    return WorkingCalendar(min(start, end), max(start, end)).between(start, end)


def deadline_working_days(message: Message) -> int:
    """The response deadline for this kind of message at its department."""
    department_id = handling_department_id(message)
    if department_id is not None:
        override = (
            DepartmentDeadline.objects.filter(
                department_id=department_id, kind=message.kind
            )
            .values_list("working_days", flat=True)
            .first()
        )
        if override:
            return override
    return settings.ZHITONG_DEADLINE_WORKING_DAYS[message.kind]


# --- "Near the deadline": the same rule in Python and as a query bound ---


def is_near(days_left: int) -> bool:
    """Due today or within ZHITONG_NEAR_DEADLINE_WORKING_DAYS working days."""
    return 0 <= days_left <= settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS


def near_deadline_limit(today: date) -> date:
    """The last due date that counts as near, for queries: a due date between
    ``today`` and this date is near, exactly when ``is_near`` says so."""
    return add_working_days(today, settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS)


def working_days_left(message: Message, *, calendar=None) -> int | None:
    if message.due_date is None:
        return None
    today = timezone.localdate()
    calendar = calendar or WorkingCalendar(
        min(today, message.due_date), max(today, message.due_date)
    )
    return calendar.between(today, message.due_date)


@dataclass(frozen=True)
class Deadline:
    """The reply deadline of a message being handled, as of ``today``."""

    due_date: date
    days_left: int
    is_overdue: bool
    is_near: bool
    extended_by_days: int
    extension_reason: str
    is_escalated: bool

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)

    @property
    def state(self) -> str:
        if self.is_overdue:
            return "overdue"
        return "near" if self.is_near else "on-time"


def deadline_for(
    message: Message, *, today: date | None = None, calendar=None
) -> Deadline | None:
    """The countdown of a message being handled; None once it is answered."""
    if message.status not in IN_HANDLING_STATUSES or message.due_date is None:
        return None
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar(
        min(today, message.due_date), max(today, message.due_date)
    )
    days_left = calendar.between(today, message.due_date)
    is_overdue = message.due_date < today
    return Deadline(
        due_date=message.due_date,
        days_left=days_left,
        is_overdue=is_overdue,
        is_near=not is_overdue and is_near(days_left),
        extended_by_days=message.extended_by_days,
        extension_reason=message.extension_reason,
        is_escalated=message.escalated_at is not None,
    )
