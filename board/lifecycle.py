"""The one state machine of a message's lifecycle.

Only actions (``board/actions/``, ``moderation/actions/``) move a message
between statuses, through ``ensure_transition``; queries use the groups below.
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .errors import InvalidTransition


class MessageStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("message status", "Awaiting review")
    PUBLISHED = "published", pgettext_lazy("message status", "Published")
    REJECTED = "rejected", pgettext_lazy("message status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("message status", "Withdrawn")
    ACCEPTED = "accepted", pgettext_lazy("message status", "Accepted")
    REPLIED = "replied", pgettext_lazy("message status", "Replied")
    CLOSED = "closed", pgettext_lazy("message status", "Closed")
    CHANGES_REQUESTED = (
        "changes_requested",
        pgettext_lazy("message status", "Changes requested"),
    )
    HIDDEN = "hidden", pgettext_lazy("message status", "Hidden")


TRANSITIONS: dict[str, frozenset[str]] = {
    MessageStatus.PENDING: frozenset(
        {
            MessageStatus.PUBLISHED,
            MessageStatus.REJECTED,
            MessageStatus.WITHDRAWN,
            MessageStatus.CHANGES_REQUESTED,
        }
    ),
    # The author's edit sends it back to the queue.
    MessageStatus.CHANGES_REQUESTED: frozenset(
        {MessageStatus.PENDING, MessageStatus.WITHDRAWN}
    ),
    MessageStatus.PUBLISHED: frozenset({MessageStatus.ACCEPTED, MessageStatus.HIDDEN}),
    MessageStatus.ACCEPTED: frozenset({MessageStatus.REPLIED, MessageStatus.HIDDEN}),
    # A reviewed follow-up (追问) sends a replied message back to the addressee;
    # one that closed by itself may be reopened the same way within 30 days.
    MessageStatus.REPLIED: frozenset(
        {MessageStatus.CLOSED, MessageStatus.HIDDEN, MessageStatus.ACCEPTED}
    ),
    MessageStatus.CLOSED: frozenset({MessageStatus.HIDDEN, MessageStatus.ACCEPTED}),
    # Restoring returns a message to the status it was hidden from; the
    # action checks which one (Message.status_before_hidden).
    MessageStatus.HIDDEN: frozenset(
        {
            MessageStatus.PUBLISHED,
            MessageStatus.ACCEPTED,
            MessageStatus.REPLIED,
            MessageStatus.CLOSED,
        }
    ),
    MessageStatus.REJECTED: frozenset(),
    MessageStatus.WITHDRAWN: frozenset(),
}

# Statuses in which a message has passed review and is routed to its addressee;
# such a message is on the public board when its author made it public.
PUBLIC_STATUSES = frozenset(
    {
        MessageStatus.PUBLISHED,
        MessageStatus.ACCEPTED,
        MessageStatus.REPLIED,
        MessageStatus.CLOSED,
    }
)
# The author may still edit or withdraw the message.
EDITABLE_STATUSES = frozenset({MessageStatus.PENDING, MessageStatus.CHANGES_REQUESTED})
# Reviewed and routed: the addressee may see it even when it is private.
ROUTED_STATUSES = PUBLIC_STATUSES
# The addressee is working on it: it can be transferred, extended, answered.
IN_HANDLING_STATUSES = frozenset({MessageStatus.PUBLISHED, MessageStatus.ACCEPTED})
# Answered: after a final reply; the author may rate it and ask again.
ANSWERED_STATUSES = frozenset({MessageStatus.REPLIED, MessageStatus.CLOSED})
# Public messages a moderator may hide.
HIDEABLE_STATUSES = PUBLIC_STATUSES
FINAL_STATUSES = frozenset(
    status for status, targets in TRANSITIONS.items() if not targets
)


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS[MessageStatus(current)]


def ensure_transition(current: str, target: str) -> None:
    """Raise ``InvalidTransition`` unless ``current`` may move to ``target``."""
    if not can_transition(current, target):
        raise InvalidTransition(
            _("A message that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": MessageStatus(current).label,
                "target": MessageStatus(target).label,
            }
        )
