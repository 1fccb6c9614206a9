"""Decisions on pending messages: approve and route, reject, request changes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.actions import (
    MessageDraft,
    ensure_one_active_addressee,
    message_transition,
    notify,
    notify_addressees,
    start_handling_clock,
    timeline_record,
    validate_draft,
)
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageEvent,
    NotificationKind,
    Official,
    User,
)
from board.realtime import events

from ..models import AuditVerb
from .common import (
    _lock_for_moderation,
    _reason_with_note,
    _release,
    _snapshot,
    audit_record,
    message_transition_check,
)


def _resolve_addressee(
    message: Message,
    official: Official | None,
    department: Department | None,
) -> tuple[Official | None, Department | None]:
    if official is None and department is None:
        return message.addressee_official, message.addressee_department
    ensure_one_active_addressee(
        official,
        department,
        field="addressee_official",
        choose_one=_("Choose either an official or a department, not both."),
    )
    return official, department


@transaction.atomic
def message_approve(
    *,
    message: Message,
    actor: User,
    addressee_official: Official | None = None,
    addressee_department: Department | None = None,
    category: Category | None = None,
    seen_updated_at=None,
) -> Message:
    """Approve and route a pending message; it becomes public if its author chose so.

    Where the pre-screen asked for two approvals, the first moderator's
    approval is recorded and a different moderator must give the second.
    """
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    # Only a message awaiting review is approved; HIDDEN -> PUBLISHED is
    # a restore, which must not skip message_restore.
    if message.status != MessageStatus.PENDING:
        raise InvalidTransition(_("Only a message awaiting review can be approved."))
    official, department = _resolve_addressee(
        message, addressee_official, addressee_department
    )
    before = _snapshot(message)
    validate_draft(
        MessageDraft(
            region=message.region,
            category=category or message.category,
            kind=message.kind,
            title=message.title,
            body=message.body,
            addressee_official=official,
            addressee_department=department,
        )
    )
    message.addressee_official = official
    message.addressee_department = department
    if category is not None:
        message.category = category

    if message.needs_second_approval and message.first_approved_by_id is None:
        message.first_approved_by = actor
        _release(message)
        message.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.FIRST_APPROVAL,
            message=message,
            old=before,
            new=_snapshot(message),
        )
        events.queue_changed(message, "released")
        return message
    if message.needs_second_approval and message.first_approved_by_id == actor.pk:
        raise NotAllowed(
            _("This item needs a second, different moderator's approval."),
            code="second_approval_required",
        )

    _release(message)
    message.reviewed_at = timezone.now()
    # Routing starts the addressee's clock; the acknowledgement below carries
    # the real deadline, never an earlier promise.
    start_handling_clock(message, now=message.reviewed_at)
    message.save()
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.PUBLISHED,
        verb=MessageEvent.Verb.PUBLISHED,
    )
    if before["addressee_official"] != message.addressee_official_id or (
        before["addressee_department"] != message.addressee_department_id
    ):
        timeline_record(
            message=message,
            verb=MessageEvent.Verb.ROUTED,
            actor=actor,
            note=str(message.addressee),
        )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPROVED,
        message=message,
        old=before,
        new=_snapshot(message),
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_APPROVED,
        message=message,
        addressee=str(message.addressee),
        due_date=message.due_date.isoformat(),
    )
    notify_addressees(
        message,
        NotificationKind.INBOX_NEW_MESSAGE,
        due_date=message.due_date.isoformat(),
    )
    events.queue_changed(message, "resolved")
    return message


@transaction.atomic
def message_reject(
    *, message: Message, actor: User, reason: str, note: str = "", seen_updated_at=None
) -> Message:
    """Reject a pending message with a reason the citizen will see."""
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    moderation_reason, note = _reason_with_note(reason, note)
    before = _snapshot(message)
    message_transition_check(message, MessageStatus.REJECTED)
    _release(message)
    message.reviewed_at = timezone.now()
    message.moderation_reason = moderation_reason.code
    message.moderation_note = note
    message.save()
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.REJECTED,
        verb=MessageEvent.Verb.REJECTED,
        note=note,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.REJECTED,
        message=message,
        reason=note,
        old=before,
        new={**_snapshot(message), "reason": moderation_reason.code},
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_REJECTED,
        message=message,
        reason=moderation_reason.code,
    )
    events.queue_changed(message, "resolved")
    return message


@transaction.atomic
def message_request_changes(
    *, message: Message, actor: User, note: str, seen_updated_at=None
) -> Message:
    """Return a pending message to its author; their edit re-enters the queue."""
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    note = note.strip()
    if not note:
        raise ValidationFailed(
            _("Tell the author what to change."), field="note", code="required"
        )
    message_transition_check(message, MessageStatus.CHANGES_REQUESTED)
    _release(message)
    message.save()
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.CHANGES_REQUESTED,
        verb=MessageEvent.Verb.CHANGES_REQUESTED,
        note=note,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGES_REQUESTED,
        message=message,
        reason=note,
        old={"status": MessageStatus.PENDING},
        new={"status": message.status},
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_CHANGES_REQUESTED,
        message=message,
    )
    events.queue_changed(message, "resolved")
    return message
