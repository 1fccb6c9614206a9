"""Moderation of replies: reports, hiding, restoring, redacting.

The same rules as for messages: the parent message's claim and row lock,
an audit record per action (target_type "reply"), the page's viewers told.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board import sanitizer
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.models import Message, Reply, ReplyStatus, User
from board.realtime import events

from ..models import AuditVerb, Report, Resolution
from ..screening import mask_personal_data
from ..selectors import queue_rows_changed
from .common import (
    _lock_for_moderation,
    _reason_with_note,
    _release,
    audit_record,
)


def _lock_reply(reply: Reply, actor: User, *, seen_updated_at=None):
    """Lock the parent message (claim and version checks), then the reply."""
    message = _lock_for_moderation(
        reply.message, actor, seen_updated_at=seen_updated_at
    )
    return Reply.objects.select_for_update().get(pk=reply.pk), message


def _page_changed(message: Message, reply: Reply) -> None:
    events.send_on_commit(
        events.message_page_group(message.pk), events.reply_event(message, reply)
    )


@transaction.atomic
def reply_report(*, reply: Reply, reporter: User, reason: str) -> Report:
    """A signed-in user reports a published reply, once."""
    if not reporter.is_authenticated:
        raise NotAllowed(_("Please log in to report a reply."))
    reply = Reply.objects.select_for_update().select_related("message").get(pk=reply.pk)
    if reply.status != ReplyStatus.PUBLISHED or not reply.message.is_on_public_board:
        raise ValidationFailed(_("Only published replies can be reported."))
    if reply.author_id == reporter.pk:
        raise ValidationFailed(_("You cannot report your own reply."))
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
                message=reply.message, reply=reply, reporter=reporter, reason=reason
            )
    except IntegrityError:
        raise ValidationFailed(
            _("You have already reported this reply."), code="already_reported"
        ) from None
    open_reports = Report.objects.filter(reply=reply, resolved_at__isnull=True)
    if (
        reply.flagged_at is None
        and open_reports.count() >= settings.ZHITONG_REPORTS_TO_FLAG
    ):
        reply.flagged_at = timezone.now()
        reply.save(update_fields=["flagged_at"])
        events.queue_changed(reply.message, "arrived")
    return report


def _resolve_reports(reply: Reply, resolution: Resolution) -> int:
    queue_rows_changed()
    return Report.objects.filter(reply=reply, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=resolution
    )


@transaction.atomic
def reply_hide(
    *, reply: Reply, actor: User, reason: str, note: str = "", seen_updated_at=None
) -> Reply:
    reply, message = _lock_reply(reply, actor, seen_updated_at=seen_updated_at)
    moderation_reason, note = _reason_with_note(reason, note)
    if reply.status != ReplyStatus.PUBLISHED:
        raise InvalidTransition(_("Only a published reply can be hidden."))
    reply.status_before_hidden = reply.status
    reply.status = ReplyStatus.HIDDEN
    reply.moderation_reason = moderation_reason.code
    reply.flagged_at = None
    reply.save()
    _release(message)
    message.save()
    _resolve_reports(reply, Resolution.HIDE)
    audit_record(
        actor=actor,
        verb=AuditVerb.HIDDEN,
        message=message,
        target_type="reply",
        target_id=reply.pk,
        reason=note,
        old={"status": ReplyStatus.PUBLISHED},
        new={"status": ReplyStatus.HIDDEN, "reason": moderation_reason.code},
    )
    _page_changed(message, reply)
    events.queue_changed(message, "resolved")
    return reply


@transaction.atomic
def reply_restore(
    *, reply: Reply, actor: User, note: str = "", seen_updated_at=None
) -> Reply:
    reply, message = _lock_reply(reply, actor, seen_updated_at=seen_updated_at)
    if reply.status != ReplyStatus.HIDDEN:
        raise InvalidTransition(_("Only a hidden reply can be restored."))
    reply.status = reply.status_before_hidden or ReplyStatus.PUBLISHED
    reply.status_before_hidden = ""
    reply.moderation_reason = ""
    reply.save()
    _release(message)
    message.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.RESTORED,
        message=message,
        target_type="reply",
        target_id=reply.pk,
        reason=note,
        old={"status": ReplyStatus.HIDDEN},
        new={"status": reply.status},
    )
    _page_changed(message, reply)
    events.queue_changed(message, "resolved")
    return reply


@transaction.atomic
def reply_redact(
    *,
    reply: Reply,
    actor: User,
    body: str | None = None,
    note: str = "",
    seen_updated_at=None,
) -> Reply:
    """Mask personal data in the public version of a reply."""
    reply, message = _lock_reply(reply, actor, seen_updated_at=seen_updated_at)
    if reply.status == ReplyStatus.DRAFT:
        raise InvalidTransition(_("A draft is not public; nothing to redact."))
    public_body = (body if body is not None else mask_personal_data(reply.body)).strip()
    if not public_body or len(public_body) > Reply.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("Give the public text (at most %(limit)d characters).")
            % {"limit": Reply.BODY_MAX_LENGTH},
            field="body",
        )
    before = {"public_body_html": reply.shown_body_html, "original": reply.body}
    reply.is_redacted = True
    reply.public_body_html = sanitizer.render_markdown(public_body)
    reply.save()
    _release(message)
    message.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.REDACTED,
        message=message,
        target_type="reply",
        target_id=reply.pk,
        reason=note,
        old=before,
        new={"public_body_html": reply.public_body_html},
    )
    _page_changed(message, reply)
    return reply


@transaction.atomic
def reply_reports_resolve(
    *,
    reply: Reply,
    actor: User,
    resolution: str,
    reason: str = "",
    note: str = "",
    seen_updated_at=None,
) -> Reply:
    """Decide on a flagged reply: keep it, hide it, or redact it."""
    if resolution not in Resolution.values:
        raise ValidationFailed(_("Choose keep, hide or redact."), field="resolution")
    resolution = Resolution(resolution)
    if resolution == Resolution.HIDE:
        return reply_hide(
            reply=reply,
            actor=actor,
            reason=reason,
            note=note,
            seen_updated_at=seen_updated_at,
        )
    if resolution == Resolution.REDACT:
        reply = reply_redact(
            reply=reply, actor=actor, note=note, seen_updated_at=seen_updated_at
        )
        # The redaction just changed the row; the version was checked there.
        seen_updated_at = None
    reply, message = _lock_reply(reply, actor, seen_updated_at=seen_updated_at)
    resolved = _resolve_reports(reply, resolution)
    reply.flagged_at = None
    reply.save(update_fields=["flagged_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.REPORT_RESOLVED,
        message=message,
        target_type="reply",
        target_id=reply.pk,
        reason=note,
        new={"resolution": resolution, "reports": resolved},
    )
    events.queue_changed(message, "resolved")
    return reply
