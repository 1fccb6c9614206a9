"""Fill missing handling facts and count every day's summary rows again.

``python manage.py rebuild_statistics``

The summary rows behind /stats/ and /api/v1/stats/ follow their messages
on their own (board/statistics.py); this is for a database that had
messages before the statistics existed (migration 0016), after a bulk load
that wrote rows without the actions, or to repair rows by hand. Each day is
counted in a transaction of its own, so the board stays usable meanwhile.
"""

import time

from django.core.management.base import BaseCommand

from board.statistics import statistics_rebuild


class Command(BaseCommand):
    help = "Recount the statistics' summary rows (and fill missing facts)."

    def handle(self, *args, **options):
        started = time.monotonic()
        counted = statistics_rebuild(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Filled the facts of {counted['facts']:,} messages and counted "
                f"{counted['days']:,} days ({counted['rows']:,} summary rows) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
