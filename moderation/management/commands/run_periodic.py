"""Run the periodic checks once (``moderation/periodic.py`` lists them).

A scheduler (cron, a systemd timer) runs it every few minutes where no
Celery beat runs. Each check commits message by message, so a run that stops
half-way loses nothing and the next run picks up the rest.
"""

from django.core.management.base import BaseCommand, CommandError

from moderation.periodic import periodic_checks_run


class Command(BaseCommand):
    help = (
        "Warn of near deadlines and escalate overdue messages, close replied "
        "messages nobody followed up, and tell authors whose message waits "
        "past the review deadline."
    )

    def handle(self, *args, **options):
        figures, failed = periodic_checks_run()
        self.stdout.write(
            f"deadlines: {figures['approaching']} approaching, "
            f"{figures['escalated']} escalated; "
            f"closed: {figures['closed']}; "
            f"waiting notices: {figures['still_waiting']}"
        )
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}")
