"""Working-day arithmetic for response deadlines.

A working day is Monday to Friday, minus the public holidays listed in the
admin, plus the make-up working days (调休) listed there. A deadline of N
working days counted from routing ends with the Nth working day after the day
of routing.
"""

from datetime import date, timedelta

from django.utils import timezone

from board.models import Holiday


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


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative if past."""
    if end < start:
        return -working_days_between(end, start)
    holidays, make_up_days = calendar_exceptions(start, end)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays, make_up_days):
            count += 1
    return count


def today() -> date:
    return timezone.localdate()
