"""The officials' workflow of the demo (issue 4): one scenario per state.

Messages to the demo official (the mayor) and his office, oldest first: auto
closed, followed up, overdue and escalated, rated, extended, replied with a
sign-off, an interim reply, transferred up to the limit, a draft awaiting
sign-off, accepted, near its deadline, just routed.
"""

from django.conf import settings

from board.actions import message_extend, message_transfer, reply_sign_off
from board.models import TransferRequest
from moderation.actions import follow_up_approve

from .letters import EXTENSION_REASON, TRANSFER_REASONS
from .steps import Steps


class HandlingScenarios(Steps):
    """``handle_<key>`` takes ``HANDLING_LETTERS[key]`` to its state."""

    def handle_auto_closed(self) -> None:
        """Replied 14 working days ago, never rated: the periodic check closes it."""
        if not self.begin("auto_closed"):
            return
        message = self.routed("auto_closed", 24)
        self.accept(message, 23)
        self.reply(message, "auto_closed", self.working_day(14, 10, 30))

    def handle_follow_up_approved(self) -> None:
        """Rated dissatisfied, asked again; the follow-up is back in handling."""
        if not self.begin("follow_up_approved"):
            return
        message = self.routed("follow_up_approved", 20, moderator="moderator2")
        self.accept(message, 19)
        replied = self.working_day(12, 11, 0)
        self.reply(message, "follow_up_approved", replied)
        self.rate(message, "follow_up_approved", self.same_evening(replied, 30))
        follow_up = self.follow_up(
            message, "follow_up_approved", self.same_evening(replied, 45)
        )
        self.act(
            self.working_day(11, 10, 20),
            follow_up_approve,
            follow_up=follow_up,
            actor=self.users["moderator"],
        )

    def handle_overdue(self) -> None:
        """Accepted, never answered: due on the last working day, so this
        morning's check escalates it (督办) to the office's supervisor."""
        if not self.begin("overdue"):
            return
        days = self.deadline_days("overdue")
        message = self.routed("overdue", days + 1)
        self.accept(message, days)

    def handle_dissatisfied(self) -> None:
        """Rated 不满意, and a follow-up (追问) awaits the moderators."""
        if not self.begin("dissatisfied"):
            return
        message = self.routed("dissatisfied", 16)
        self.accept(message, 15)
        replied = self.working_day(6, 15, 0)
        self.reply(message, "dissatisfied", replied)
        self.rate(message, "dissatisfied", self.same_evening(replied, 40))
        self.follow_up(message, "dissatisfied", self.working_day(1, 21, 5))

    def handle_satisfied(self) -> None:
        """Rated 满意: the message closed."""
        if not self.begin("satisfied"):
            return
        message = self.routed("satisfied", 12, moderator="moderator2")
        self.accept(message, 11)
        replied = self.working_day(8, 14, 0)
        self.reply(message, "satisfied", replied)
        self.rate(message, "satisfied", self.same_evening(replied))

    def handle_extended(self) -> None:
        """Accepted, the deadline extended once with a public reason."""
        if not self.begin("extended"):
            return
        message = self.routed("extended", 12)
        self.accept(message, 11)
        self.act(
            self.working_day(2, 15, 0),
            message_extend,
            message=message,
            actor=self.users["official"],
            working_days=10,
            reason=EXTENSION_REASON,
        )

    def handle_replied(self) -> None:
        """A handler's final reply, signed off by the official: awaits rating."""
        if not self.begin("replied"):
            return
        message = self.routed("replied", 10, moderator="moderator2")
        self.accept(message, 9)
        draft = self.reply(
            message, "replied", self.working_day(3, 15, 30), by="handler"
        )
        self.act(
            self.working_day(2, 9, 10),
            reply_sign_off,
            reply=draft,
            actor=self.users["official"],
        )

    def handle_interim(self) -> None:
        """Accepted, with a public progress note (阶段性回复)."""
        if not self.begin("interim"):
            return
        message = self.routed("interim", 8)
        self.accept(message, 7)
        self.reply(message, "interim", self.working_day(2, 16, 20), final=False)

    def handle_transfer_request(self) -> None:
        """Bounced between the mayor and his office up to the transfer limit;
        the next transfer is a request the moderators decide."""
        if not self.begin("transfer_request"):
            return
        limit = settings.ZHITONG_MAX_TRANSFERS
        message = self.routed("transfer_request", 2 * limit + 3)
        for number in range(limit):
            to_office = number % 2 == 0
            self.act(
                self.working_day(2 * limit + 2 - 2 * number, 11, 0),
                message_transfer,
                message=message,
                actor=self.users["official" if to_office else "handler"],
                reason=TRANSFER_REASONS["to_office" if to_office else "to_mayor"],
                to_official=None if to_office else self.mayor,
                to_department=self.office if to_office else None,
            )
        with_office = limit % 2 == 1
        request = self.act(
            self.working_day(2, 11, 0),
            message_transfer,
            message=message,
            actor=self.users["handler" if with_office else "official"],
            reason=TRANSFER_REASONS["to_bureau"],
            to_department=self.bureaus["transport"],
        )
        if not isinstance(request, TransferRequest):
            raise RuntimeError("The demo's transfer limit was not reached.")

    def handle_draft(self) -> None:
        """Written to the office; a handler's final reply awaits sign-off."""
        if not self.begin("draft"):
            return
        message = self.routed("draft", 7, moderator="moderator2")
        self.accept(message, 6, by="handler")
        self.reply(message, "draft", self.working_day(1, 16, 10), by="handler")

    def handle_transferred(self) -> None:
        """Transferred once, from the mayor to his office, which accepted it."""
        if not self.begin("transferred"):
            return
        message = self.routed("transferred", 6)
        self.act(
            self.working_day(5, 11, 0),
            message_transfer,
            message=message,
            actor=self.users["official"],
            reason=TRANSFER_REASONS["transferred"],
            to_department=self.office,
        )
        self.accept(message, 4, by="handler")

    def handle_accepted(self) -> None:
        """Accepted (受理), nothing said yet."""
        if not self.begin("accepted"):
            return
        message = self.routed("accepted", 4, moderator="moderator2")
        self.accept(message, 3)

    def handle_near_deadline(self) -> None:
        """An inquiry (5 working days) due in two working days."""
        if not self.begin("near_deadline"):
            return
        message = self.routed(
            "near_deadline", max(self.deadline_days("near_deadline") - 2, 1)
        )
        self.accept(message, 2, by="handler")

    def handle_routed(self) -> None:
        """Approved and routed yesterday; the clock runs, nobody accepted yet."""
        if not self.begin("routed"):
            return
        self.routed("routed", 1)
