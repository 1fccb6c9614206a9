"""What the public sees of a message: hide, restore, redact."""

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from board import sanitizer
from board.actions import message_transition, notify, timeline_record
from board.errors import InvalidTransition, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    Message,
    MessageAttachment,
    MessageEvent,
    NotificationKind,
    User,
)
from board.realtime import events

from ..models import AuditVerb, OriginalContent, Resolution
from ..screening import mask_personal_data
from .common import (
    _lock_for_moderation,
    _reason_with_note,
    _release,
    _resolve_open_reports,
    _snapshot,
    audit_record,
    message_transition_check,
)

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
    hidden_attachment_ids: Iterable[int] | None = None,
    seen_updated_at=None,
) -> Message:
    """Mask personal data in the public version; the addressee keeps the original.

    Without ``title``/``body`` the detected mobile numbers, ID numbers and
    email addresses are masked. The original is kept for staff.

    ``hidden_attachment_ids``, when given, are the message's own photos to
    hide from the public (the others are shown again); without it the photos
    stay as they are. A hidden photo is kept and shown to those involved.
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
            _("Give the public title (at most %(limit)d characters).")
            % {"limit": Message.TITLE_MAX_LENGTH},
            field="title",
        )
    if not public_body.strip() or len(public_body) > Message.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("Give the public text (at most %(limit)d characters).")
            % {"limit": Message.BODY_MAX_LENGTH},
            field="body",
        )
    photos = list(message.attachments.filter(reply__isnull=True))
    hidden_before = sorted(p.pk for p in photos if p.is_hidden_from_public)
    hidden_after = (
        hidden_before
        if hidden_attachment_ids is None
        else _own_photo_ids(photos, hidden_attachment_ids)
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
    if hidden_after != hidden_before:
        message.attachments.filter(reply__isnull=True).update(
            is_hidden_from_public=False
        )
        MessageAttachment.objects.filter(pk__in=hidden_after).update(
            is_hidden_from_public=True
        )
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
        extra={
            "hidden_attachments": {"old": hidden_before, "new": hidden_after},
        },
    )
    events.message_status_changed(message)
    return message


def _own_photo_ids(photos: list[MessageAttachment], ids: Iterable[int]) -> list[int]:
    """The ids, checked to be photos of the message itself (not of a reply)."""
    own = {photo.pk for photo in photos}
    wanted = set(ids)
    unknown = wanted - own
    if unknown:
        raise ValidationFailed(
            _("These are not photos of this message: %(ids)s.")
            % {"ids": ", ".join(str(value) for value in sorted(unknown))},
            field="hidden_attachments",
        )
    return sorted(wanted)


@transaction.atomic
def message_hide(
    *, message: Message, actor: User, reason: str, note: str = "", seen_updated_at=None
) -> Message:
    """Take a published message off the board, with a reason; it can be restored."""
    message = _lock_for_moderation(message, actor, seen_updated_at=seen_updated_at)
    moderation_reason, note = _reason_with_note(reason, note)
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
    _resolve_open_reports(message, Resolution.HIDE)
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
