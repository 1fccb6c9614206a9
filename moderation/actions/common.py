"""What every moderation action shares: the moderator check, the row lock
with its claim and version checks, the lifecycle check, closing open
reports, and the append-only audit record."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from board.errors import BoardError, NotAllowed, ValidationFailed
from board.lifecycle import ensure_transition
from board.models import (
    Message,
    User,
)
from board.roles import is_moderator

from ..models import (
    AuditEvent,
    ModerationReason,
    Report,
    Resolution,
)
from ..selectors import queue_rows_changed


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
    extra: dict | None = None,
) -> AuditEvent:
    extra = dict(extra or {})
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
    return message.has_live_claim() and message.claimed_by_id != actor.pk


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


def message_transition_check(message: Message, target: str) -> None:
    """Raise InvalidTransition for a move the lifecycle does not allow."""
    ensure_transition(message.status, target)


def _resolve_open_reports(message: Message, resolution: Resolution) -> int:
    """Close the open reports on the message itself (not on its replies)."""
    queue_rows_changed()
    return Report.objects.filter(
        message=message, reply__isnull=True, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolution=resolution)


def _release(message: Message) -> None:
    message.claimed_by = None
    message.claim_expires_at = None


def _reason(code: str) -> ModerationReason:
    reason = ModerationReason.objects.filter(code=code, is_active=True).first()
    if reason is None:
        raise ValidationFailed(_("Choose a reason from the list."), field="reason")
    return reason


def _reason_with_note(code: str, note: str) -> tuple[ModerationReason, str]:
    """The active reason for ``code`` and the note, stripped; refused when
    the reason needs a note and none was given."""
    reason = _reason(code)
    note = note.strip()
    if reason.is_note_missing(note):
        raise ValidationFailed(_("Explain the reason in a note."), field="note")
    return reason, note


def _snapshot(message: Message) -> dict:
    return {
        "status": message.status,
        "addressee_official": message.addressee_official_id,
        "addressee_department": message.addressee_department_id,
        "category": message.category_id,
    }
