"""Write every message's search document afresh.

``python manage.py rebuild_search_index [--batch-size N]``

Documents follow their messages on their own (board/search_index.py); this
fills the index after a bulk load or a change of how texts are cut into
terms. Messages are read in batches by id, one transaction each, so the
board stays usable while it runs.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from board.models import Message
from board.search_index import (
    REBUILD_BATCH_SIZE,
    search_index_analyze,
    search_index_rebuild,
)


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every message."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH_SIZE,
            help="Messages per transaction.",
        )

    def handle(self, *args, batch_size=REBUILD_BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = Message.objects.count()
        started = time.monotonic()
        every = max(batch_size, 50_000)
        reported = 0

        def progress(done: int, seconds: float) -> None:
            nonlocal reported
            if done - reported >= every:
                reported = done
                self.stdout.write(f"{done:,} / {total:,} messages, {seconds:.0f} s")

        done = search_index_rebuild(batch_size=batch_size, progress=progress)
        search_index_analyze()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {done:,} messages in {seconds:.1f} s"
                f" ({done / seconds if seconds else 0:,.0f} a second)."
            )
        )
