"""moderator_note_add: notes moderators leave each other, never shown outside."""

import pytest

from board.errors import ValidationFailed
from board.models import MessageEvent
from moderation.actions import moderator_note_add
from moderation.models import AuditEvent, AuditVerb, ModeratorNote
from tests.factories import PendingMessageFactory

pytestmark = pytest.mark.django_db


def test_a_note_is_kept_and_audited_but_not_on_the_timeline(moderator, moderator2):
    message = PendingMessageFactory()
    note = moderator_note_add(message=message, actor=moderator, body="  疑似重复  ")
    moderator_note_add(message=message, actor=moderator2, body="已核实不是")
    note.refresh_from_db()
    assert (note.message, note.author, note.body) == (message, moderator, "疑似重复")
    assert list(message.moderator_notes.values_list("author", "body")) == [
        (moderator.pk, "疑似重复"),
        (moderator2.pk, "已核实不是"),
    ]
    audit = AuditEvent.objects.filter(actor=moderator).get()
    assert (audit.verb, audit.message, audit.reason) == (
        AuditVerb.NOTE_ADDED,
        message,
        "疑似重复",
    )
    assert MessageEvent.objects.filter(message=message).exists() is False


@pytest.mark.parametrize("body", ["", "   ", "字" * 2001])
def test_an_empty_or_long_note_is_refused(body, moderator):
    message = PendingMessageFactory()
    with pytest.raises(ValidationFailed) as caught:
        moderator_note_add(message=message, actor=moderator, body=body)
    assert caught.value.field == "body"
    assert ModeratorNote.objects.exists() is False
    assert AuditEvent.objects.exists() is False
