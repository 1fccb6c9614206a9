"""Staff intake: a moderator enters a message received by phone, letter or
visit; it joins the review queue like a citizen's submission."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from board.actions import (
    MessageDraft,
    message_create_pending,
    prepare_images,
    validate_draft,
)
from board.errors import ValidationFailed
from board.models import IntakeChannel, Message, User

from ..models import AuditVerb
from .common import audit_record, ensure_moderator


@transaction.atomic
def message_intake(
    *,
    actor: User,
    author: User,
    draft: MessageDraft,
    channel: str,
    note: str = "",
    images: Sequence[UploadedFile] = (),
) -> Message:
    """A moderator enters a message received by phone, letter or visit.

    ``author`` is the citizen's account where they have one, else the
    moderator; the timeline says it was entered by staff, and how it came.
    """

    ensure_moderator(actor)
    if channel not in IntakeChannel.values or channel == IntakeChannel.WEB:
        raise ValidationFailed(
            _("Choose how the message was received."), field="channel"
        )
    validate_draft(draft)
    processed = prepare_images(images)
    message = message_create_pending(
        author=author,
        draft=draft,
        processed=processed,
        intake_channel=channel,
        intake_by=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.STAFF_INTAKE,
        message=message,
        reason=note,
        new={"channel": channel, "author": author.username},
    )
    return message
