"""message_hide / message_restore: off the board with a reason, and back."""

import pytest

from board.errors import InvalidTransition, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.actions import message_hide, message_report, message_restore
from moderation.models import AuditEvent, AuditVerb, Report
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = [
    MessageStatus.PUBLISHED,
    MessageStatus.ACCEPTED,
    MessageStatus.REPLIED,
    MessageStatus.CLOSED,
]


def test_hide_takes_a_message_off_the_board_with_a_reason(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = MessageFactory()
    message_report(message=message, reporter=UserFactory(citizen=True), reason="广告")
    with django_capture_on_commit_callbacks(execute=True):
        message_hide(
            message=message, actor=moderator, reason="advertising", note=" 推销 "
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    assert message.is_on_public_board is False
    assert message.status_before_hidden == MessageStatus.PUBLISHED
    assert (message.moderation_reason, message.moderation_note) == (
        "advertising",
        "推销",
    )
    report = Report.objects.get()
    assert report.resolved_at is not None
    assert report.resolution == "hide"

    event = MessageEvent.objects.get(message=message)
    assert (
        event.verb,
        event.actor,
        event.from_status,
        event.to_status,
        event.note,
    ) == (
        MessageEvent.Verb.HIDDEN,
        moderator,
        "published",
        "hidden",
        "推销",
    )
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.HIDDEN,
        moderator,
        message,
        "推销",
    )
    assert audit.extra["old"]["status"] == "published"
    assert audit.extra["new"]["status"] == "hidden"
    assert audit.extra["new"]["reason"] == "advertising"
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        message.author,
        NotificationKind.MESSAGE_HIDDEN,
        {"reason": "advertising"},
    )
    assert pushes.types() == [
        (f"user.{message.author_id}", "notification.created"),
        (f"message.{message.pk}", "message.updated"),
        ("moderation.queue", "queue.changed"),
    ]
    [page] = pushes.payloads(f"message.{message.pk}", "message.updated")
    assert page["status"] == "hidden"


@pytest.mark.parametrize("status", PUBLIC)
def test_restore_returns_to_the_exact_previous_status(
    status, moderator, pushes, django_capture_on_commit_callbacks
):
    message = MessageFactory(status=status)
    message_hide(message=message, actor=moderator, reason="abusive")
    with django_capture_on_commit_callbacks(execute=True):
        message_restore(message=message, actor=moderator, note="误判")
    message.refresh_from_db()
    assert message.status == status
    assert message.is_on_public_board is True
    assert message.status_before_hidden == ""
    assert message.moderation_reason == ""

    event = MessageEvent.objects.filter(message=message).last()
    assert (
        event.verb,
        event.actor,
        event.from_status,
        event.to_status,
        event.note,
    ) == (
        MessageEvent.Verb.RESTORED,
        moderator,
        "hidden",
        status,
        "误判",
    )
    audit = AuditEvent.objects.get(verb=AuditVerb.RESTORED)
    assert (audit.actor, audit.message, audit.reason) == (moderator, message, "误判")
    assert (audit.extra["old"]["status"], audit.extra["new"]["status"]) == (
        "hidden",
        status,
    )
    notification = Notification.objects.last()
    assert (notification.recipient, notification.kind) == (
        message.author,
        NotificationKind.MESSAGE_RESTORED,
    )
    assert (f"user.{message.author_id}", "notification.created") in pushes.types()
    assert (f"message.{message.pk}", "message.updated") in pushes.types()


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PENDING,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.HIDDEN,
    ],
)
def test_only_a_public_message_can_be_hidden(status, moderator):
    message = MessageFactory(status=status)
    with pytest.raises(InvalidTransition):
        message_hide(message=message, actor=moderator, reason="abusive")
    message.refresh_from_db()
    assert message.status == status
    assert message.moderation_reason == ""
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PENDING,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
        *PUBLIC,
    ],
)
def test_only_a_hidden_message_can_be_restored(status, moderator):
    message = MessageFactory(status=status)
    with pytest.raises(InvalidTransition):
        message_restore(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == status
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [("other", "", "note"), ("nonsense", "", "reason"), ("", "x", "reason")],
)
def test_hide_needs_a_valid_reason(reason, note, field, moderator):
    message = MessageFactory()
    with pytest.raises(ValidationFailed) as caught:
        message_hide(message=message, actor=moderator, reason=reason, note=note)
    assert caught.value.field == field
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert AuditEvent.objects.exists() is False
