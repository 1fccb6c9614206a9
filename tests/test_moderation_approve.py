"""message_approve: publish and route a pending message, audited and notified."""

import pytest

from board.errors import InvalidTransition, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.actions import message_approve
from moderation.models import AuditEvent, AuditVerb
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    PendingMessageFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def test_approve_publishes_the_message_and_tells_everyone(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.is_on_public_board is True
    assert message.published_at is not None
    assert message.reviewed_at is not None

    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message) == (
        AuditVerb.APPROVED,
        moderator,
        message,
    )
    unchanged = {
        "addressee_official": message.addressee_official_id,
        "addressee_department": None,
        "category": message.category_id,
    }
    assert audit.extra == {
        "old": {"status": "pending", **unchanged},
        "new": {"status": "published", **unchanged},
    }

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.from_status, event.to_status) == (
        MessageEvent.Verb.PUBLISHED,
        moderator,
        "pending",
        "published",
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.message) == (
        message.author,
        NotificationKind.MESSAGE_APPROVED,
        message,
    )

    author_group = f"user.{message.author_id}"
    [pushed] = pushes.payloads(author_group, "notification.created")
    assert (pushed["id"], pushed["kind"], pushed["message_id"]) == (
        notification.pk,
        "message.approved",
        message.pk,
    )
    assert [p["op"] for p in pushes.payloads("moderation.queue", "queue.changed")] == [
        "resolved"
    ]
    [status] = pushes.payloads(f"message.{message.pk}", "message.updated")
    assert status["status"] == "published"


def test_the_notification_reaches_the_authors_channel_group(
    moderator, group_tap, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory()
    author_group = f"user.{message.author_id}"
    group_tap.listen(author_group, "moderation.queue")
    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=message, actor=moderator)
    notification = Notification.objects.get(recipient=message.author)
    [event] = group_tap.drain(author_group)
    assert event["type"] == "notification.created"
    assert event["payload"]["id"] == notification.pk
    assert event["payload"]["kind"] == "message.approved"
    queue_event = group_tap.drain("moderation.queue")[0]
    assert queue_event["type"] == "queue.changed"
    assert queue_event["payload"]["op"] == "resolved"
    assert queue_event["payload"]["message_id"] == message.pk


def test_nothing_is_pushed_when_the_action_rolls_back(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory(status=MessageStatus.PUBLISHED)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(InvalidTransition),
    ):
        message_approve(message=message, actor=moderator)
    assert callbacks == []
    assert pushes == []


def test_approve_can_reroute_to_a_department_and_change_the_category(moderator):
    message = PendingMessageFactory()
    old_official = message.addressee_official
    department = DepartmentFactory(region=message.region)
    category = CategoryFactory(slug="traffic")
    message_approve(
        message=message,
        actor=moderator,
        addressee_department=department,
        category=category,
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert (message.addressee_official, message.addressee_department) == (
        None,
        department,
    )
    assert message.category == category
    audit = AuditEvent.objects.get(verb=AuditVerb.APPROVED)
    assert audit.extra["old"]["addressee_official"] == old_official.pk
    assert audit.extra["old"]["addressee_department"] is None
    assert audit.extra["new"]["addressee_official"] is None
    assert audit.extra["new"]["addressee_department"] == department.pk
    assert audit.extra["new"]["category"] == category.pk
    assert list(
        MessageEvent.objects.filter(message=message).values_list("verb", "note")
    ) == [
        (MessageEvent.Verb.PUBLISHED, ""),
        (MessageEvent.Verb.ROUTED, str(department)),
    ]


def test_approve_can_reroute_to_another_official(moderator):
    message = PendingMessageFactory()
    official = OfficialFactory(region=message.region)
    message_approve(message=message, actor=moderator, addressee_official=official)
    message.refresh_from_db()
    assert message.addressee_official == official
    assert MessageEvent.objects.filter(
        message=message, verb=MessageEvent.Verb.ROUTED
    ).exists()


@pytest.mark.parametrize(
    "routing",
    [
        lambda message: {
            "addressee_official": OfficialFactory(region=message.region),
            "addressee_department": DepartmentFactory(region=message.region),
        },
        lambda message: {"addressee_official": OfficialFactory(region=RegionFactory())},
        lambda message: {
            "addressee_official": OfficialFactory(
                region=message.region, is_active=False
            )
        },
    ],
    ids=["both", "outside_region", "inactive"],
)
def test_an_invalid_route_is_refused_and_nothing_changes(routing, moderator):
    message = PendingMessageFactory()
    official = message.addressee_official
    with pytest.raises(ValidationFailed) as caught:
        message_approve(message=message, actor=moderator, **routing(message))
    assert caught.value.field == "addressee_official"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.addressee_official == official
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False


def test_a_private_message_stays_private(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory(is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.is_public is False
    assert message.is_on_public_board is False
    assert pushes.payloads(f"message.{message.pk}", "message.updated") == []
    assert Notification.objects.get().kind == NotificationKind.MESSAGE_APPROVED


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.ACCEPTED,
        MessageStatus.REPLIED,
        MessageStatus.CLOSED,
        MessageStatus.HIDDEN,
    ],
)
def test_only_a_pending_message_can_be_approved(status, moderator):
    message = MessageFactory(
        status=status,
        status_before_hidden=(
            MessageStatus.REPLIED if status == MessageStatus.HIDDEN else ""
        ),
    )
    with pytest.raises(InvalidTransition):
        message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == status
    assert AuditEvent.objects.exists() is False
    assert MessageEvent.objects.exists() is False
    assert Notification.objects.exists() is False
