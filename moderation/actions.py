"""Moderation actions: one function per verb, each audited.

Every action locks the message row (SELECT FOR UPDATE), checks that the actor
is a moderator, that no one else holds the item's claim and that the
lifecycle allows the move; then it changes the message, writes the timeline
event and the append-only audit record, and notifies after commit.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from board import events, sanitizer
from board.actions import (
    MessageDraft,
    message_transition,
    timeline_record,
    validate_draft,
)
from board.errors import BoardError, InvalidTransition, NotAllowed, ValidationFailed
from board.handling import message_route, notify_addressees, start_handling_clock
from board.lifecycle import (
    HIDEABLE_STATUSES,
    IN_HANDLING_STATUSES,
    PUBLIC_STATUSES,
    MessageStatus,
)
from board.models import (
    Category,
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
from board.notifications import notify
from board.roles import is_moderator

from .models import (
    AuditEvent,
    AuditVerb,
    BlockedEmailDomain,
    ModerationReason,
    ModeratorNote,
    OriginalContent,
    Report,
    UserBlock,
)
from .screening import mask_personal_data


class ClaimConflict(BoardError):
    """Another moderator holds the item, or acted on it first."""

    status_code = 409

    def __init__(self, message, *, field=None, code="claimed"):
        super().__init__(message, field=field, code=code)


def ensure_moderator(actor: User) -> None:
    if not is_moderator(actor):
        raise NotAllowed(_("Only moderators can do this."))


def audit_record(
    *,
    actor: User,
    verb: str,
    message: Message | None = None,
    target_type: str = "message",
    target_id: str | int | None = None,
    reason: str = "",
    old: dict | None = None,
    new: dict | None = None,
) -> AuditEvent:
    extra = {}
    if old is not None:
        extra["old"] = old
    if new is not None:
        extra["new"] = new
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        message=message,
        target_type=target_type,
        target_id=str(target_id if target_id is not None else message.pk),
        reason=reason,
        extra=extra,
    )


def _claim_duration() -> timedelta:
    return timedelta(minutes=settings.ZHITONG_CLAIM_MINUTES)


def _holder_name(message: Message) -> str:
    return str(message.claimed_by) if message.claimed_by_id else ""


def _is_claimed_by_other(message: Message, actor: User) -> bool:
    return (
        message.claimed_by_id is not None
        and message.claimed_by_id != actor.pk
        and message.claim_expires_at is not None
        and message.claim_expires_at > timezone.now()
    )


def _lock_for_moderation(
    message: Message, actor: User, *, seen_updated_at=None
) -> Message:
    """Lock the row and refuse if another moderator holds it or changed it.

    ``seen_updated_at`` is the version a form or client loaded; an item
    changed since then is refused rather than overwritten (FixMyStreet's
    check_edited_elsewhere).
    """
    ensure_moderator(actor)
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer
    # join select_related("claimed_by") makes; only the message is locked.
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("claimed_by", "author")
        .get(pk=message.pk)
    )
    if _is_claimed_by_other(message, actor):
        raise ClaimConflict(
            _("%(name)s is working on this item.") % {"name": _holder_name(message)}
        )
    if seen_updated_at is not None and message.updated_at != seen_updated_at:
        raise ClaimConflict(
            _("Someone changed this item after you opened it; reload it."),
            code="stale",
        )
    return message


def _release(message: Message) -> None:
    message.claimed_by = None
    message.claim_expires_at = None


def _reason(code: str) -> ModerationReason:
    reason = ModerationReason.objects.filter(code=code, is_active=True).first()
    if reason is None:
        raise ValidationFailed(_("Choose a reason from the list."), field="reason")
    return reason


def _snapshot(message: Message) -> dict:
    return {
        "status": message.status,
        "addressee_official": message.addressee_official_id,
        "addressee_department": message.addressee_department_id,
        "category": message.category_id,
    }


# --- Claims ---


def queue_item_claim(*, message: Message, actor: User, take_over: bool = False) -> bool:
    """Claim an item for a while; returns False if the actor already held it.

    The claim is one conditional UPDATE, so of two moderators claiming at
    once exactly one succeeds; the other gets ClaimConflict. Taking over
    someone else's claim is explicit and audited.
    """
    ensure_moderator(actor)
    now = timezone.now()
    with transaction.atomic():
        current = (
            Message.objects.select_related("claimed_by")
            .filter(pk=message.pk)
            .values("claimed_by_id", "claim_expires_at", "status")
            .get()
        )
        already_mine = current["claimed_by_id"] == actor.pk and (
            current["claim_expires_at"] and current["claim_expires_at"] > now
        )
        free = (
            Q(claimed_by__isnull=True)
            | Q(claim_expires_at__lte=now)
            | Q(claimed_by=actor)
        )
        rows = Message.objects.filter(pk=message.pk)
        if not take_over:
            rows = rows.filter(free)
        changes = {"claimed_by": actor, "claim_expires_at": now + _claim_duration()}
        if not already_mine:
            # A renewed claim is no change: forms open in another tab stay valid.
            changes["updated_at"] = now
        updated = rows.update(**changes)
        if not updated:
            holder = Message.objects.select_related("claimed_by").get(pk=message.pk)
            raise ClaimConflict(
                _("%(name)s is working on this item.") % {"name": _holder_name(holder)}
            )
        if already_mine:
            return False
        previous = current["claimed_by_id"]
        took_over = (
            take_over
            and previous not in (None, actor.pk)
            and current["claim_expires_at"] is not None
            and current["claim_expires_at"] > now
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.TAKEN_OVER if took_over else AuditVerb.CLAIMED,
            message=message,
            old={"claimed_by": previous} if took_over else None,
            new={"claimed_by": actor.pk},
        )
        message.refresh_from_db()
        events.queue_changed(message, "claimed", str(actor))
    return True


@transaction.atomic
def queue_item_release(*, message: Message, actor: User) -> bool:
    """Give an item back to the queue; False if the actor did not hold it."""
    ensure_moderator(actor)
    released = Message.objects.filter(pk=message.pk, claimed_by=actor).update(
        claimed_by=None, claim_expires_at=None, updated_at=timezone.now()
    )
    if released:
        audit_record(actor=actor, verb=AuditVerb.RELEASED, message=message)
        events.queue_changed(message, "released")
    return bool(released)


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


# --- Reports from the public ---


@transaction.atomic
def message_report(*, message: Message, reporter: User, reason: str) -> Report:
    """A signed-in user reports a public message, once.

    The configured number of distinct open reports sends it to the Flagged
    queue; it stays visible until a moderator decides.
    """
    if not reporter.is_authenticated:
        raise NotAllowed(_("Please log in to report a message."))
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.is_on_public_board:
        raise ValidationFailed(_("Only published messages can be reported."))
    if message.author_id == reporter.pk:
        raise ValidationFailed(_("You cannot report your own message."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say what is wrong with it."), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(
            _("A reason may have at most 500 characters."), field="reason"
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                message=message, reporter=reporter, reason=reason
            )
    except IntegrityError:
        raise ValidationFailed(
            _("You have already reported this message."), code="already_reported"
        ) from None
    open_reports = Report.objects.filter(
        message=message, reply__isnull=True, resolved_at__isnull=True
    )
    if (
        message.flagged_at is None
        and open_reports.count() >= settings.ZHITONG_REPORTS_TO_FLAG
    ):
        message.flagged_at = timezone.now()
        message.save(update_fields=["flagged_at", "updated_at"])
        events.queue_changed(message, "arrived")
    return report


@transaction.atomic
def reports_resolve(
    *,
    message: Message,
    actor: User,
    resolution: str,
    reason: str = "",
    note: str = "",
    seen_updated_at=None,
) -> Message:
    """Decide on a flagged message: keep it, hide it, or redact it."""
    if resolution == "hide":
        return message_hide(
            message=message,
            actor=actor,
            reason=reason,
            note=note,
            seen_updated_at=seen_updated_at,
        )
    if resolution == "redact":
        message = message_redact(
            message=message, actor=actor, note=note, seen_updated_at=seen_updated_at
        )
        # The redaction just changed the row; the version was checked there.
        seen_updated_at = None
    elif resolution != "keep":
        raise ValidationFailed(_("Choose keep, hide or redact."), field="resolution")
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    resolved = _resolve_open_reports(message, resolution)
    message.flagged_at = None
    _release(message)
    message.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.REPORT_RESOLVED,
        message=message,
        reason=note,
        new={"resolution": resolution, "reports": resolved},
    )
    events.queue_changed(message, "resolved")
    return message


# --- Blocks ---


@transaction.atomic
def user_block(*, user: User, actor: User, reason: str) -> UserBlock:
    """Hold the user's new submissions, with a reason they can see."""
    ensure_moderator(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give a reason the user will see."), field="reason")
    if user.pk == actor.pk or is_moderator(user):
        raise NotAllowed(_("Moderators cannot be blocked here."))
    if UserBlock.objects.filter(user=user, lifted_at__isnull=True).exists():
        raise ValidationFailed(_("This user is already blocked."), code="already")
    block = UserBlock.objects.create(user=user, reason=reason, created_by=actor)
    audit_record(
        actor=actor,
        verb=AuditVerb.USER_BLOCKED,
        target_type="user",
        target_id=user.pk,
        reason=reason,
        new={"blocked": True},
    )
    return block


@transaction.atomic
def user_unblock(*, user: User, actor: User, note: str = "") -> bool:
    ensure_moderator(actor)
    lifted = UserBlock.objects.filter(user=user, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor
    )
    if lifted:
        audit_record(
            actor=actor,
            verb=AuditVerb.USER_UNBLOCKED,
            target_type="user",
            target_id=user.pk,
            reason=note,
            old={"blocked": True},
            new={"blocked": False},
        )
    return bool(lifted)


def normalise_domain(domain: str) -> str:
    return domain.strip().lower().lstrip("@").rstrip(".")


@transaction.atomic
def email_domain_block(*, domain: str, actor: User, reason: str) -> BlockedEmailDomain:
    """Refuse sign-ups from a spam domain and hold its users' submissions."""
    ensure_moderator(actor)
    domain = normalise_domain(domain)
    if "." not in domain or " " in domain or "@" in domain:
        raise ValidationFailed(_("Enter a domain such as example.com."), field="domain")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), field="reason")
    blocked, created = BlockedEmailDomain.objects.get_or_create(
        domain=domain, defaults={"reason": reason, "created_by": actor}
    )
    if not created:
        raise ValidationFailed(_("This domain is already blocked."), field="domain")
    audit_record(
        actor=actor,
        verb=AuditVerb.DOMAIN_BLOCKED,
        target_type="email_domain",
        target_id=domain,
        reason=reason,
        new={"blocked": True},
    )
    return blocked


@transaction.atomic
def email_domain_unblock(*, domain: str, actor: User, note: str = "") -> bool:
    ensure_moderator(actor)
    domain = normalise_domain(domain)
    deleted, _rows = BlockedEmailDomain.objects.filter(domain=domain).delete()
    if deleted:
        audit_record(
            actor=actor,
            verb=AuditVerb.DOMAIN_UNBLOCKED,
            target_type="email_domain",
            target_id=domain,
            reason=note,
            old={"blocked": True},
            new={"blocked": False},
        )
    return bool(deleted)


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


# --- Follow-ups and transfer requests ---


def _lock_follow_up(follow_up: FollowUp, actor: User) -> tuple[FollowUp, Message]:
    message = _lock_for_moderation(follow_up.message, actor)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.PENDING:
        raise InvalidTransition(
            _("This follow-up has already been reviewed."), code="already_reviewed"
        )
    return follow_up, message


@transaction.atomic
def follow_up_approve(*, follow_up: FollowUp, actor: User) -> FollowUp:
    """Send a reviewed follow-up (追问) back to the same addressee, new deadline."""
    follow_up, message = _lock_follow_up(follow_up, actor)
    # HIDDEN -> ACCEPTED is a restore, which must not skip message_restore.
    if message.status not in {MessageStatus.REPLIED, MessageStatus.CLOSED}:
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
    *, follow_up: FollowUp, actor: User, reason: str, note: str = ""
) -> FollowUp:
    follow_up, message = _lock_follow_up(follow_up, actor)
    moderation_reason = _reason(reason)
    note = note.strip()
    if moderation_reason.requires_note and not note:
        raise ValidationFailed(_("Explain the reason in a note."), field="note")
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
) -> TransferRequest:
    """Past the transfer limit, a moderator decides where the message belongs."""
    message = _lock_for_moderation(request.message, actor)
    request = TransferRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TransferRequest.Status.OPEN:
        raise InvalidTransition(
            _("This transfer request has been decided."), code="already_decided"
        )
    if message.status not in IN_HANDLING_STATUSES:
        raise InvalidTransition(_("Only a message being handled can be re-routed."))
    if (to_official is None) == (to_department is None):
        raise ValidationFailed(
            _("Choose either an official or a department."), field="to_official"
        )
    if to_official is not None and not to_official.is_active:
        raise ValidationFailed(
            _("This official does not receive messages at present."),
            field="to_official",
        )
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
