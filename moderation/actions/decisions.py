"""Decisions on messages: approve and route, reject, request changes,
redact, mark duplicate, hide, restore, notes; in bulk too."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board import sanitizer
from board.actions import (
    MessageDraft,
    message_transition,
    notify,
    notify_addressees,
    start_handling_clock,
    timeline_record,
    validate_draft,
)
from board.errors import BoardError, InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import (
    HIDEABLE_STATUSES,
    PUBLIC_STATUSES,
    MessageStatus,
)
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

from ..models import (
    AuditVerb,
    ModeratorNote,
    OriginalContent,
    Report,
)
from ..screening import mask_personal_data
from .common import (
    _lock_for_moderation,
    _reason,
    _release,
    _snapshot,
    audit_record,
    ensure_moderator,
)

# --- Decisions on pending messages ---


def _resolve_addressee(
    message: Message,
    official: Official | None,
    department: Department | None,
) -> tuple[Official | None, Department | None]:
    if official is None and department is None:
        return message.addressee_official, message.addressee_department
    if official is not None and department is not None:
        raise ValidationFailed(
            _("Choose either an official or a department, not both."),
            field="addressee_official",
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


def message_transition_check(message: Message, target: str) -> None:
    """Raise InvalidTransition for a move the lifecycle does not allow."""
    from board.lifecycle import ensure_transition

    ensure_transition(message.status, target)


@transaction.atomic
def message_reject(
    *, message: Message, actor: User, reason: str, note: str = "", seen_updated_at=None
) -> Message:
    """Reject a pending message with a reason the citizen will see."""
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    moderation_reason = _reason(reason)
    note = note.strip()
    if moderation_reason.requires_note and not note:
        raise ValidationFailed(_("Explain the reason in a note."), field="note")
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


# A mask ("139****5678") is a run of asterisks, which Markdown would read as
# emphasis; such runs are escaped when the public HTML is rendered.
MASK_RUN = re.compile(r"\*{3,}")


@transaction.atomic
def message_redact(
    *,
    message: Message,
    actor: User,
    title: str | None = None,
    body: str | None = None,
    note: str = "",
    seen_updated_at=None,
) -> Message:
    """Mask personal data in the public version; the addressee keeps the original.

    Without ``title``/``body`` the detected mobile numbers, ID numbers and
    email addresses are masked. The original is kept for staff.
    """
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    if message.status in {MessageStatus.REJECTED, MessageStatus.WITHDRAWN}:
        raise InvalidTransition(
            _("A rejected or withdrawn message is not public; nothing to redact.")
        )
    public_title = title if title is not None else mask_personal_data(message.title)
    public_body = body if body is not None else mask_personal_data(message.body)
    public_title = public_title.strip()
    if not public_title or len(public_title) > Message.TITLE_MAX_LENGTH:
        raise ValidationFailed(
            _("Give the public title (at most 60 characters)."), field="title"
        )
    if not public_body.strip() or len(public_body) > Message.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("Give the public text (at most 3,000 characters)."), field="body"
        )
    OriginalContent.objects.create(
        message=message, title=message.title, body=message.body
    )
    before = {
        "public_title": message.shown_title,
        "public_body_html": message.shown_body_html,
    }
    message.is_redacted = True
    message.public_title = public_title
    message.public_body = public_body.strip()
    escaped = MASK_RUN.sub(lambda run: "\\*" * len(run.group(0)), message.public_body)
    message.public_body_html = sanitizer.render_markdown(escaped)
    message.save()
    timeline_record(message=message, verb=MessageEvent.Verb.REDACTED, actor=actor)
    audit_record(
        actor=actor,
        verb=AuditVerb.REDACTED,
        message=message,
        reason=note,
        old=before,
        new={
            "public_title": message.public_title,
            "public_body_html": message.public_body_html,
        },
    )
    events.message_status_changed(message)
    return message


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
        _resolve_open_reports(message, "hide")
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


def _resolve_open_reports(message: Message, resolution: str) -> int:
    return Report.objects.filter(
        message=message, reply__isnull=True, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolution=resolution)


@transaction.atomic
def message_hide(
    *, message: Message, actor: User, reason: str, note: str = "", seen_updated_at=None
) -> Message:
    """Take a published message off the board, with a reason; it can be restored."""
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    moderation_reason = _reason(reason)
    note = note.strip()
    if moderation_reason.requires_note and not note:
        raise ValidationFailed(_("Explain the reason in a note."), field="note")
    message_transition_check(message, MessageStatus.HIDDEN)
    before = _snapshot(message)
    message.status_before_hidden = message.status
    message.moderation_reason = moderation_reason.code
    message.moderation_note = note
    message.flagged_at = None
    _release(message)
    message.save()
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.HIDDEN,
        verb=MessageEvent.Verb.HIDDEN,
        note=note,
    )
    _resolve_open_reports(message, "hide")
    audit_record(
        actor=actor,
        verb=AuditVerb.HIDDEN,
        message=message,
        reason=note,
        old=before,
        new={**_snapshot(message), "reason": moderation_reason.code},
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_HIDDEN,
        message=message,
        reason=moderation_reason.code,
    )
    # The public page's viewers learn it is gone.
    events.send_on_commit(
        events.message_page_group(message.pk), events.message_status_event(message)
    )
    events.queue_changed(message, "resolved")
    return message


@transaction.atomic
def message_restore(
    *, message: Message, actor: User, note: str = "", seen_updated_at=None
) -> Message:
    """Put a hidden message back in the status it was hidden from."""
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    # PENDING -> PUBLISHED is allowed by the lifecycle, but only through
    # review: a restore must not publish a message nobody approved.
    if message.status != MessageStatus.HIDDEN:
        raise InvalidTransition(_("Only a hidden message can be restored."))
    target = message.status_before_hidden or MessageStatus.PUBLISHED
    before = _snapshot(message)
    message.status_before_hidden = ""
    message.moderation_reason = ""
    message.moderation_note = ""
    _release(message)
    message.save()
    message_transition(
        message=message,
        actor=actor,
        to_status=target,
        verb=MessageEvent.Verb.RESTORED,
        note=note,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.RESTORED,
        message=message,
        reason=note,
        old=before,
        new=_snapshot(message),
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_RESTORED,
        message=message,
    )
    events.queue_changed(message, "resolved")
    return message


@transaction.atomic
def moderator_note_add(*, message: Message, actor: User, body: str) -> ModeratorNote:
    ensure_moderator(actor)
    body = body.strip()
    if not body:
        raise ValidationFailed(_("Write the note."), field="body")
    if len(body) > 2000:
        raise ValidationFailed(
            _("A note may have at most 2,000 characters."), field="body"
        )
    note = ModeratorNote.objects.create(message=message, author=actor, body=body)
    audit_record(actor=actor, verb=AuditVerb.NOTE_ADDED, message=message, reason=body)
    return note


# --- Bulk ---


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
        moderation_reason = _reason(reason)
        # Refused once for the whole selection rather than once per item.
        if moderation_reason.requires_note and not note.strip():
            raise ValidationFailed(_("Explain the reason in a note."), field="note")
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


def message_still_waiting_notify(*, now=None) -> int:
    """Tell authors, once, that review is taking longer than promised."""
    now = now or timezone.now()
    deadline = now - timedelta(hours=settings.ZHITONG_REVIEW_DEADLINE_HOURS)
    overdue = Message.objects.filter(
        status=MessageStatus.PENDING,
        submitted_for_review_at__lte=deadline,
        waiting_notice_sent_at__isnull=True,
    ).select_related("author")
    count = 0
    for message in overdue.iterator():
        with transaction.atomic():
            claimed = Message.objects.filter(
                pk=message.pk, waiting_notice_sent_at__isnull=True
            ).update(waiting_notice_sent_at=now)
            if claimed:
                notify(
                    recipient=message.author,
                    kind=NotificationKind.MESSAGE_STILL_WAITING,
                    message=message,
                )
                count += 1
    return count


def public_statuses() -> frozenset:
    return PUBLIC_STATUSES
