"""Duplicates: a message linked to the public one it repeats."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.actions import message_transition, notify, timeline_record
from board.errors import ValidationFailed
from board.lifecycle import HIDEABLE_STATUSES, MessageStatus
from board.models import Message, MessageEvent, NotificationKind, User
from board.realtime import events

from ..models import AuditVerb, Resolution
from .common import (
    _lock_for_moderation,
    _release,
    _resolve_open_reports,
    _snapshot,
    audit_record,
    message_transition_check,
)


@transaction.atomic
def message_mark_duplicate(
    *,
    message: Message,
    actor: User,
    of: Message,
    note: str = "",
    seen_updated_at=None,
) -> Message:
    """Link a message to the one it repeats: rejected if pending, hidden if public."""
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    if of.pk == message.pk or of.duplicate_of_id == message.pk:
        raise ValidationFailed(
            _("A message cannot be a duplicate of itself."), field="of"
        )
    if not of.is_on_public_board:
        raise ValidationFailed(
            _("Link duplicates only to a published public message."), field="of"
        )
    before = _snapshot(message)
    message.duplicate_of = of
    message.moderation_reason = "duplicate"
    message.moderation_note = note
    _release(message)
    if message.status == MessageStatus.PENDING:
        target, verb = MessageStatus.REJECTED, MessageEvent.Verb.REJECTED
        message.reviewed_at = timezone.now()
    elif message.status in HIDEABLE_STATUSES:
        target, verb = MessageStatus.HIDDEN, MessageEvent.Verb.HIDDEN
        message.status_before_hidden = message.status
        message.flagged_at = None
        _resolve_open_reports(message, Resolution.HIDE)
    else:
        message_transition_check(message, MessageStatus.HIDDEN)
    message.save()
    message_transition(message=message, actor=actor, to_status=target, verb=verb)
    timeline_record(
        message=message,
        verb=MessageEvent.Verb.DUPLICATE,
        actor=actor,
        note=of.reference,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.MARKED_DUPLICATE,
        message=message,
        reason=note,
        old=before,
        new={**_snapshot(message), "duplicate_of": of.pk, "reason": "duplicate"},
    )
    notify(
        recipient=message.author,
        kind=(
            NotificationKind.MESSAGE_REJECTED
            if target == MessageStatus.REJECTED
            else NotificationKind.MESSAGE_HIDDEN
        ),
        message=message,
        reason="duplicate",
    )
    events.queue_changed(message, "resolved")
    return message
