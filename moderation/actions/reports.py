"""Reports from the public, and their resolution."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.errors import NotAllowed, ValidationFailed
from board.models import (
    Message,
    User,
)
from board.permissions import ensure_verified_email
from board.realtime import events

from ..models import (
    AuditVerb,
    Report,
    Resolution,
)
from .common import (
    _lock_for_moderation,
    _release,
    _resolve_open_reports,
    audit_record,
)
from .visibility import message_hide, message_redact

# --- Reports from the public ---


@transaction.atomic
def message_report(*, message: Message, reporter: User, reason: str) -> Report:
    """A signed-in user reports a public message, once.

    The configured number of distinct open reports sends it to the Flagged
    queue; it stays visible until a moderator decides.
    """
    if not reporter.is_authenticated:
        raise NotAllowed(_("Please log in to report a message."))
    ensure_verified_email(reporter)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.is_on_public_board:
        raise ValidationFailed(_("Only published messages can be reported."))
    if message.author_id == reporter.pk:
        raise ValidationFailed(_("You cannot report your own message."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say what is wrong with it."), field="reason")
    if len(reason) > Report.REASON_MAX_LENGTH:
        raise ValidationFailed(
            _("A reason may have at most %(limit)d characters.")
            % {"limit": Report.REASON_MAX_LENGTH},
            field="reason",
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
    if resolution not in Resolution.values:
        raise ValidationFailed(_("Choose keep, hide or redact."), field="resolution")
    resolution = Resolution(resolution)
    if resolution == Resolution.HIDE:
        return message_hide(
            message=message,
            actor=actor,
            reason=reason,
            note=note,
            seen_updated_at=seen_updated_at,
        )
    if resolution == Resolution.REDACT:
        message = message_redact(
            message=message, actor=actor, note=note, seen_updated_at=seen_updated_at
        )
        # The redaction just changed the row; the version was checked there.
        seen_updated_at = None
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
