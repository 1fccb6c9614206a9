"""The review queue of the demo (issue 3): messages awaiting review.

Each trips a finding of the pre-screen (links, a blocked author, a screening
rule, a phone number, an email address, an ID number, a duplicate, a new
account); one awaits a second moderator's approval.
"""

from datetime import timedelta

from moderation.actions import message_approve, user_block
from moderation.models import UserBlock

from .people import SPAMMER_BLOCK_REASON
from .steps import Steps


class ReviewScenarios(Steps):
    """``pending(key)`` submits the letter ``PENDING_LETTERS[key]``."""

    PENDING_HOURS_AGO = {
        # Older than the 24-hour review deadline: the delay notice shows.
        "links": 30,
        "held": 20,
        "rule": 18,
        "phone": 16,
        "email": 12,
        "duplicate_original": 9,
        "id_number": 8,
        "second_approval": 7,
        "regex": 4,
        "duplicate": 3,  # the author sent the same text again
        "new_account": 10 / 60,  # joined 25 minutes ago
    }

    def pending(self, key: str) -> None:
        if not self.begin(key):
            return
        submitted = self.hours_ago(self.PENDING_HOURS_AGO[key])
        if key == "held":
            spammer = self.users["spammer"]
            if not UserBlock.objects.filter(user=spammer).exists():
                self.act(
                    submitted - timedelta(days=2),
                    user_block,
                    user=spammer,
                    actor=self.users["moderator"],
                    reason=SPAMMER_BLOCK_REASON,
                )
        message = self.submit(key, submitted)
        if key == "second_approval":
            # The first of two approvals; moderator2 gives the second.
            self.act(
                submitted + timedelta(minutes=50),
                message_approve,
                message=message,
                actor=self.users["moderator"],
            )
