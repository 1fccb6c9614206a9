"""The working calendar: the State Council's public holidays and make-up
working days (调休), as published each year and packaged by chinesecalendar.

Administrators keep the calendar in the admin afterwards. An import only adds
the dates the table does not have yet, so a row an administrator changed
(renamed, or turned into a make-up working day) is never overwritten.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from chinese_calendar import constants as state_council
from django.db import transaction

from board import page_cache
from board.models import Holiday

# chinesecalendar keys its days by the holiday's English name; the calendar
# names them in Chinese, as the State Council's notice does.
CHINESE_NAMES = {holiday.value: holiday.chinese for holiday in state_council.Holiday}
MAKE_UP_SUFFIX = "调休上班"
NAME_MAX_LENGTH = Holiday._meta.get_field("name").max_length


@dataclass(frozen=True)
class HolidayImport:
    created: int
    kept: int
    years: tuple[int, ...]


def state_council_years() -> tuple[int, ...]:
    """The years whose schedule the installed chinesecalendar knows."""
    days = [*state_council.holidays, *state_council.workdays]
    return tuple(sorted({day.year for day in days}))


def state_council_calendar(years: Iterable[int]) -> dict[date, tuple[str, bool]]:
    """Each listed day of those years: its name and whether it is worked."""
    wanted = set(years)
    calendar = {}
    for day, english in state_council.holidays.items():
        if day.year in wanted:
            calendar[day] = (CHINESE_NAMES.get(english, english), False)
    for day, english in state_council.workdays.items():
        if day.year in wanted:
            name = f"{CHINESE_NAMES.get(english, english)}{MAKE_UP_SUFFIX}"
            calendar[day] = (name, True)
    return calendar


@transaction.atomic
def holidays_import(
    *, years: Iterable[int] | None = None, using: str = "default"
) -> HolidayImport:
    """Add the State Council's holidays and make-up working days of ``years``
    (every year chinesecalendar knows by default) that the calendar lacks.

    Dates already in the calendar are left as they are: an administrator's
    edit stands, and running the import again changes nothing.
    """
    years = tuple(sorted(set(years))) if years else state_council_years()
    calendar = state_council_calendar(years)
    existing = set(
        Holiday.objects.using(using)
        .filter(date__in=list(calendar))
        .values_list("date", flat=True)
    )
    Holiday.objects.using(using).bulk_create(
        [
            Holiday(
                date=day, name=name[:NAME_MAX_LENGTH], is_working_day=is_working_day
            )
            for day, (name, is_working_day) in sorted(calendar.items())
            if day not in existing
        ]
    )
    created = len(calendar) - len(existing)
    if created:
        # A bulk insert sends no post_save: deadlines shown on cached pages
        # change with the calendar (after commit).
        page_cache.reference_changed()
    return HolidayImport(created=created, kept=len(existing), years=years)
