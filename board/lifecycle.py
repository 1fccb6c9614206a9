"""The one state machine of a message's lifecycle.

Only actions (``board/actions.py``, ``moderation/actions.py``) move a message
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


TRANSITIONS: dict[str, frozenset[str]] = {
    MessageStatus.PENDING: frozenset(
        {MessageStatus.PUBLISHED, MessageStatus.REJECTED, MessageStatus.WITHDRAWN}
    ),
    MessageStatus.PUBLISHED: frozenset({MessageStatus.ACCEPTED}),
    MessageStatus.ACCEPTED: frozenset({MessageStatus.REPLIED}),
    MessageStatus.REPLIED: frozenset({MessageStatus.CLOSED}),
    MessageStatus.REJECTED: frozenset(),
    MessageStatus.WITHDRAWN: frozenset(),
    MessageStatus.CLOSED: frozenset(),
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
EDITABLE_STATUSES = frozenset({MessageStatus.PENDING})
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
