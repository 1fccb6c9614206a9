"""message_intake: staff enter a message received by phone, letter or visit."""

import pytest

from board.errors import ValidationFailed
from board.lifecycle import MessageStatus
from board.models import IntakeChannel, Message, MessageEvent
from moderation.actions import message_intake
from moderation.models import AuditEvent, AuditVerb
from moderation.selectors import queue_items
from tests.factories import MessageDraftFactory

pytestmark = pytest.mark.django_db


def test_a_phone_call_is_entered_for_the_citizen_and_queued(
    moderator, citizen, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_intake(
            actor=moderator,
            author=citizen,
            draft=MessageDraftFactory(),
            channel=IntakeChannel.PHONE,
            note="热线来电记录",
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.author == citizen
    assert (message.intake_channel, message.intake_by) == ("phone", moderator)
    assert message.submitted_for_review_at is not None
    assert message in queue_items("pending")

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.to_status, event.note) == (
        MessageEvent.Verb.ENTERED_BY_STAFF,
        moderator,
        "pending",
        "热线来电记录",
    )
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.STAFF_INTAKE,
        moderator,
        message,
        "热线来电记录",
    )
    assert audit.extra == {"new": {"channel": "phone", "author": citizen.username}}
    [queued] = pushes.payloads("moderation.queue", "queue.changed")
    assert (queued["op"], queued["message_id"]) == ("arrived", message.pk)


def test_a_letter_from_someone_without_an_account_is_filed_under_the_moderator(
    moderator,
):
    message = message_intake(
        actor=moderator,
        author=moderator,
        draft=MessageDraftFactory(),
        channel=IntakeChannel.LETTER,
    )
    message.refresh_from_db()
    assert (message.author, message.intake_channel) == (moderator, "letter")
    assert MessageEvent.objects.get(message=message).verb == "entered_by_staff"


@pytest.mark.parametrize("channel", ["web", "fax", ""])
def test_the_channel_must_be_an_offline_one(channel, moderator, citizen):
    with pytest.raises(ValidationFailed) as caught:
        message_intake(
            actor=moderator,
            author=citizen,
            draft=MessageDraftFactory(),
            channel=channel,
        )
    assert caught.value.field == "channel"
    assert Message.objects.exists() is False
    assert AuditEvent.objects.exists() is False


def test_an_invalid_draft_saves_nothing(moderator, citizen):
    with pytest.raises(ValidationFailed) as caught:
        message_intake(
            actor=moderator,
            author=citizen,
            draft=MessageDraftFactory(title=" "),
            channel=IntakeChannel.VISIT,
        )
    assert caught.value.field == "title"
    assert Message.objects.exists() is False
    assert AuditEvent.objects.exists() is False
