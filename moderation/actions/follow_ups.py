"""Follow-ups (追问) and transfer requests, which moderators decide."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.actions import (
    ensure_one_active_addressee,
    message_route,
    message_transition,
    notify,
    notify_addressees,
    start_handling_clock,
)
from board.errors import InvalidTransition
from board.lifecycle import (
    ANSWERED_STATUSES,
    IN_HANDLING_STATUSES,
    MessageStatus,
)
from board.models import (
    Department,
    FollowUp,
    FollowUpStatus,
    Message,
    MessageEvent,
    NotificationKind,
    Official,
    TransferRequest,
    User,
)
from board.realtime import events

from ..models import (
    AuditVerb,
)
from .common import (
    _lock_for_moderation,
    _reason_with_note,
    _release,
    _snapshot,
    audit_record,
)

# --- Follow-ups and transfer requests ---


def _lock_follow_up(
    follow_up: FollowUp, actor: User, *, seen_updated_at=None
) -> tuple[FollowUp, Message]:
    message = _lock_for_moderation(
        follow_up.message, actor, seen_updated_at=seen_updated_at
    )
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.PENDING:
        raise InvalidTransition(
            _("This follow-up has already been reviewed."), code="already_reviewed"
        )
    return follow_up, message


@transaction.atomic
def follow_up_approve(
    *, follow_up: FollowUp, actor: User, seen_updated_at=None
) -> FollowUp:
    """Send a reviewed follow-up (追问) back to the same addressee, new deadline."""
    follow_up, message = _lock_follow_up(
        follow_up, actor, seen_updated_at=seen_updated_at
    )
    # HIDDEN -> ACCEPTED is a restore, which must not skip message_restore.
    if message.status not in ANSWERED_STATUSES:
        raise InvalidTransition(
            _("A follow-up goes back to the addressee only after a final reply.")
        )
    now = timezone.now()
    follow_up.status = FollowUpStatus.APPROVED
    follow_up.reviewed_at = now
    follow_up.reviewed_by = actor
    follow_up.save()
    start_handling_clock(message, now=now)
    _release(message)
    message.save()
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.ACCEPTED,
        verb=MessageEvent.Verb.FOLLOW_UP,
        note=follow_up.body,
        note_is_public=True,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.FOLLOW_UP_APPROVED,
        message=message,
        new={"follow_up": follow_up.pk, "due_date": message.due_date.isoformat()},
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.FOLLOW_UP_APPROVED,
        message=message,
        due_date=message.due_date.isoformat(),
    )
    notify_addressees(
        message, NotificationKind.INBOX_FOLLOW_UP, due_date=message.due_date.isoformat()
    )
    events.queue_changed(message, "resolved")
    return follow_up


@transaction.atomic
def follow_up_reject(
    *,
    follow_up: FollowUp,
    actor: User,
    reason: str,
    note: str = "",
    seen_updated_at=None,
) -> FollowUp:
    follow_up, message = _lock_follow_up(
        follow_up, actor, seen_updated_at=seen_updated_at
    )
    moderation_reason, note = _reason_with_note(reason, note)
    follow_up.status = FollowUpStatus.REJECTED
    follow_up.reviewed_at = timezone.now()
    follow_up.reviewed_by = actor
    follow_up.moderation_reason = moderation_reason.code
    follow_up.moderation_note = note
    follow_up.save()
    _release(message)
    message.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.FOLLOW_UP_REJECTED,
        message=message,
        reason=note,
        new={"follow_up": follow_up.pk, "reason": moderation_reason.code},
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.FOLLOW_UP_REJECTED,
        message=message,
        reason=moderation_reason.code,
    )
    events.queue_changed(message, "resolved")
    return follow_up


@transaction.atomic
def transfer_request_decide(
    *,
    request: TransferRequest,
    actor: User,
    to_official: Official | None = None,
    to_department: Department | None = None,
    note: str = "",
    seen_updated_at=None,
) -> TransferRequest:
    """Past the transfer limit, a moderator decides where the message belongs."""
    message = _lock_for_moderation(
        request.message, actor, seen_updated_at=seen_updated_at
    )
    request = TransferRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TransferRequest.Status.OPEN:
        raise InvalidTransition(
            _("This transfer request has been decided."), code="already_decided"
        )
    if message.status not in IN_HANDLING_STATUSES:
        raise InvalidTransition(_("Only a message being handled can be re-routed."))
    ensure_one_active_addressee(to_official, to_department, field="to_official")
    before = _snapshot(message)
    request.status = TransferRequest.Status.DECIDED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    _release(message)
    message_route(
        message=message,
        actor=actor,
        to_official=to_official,
        to_department=to_department,
        reason=note.strip() or request.reason,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.TRANSFER_DECIDED,
        message=message,
        reason=note,
        old=before,
        new=_snapshot(message),
    )
    # message_route has told the author and the new addressee.
    events.queue_changed(message, "resolved")
    return request
