"""Decisions on several pending messages at once."""

from django.utils.translation import gettext as _

from board.errors import BoardError, ValidationFailed
from board.models import Message, User

from .approvals import message_approve, message_reject
from .common import _reason_with_note, ensure_moderator


def bulk_decide(
    *,
    messages: list[Message],
    actor: User,
    decision: str,
    reason: str = "",
    note: str = "",
) -> dict[int, str]:
    """Approve or reject several items, each through the same rules, one by one.

    Returns, per message id, "ok" or the error's message; one refusal does
    not undo the others.
    """
    ensure_moderator(actor)
    if decision not in {"approve", "reject"}:
        raise ValidationFailed(_("Choose approve or reject."), field="decision")
    if decision == "reject":
        # Refused once for the whole selection rather than once per item.
        _reason_with_note(reason, note)
    outcome = {}
    for message in messages:
        try:
            if decision == "approve":
                message_approve(message=message, actor=actor)
            else:
                message_reject(message=message, actor=actor, reason=reason, note=note)
        except BoardError as error:
            outcome[message.pk] = error.message
        else:
            outcome[message.pk] = "ok"
    return outcome
