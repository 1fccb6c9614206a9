"""Import the State Council's public holidays and make-up working days.

``python manage.py import_holidays [--year 2026 ...]``

Adds the dates of the years chinesecalendar knows (or only those given) that
the working calendar lacks; dates already there, edited by an administrator
or not, are kept as they are. `migrate` runs it once, on an empty calendar.
A new chinesecalendar release each December brings the next year.
"""

from django.core.management.base import BaseCommand, CommandError

from board.actions.holidays import holidays_import, state_council_years


class Command(BaseCommand):
    help = "Import the State Council's holidays and make-up working days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="Only this year (repeatable). Default: every year known.",
        )

    def handle(self, *args, years=None, **options):
        known = state_council_years()
        unknown = sorted(set(years or ()) - set(known))
        if unknown:
            raise CommandError(
                f"chinesecalendar has no schedule for {unknown}; it knows "
                f"{known[0]}–{known[-1]}. Upgrade it, or add the days in the admin."
            )
        result = holidays_import(years=years)
        self.stdout.write(
            f"{result.created} days added, {result.kept} already in the calendar "
            f"kept ({result.years[0]}–{result.years[-1]})."
        )
