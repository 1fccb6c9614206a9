"""Count the board's totals afresh from the messages.

``python manage.py rebuild_board_counts``

The counts per region, category, kind and status behind the board's totals
(board/models/board_counts.py) are kept by triggers on every write to
board_message, bulk loads included; this is for a database restored without
them, or to check them: it prints how many cells changed.
"""

from django.core.management.base import BaseCommand

from board.models import BoardCount


def _cells() -> dict[tuple, int]:
    return {
        (cell.region_id, cell.category_id, cell.kind, cell.status): cell.count
        for cell in BoardCount.objects.exclude(count=0)
    }


class Command(BaseCommand):
    help = "Count the board's totals (per region, category, kind, status) afresh."

    def handle(self, *args, **options):
        before = _cells()
        BoardCount.objects.rebuild()
        after = _cells()
        differed = sum(
            1
            for cell in before.keys() | after.keys()
            if before.get(cell) != after.get(cell)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Counted {len(after):,} cells ({sum(after.values()):,} public"
                f" messages); {differed:,} differed from what was kept."
            )
        )
