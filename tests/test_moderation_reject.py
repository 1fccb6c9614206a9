"""message_reject: a reason from the admin's list, a note where it needs one."""

import pytest

from board.errors import InvalidTransition, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.actions import message_reject
from moderation.models import AuditEvent, AuditVerb, ModerationReason
from tests.factories import MessageFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db


def test_reject_records_the_reason_and_tells_the_author(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message_reject(
            message=message, actor=moderator, reason="abusive", note="  含有辱骂  "
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert (message.moderation_reason, message.moderation_note) == (
        "abusive",
        "含有辱骂",
    )
    assert message.reviewed_at is not None
    assert message.published_at is None
    assert message.is_on_public_board is False

    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.REJECTED,
        moderator,
        message,
        "含有辱骂",
    )
    assert audit.extra["old"]["status"] == "pending"
    assert audit.extra["new"]["status"] == "rejected"
    assert audit.extra["new"]["reason"] == "abusive"

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.from_status, event.to_status) == (
        MessageEvent.Verb.REJECTED,
        moderator,
        "pending",
        "rejected",
    )
    assert event.note == "含有辱骂"

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (
        message.author,
        NotificationKind.MESSAGE_REJECTED,
    )
    assert notification.payload == {"reason": "abusive"}
    assert pushes.types() == [
        (f"user.{message.author_id}", "notification.created"),
        ("moderation.queue", "queue.changed"),
    ]


@pytest.mark.parametrize(
    "code",
    ["duplicate", "out_of_scope", "abusive", "advertising", "personal_data", "illegal"],
)
def test_every_reason_code_without_a_required_note_rejects(code, moderator):
    message = PendingMessageFactory()
    message_reject(message=message, actor=moderator, reason=code)
    message.refresh_from_db()
    assert (message.status, message.moderation_reason) == (MessageStatus.REJECTED, code)
    assert AuditEvent.objects.get().extra["new"]["reason"] == code


def test_other_with_a_note_rejects(moderator):
    message = PendingMessageFactory()
    message_reject(message=message, actor=moderator, reason="other", note="与本地无关")
    message.refresh_from_db()
    assert (message.status, message.moderation_reason, message.moderation_note) == (
        MessageStatus.REJECTED,
        "other",
        "与本地无关",
    )


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [
        ("other", "", "note"),
        ("other", "   ", "note"),
        ("", "", "reason"),
        ("rude", "", "reason"),
        ("retired", "", "reason"),
    ],
)
def test_an_invalid_reason_or_missing_note_changes_nothing(
    reason, note, field, moderator
):
    ModerationReason.objects.create(
        code="retired",
        title="旧原因",
        title_en="Old reason",
        explanation="…",
        explanation_en="…",
        is_active=False,
    )
    message = PendingMessageFactory()
    with pytest.raises(ValidationFailed) as caught:
        message_reject(message=message, actor=moderator, reason=reason, note=note)
    assert caught.value.field == field
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.moderation_reason == ""
    assert AuditEvent.objects.exists() is False
    assert MessageEvent.objects.exists() is False
    assert Notification.objects.exists() is False


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.ACCEPTED,
        MessageStatus.HIDDEN,
    ],
)
def test_only_a_pending_message_can_be_rejected(status, moderator):
    message = MessageFactory(status=status)
    with pytest.raises(InvalidTransition):
        message_reject(message=message, actor=moderator, reason="abusive")
    message.refresh_from_db()
    assert message.status == status
    assert message.moderation_reason == ""
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False
