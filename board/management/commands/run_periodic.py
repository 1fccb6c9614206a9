"""Run the board's periodic checks once.

A scheduler (cron, a systemd timer) runs it every few minutes until a task
engine calls the same actions. Each check commits message by message, so a
run that stops half-way loses nothing and the next run picks up the rest.
"""

import logging

from django.core.management.base import BaseCommand, CommandError

from board.handling import deadlines_check, messages_auto_close
from moderation.actions import message_still_waiting_notify

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Warn of near deadlines and escalate overdue messages, close replied "
        "messages nobody followed up, and tell authors whose message waits "
        "past the review deadline."
    )

    def handle(self, *args, **options):
        failed = []

        def run(name, check, empty):
            # One failing check must not keep the others from running.
            try:
                return check()
            except Exception:
                logger.exception("Periodic check %s failed", name)
                failed.append(name)
                return empty

        deadlines = run(
            "deadlines_check", deadlines_check, {"approaching": 0, "escalated": 0}
        )
        closed = run("messages_auto_close", messages_auto_close, 0)
        waiting = run("message_still_waiting_notify", message_still_waiting_notify, 0)
        self.stdout.write(
            f"deadlines: {deadlines['approaching']} approaching, "
            f"{deadlines['escalated']} escalated; "
            f"closed: {closed}; "
            f"waiting notices: {waiting}"
        )
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}")
