"""Notes moderators leave each other on an item."""

from django.db import transaction
from django.utils.translation import gettext as _

from board.errors import ValidationFailed
from board.models import Message, User

from ..models import AuditVerb, ModeratorNote
from .common import audit_record, ensure_moderator


@transaction.atomic
def moderator_note_add(*, message: Message, actor: User, body: str) -> ModeratorNote:
    ensure_moderator(actor)
    body = body.strip()
    if not body:
        raise ValidationFailed(_("Write the note."), field="body")
    if len(body) > ModeratorNote.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("A note may have at most %(limit)d characters.")
            % {"limit": ModeratorNote.BODY_MAX_LENGTH},
            field="body",
        )
    note = ModeratorNote.objects.create(message=message, author=actor, body=body)
    audit_record(actor=actor, verb=AuditVerb.NOTE_ADDED, message=message, reason=body)
    return note
