"""The workflow demo's seeder: people, reference data, then every scenario.

Runs in one transaction; the actions' tasks (emails, pushes) run when it
commits. Only the periodic checks run at the present, as the scheduler would
have run them this morning.
"""

from django.db import transaction
from django.db.models import F, Max

from board.actions import deadlines_check, messages_auto_close
from board.models import Notification

from .clock import quiet_task_logs
from .handling import HandlingScenarios
from .letters import HANDLING_LETTERS, PENDING_LETTERS
from .people import seed_people
from .reference import (
    HOLIDAYS,
    ensure_site_notice,
    seed_holidays,
    seed_screening_rules,
)
from .review import ReviewScenarios


class WorkflowSeeder(HandlingScenarios, ReviewScenarios):
    """Every scenario of the workflow demo, in the order they began."""

    def run(self) -> dict:
        # The actions' tasks (emails, pushes) run when this commits.
        with quiet_task_logs(), transaction.atomic():
            last_notification = Notification.objects.aggregate(last=Max("pk"))["last"]
            self.users, self.mayor, self.office = seed_people(
                password=self.password, now=self.now
            )
            rules = seed_screening_rules()
            holidays = seed_holidays()
            ensure_site_notice()
            self.load_places()
            # Oldest first, so ids follow time as on a real board.
            for key in HANDLING_LETTERS:
                getattr(self, f"handle_{key}")()
            for key in PENDING_LETTERS:
                self.pending(key)
            if self.added_ids:
                # The periodic checks, as this morning's run would have made them.
                deadlines_check(now=self.now)
                messages_auto_close(now=self.now)
                self.mark_notifications_emailed(last_notification or 0)
        return {
            "rules": rules,
            "holidays": holidays,
            "years": sorted({int(first[:4]) for first, *_rest in HOLIDAYS}),
            "pending": len(PENDING_LETTERS),
            "handling": len(HANDLING_LETTERS),
            "added": len(self.added_ids),
        }

    def mark_notifications_emailed(self, after_pk: int) -> None:
        """The demo's past notifications are not emailed now (to example.com,
        or printed all over seed_demo's output): they count as emailed when
        they were made, so neither the email task nor the digest sends them."""
        Notification.objects.filter(
            pk__gt=after_pk, message_id__in=self.added_ids, emailed_at__isnull=True
        ).update(emailed_at=F("created_at"))


def seed_workflow(*, password: str, stdout=None) -> dict:
    """Seed the moderation and handling demo; prints one summary line."""
    counts = WorkflowSeeder(password).run()
    if stdout is not None:
        stdout.write(
            f"Workflow demo: {counts['rules']} screening rules, "
            f"{counts['holidays']} holidays and make-up days "
            f"({counts['years'][0]}–{counts['years'][-1]}), "
            f"{counts['pending']} messages awaiting review and "
            f"{counts['handling']} in the officials' workflow "
            f"({counts['added']} added now)."
        )
    return counts
