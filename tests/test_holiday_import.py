"""The working calendar: the State Council's holidays and make-up working days
imported from chinesecalendar (a command, and the first migrate), never over
what an administrator keeps."""

from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command

from board.actions.holidays import holidays_import, state_council_years
from board.deadlines import add_working_days
from board.models import Holiday
from board.signals import holidays_import_on_first_migrate

pytestmark = pytest.mark.django_db

NATIONAL_DAY_2025 = date(2025, 10, 1)
# 2025's National Day and Mid-autumn: 1–8 October off, Sunday 28 September
# and Saturday 11 October worked.
MAKE_UP_DAY_2025 = date(2025, 9, 28)


def test_the_import_adds_holidays_and_make_up_days():
    result = holidays_import(years=[2025])

    national_day = Holiday.objects.get(date=NATIONAL_DAY_2025)
    assert (national_day.name, national_day.is_working_day) == ("国庆节", False)
    make_up = Holiday.objects.get(date=MAKE_UP_DAY_2025)
    assert (make_up.name, make_up.is_working_day) == ("国庆节调休上班", True)
    assert result.created == Holiday.objects.count() > 20
    assert {day.year for day in Holiday.objects.values_list("date", flat=True)} == {
        2025
    }


def test_deadlines_follow_the_imported_calendar():
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 1)

    holidays_import(years=[2025])

    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 26), 1) == MAKE_UP_DAY_2025


def test_an_administrator_edit_is_never_overwritten():
    Holiday.objects.create(
        date=NATIONAL_DAY_2025, name="国庆节（本市照常办公）", is_working_day=True
    )

    result = holidays_import(years=[2025])
    again = holidays_import(years=[2025])

    kept = Holiday.objects.get(date=NATIONAL_DAY_2025)
    assert (kept.name, kept.is_working_day) == ("国庆节（本市照常办公）", True)
    assert result.kept == 1
    assert (again.created, again.kept) == (0, result.created + 1)


def test_the_command_imports_the_years_asked_for(capsys):
    call_command("import_holidays", "--year", "2024")

    assert Holiday.objects.filter(date__year=2024).exists()
    assert not Holiday.objects.exclude(date__year=2024).exists()
    assert "days added" in capsys.readouterr().out


def test_the_command_refuses_a_year_it_does_not_know():
    with pytest.raises(CommandError):
        call_command("import_holidays", "--year", "1999")
    assert Holiday.objects.count() == 0


def test_the_command_imports_every_known_year_by_default():
    call_command("import_holidays")

    years = {day.year for day in Holiday.objects.values_list("date", flat=True)}
    assert years == set(state_council_years())
    assert 2026 in years


def first_migrate():
    holidays_import_on_first_migrate(
        sender=django_apps.get_app_config("board"), using="default", apps=django_apps
    )


def test_the_first_migrate_fills_an_empty_calendar(settings):
    settings.ZHITONG_IMPORT_HOLIDAYS_ON_MIGRATE = True

    first_migrate()

    assert Holiday.objects.filter(date=NATIONAL_DAY_2025).exists()


def test_a_later_migrate_leaves_a_kept_calendar_alone(settings):
    settings.ZHITONG_IMPORT_HOLIDAYS_ON_MIGRATE = True
    Holiday.objects.create(date=date(2026, 1, 1), name="元旦")

    first_migrate()

    assert Holiday.objects.count() == 1


def test_migrating_without_the_import_leaves_the_calendar_empty(settings):
    settings.ZHITONG_IMPORT_HOLIDAYS_ON_MIGRATE = False

    first_migrate()

    assert Holiday.objects.count() == 0
