"""Past ZHITONG_MAX_TRANSFERS a transfer becomes a request to the moderators,
who decide where the message belongs (transfer_request_decide)."""

import pytest
from django.db import IntegrityError, transaction

from board.actions import message_transfer
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    MessageEvent,
    Notification,
    NotificationKind,
    Transfer,
    TransferRequest,
)
from moderation.actions import transfer_request_decide
from moderation.models import AuditEvent, AuditVerb
from moderation.selectors import open_transfer_requests
from tests.factories import OfficialFactory, RoutedMessageFactory, UserFactory

pytestmark = pytest.mark.django_db


def official_with_account(region):
    return OfficialFactory(user=UserFactory(official=True), region=region)


@pytest.fixture
def bounced(official):
    """A message already transferred as often as allowed, now with ``official``."""
    return RoutedMessageFactory(addressee_official=official, transfer_count=2)


def test_two_transfers_are_allowed_and_the_third_goes_to_the_moderators(official):
    second = official_with_account(official.region)
    third = official_with_account(official.region)
    message = RoutedMessageFactory(addressee_official=official)
    message_transfer(
        message=message, actor=official.user, to_official=second, reason="一"
    )
    message_transfer(message=message, actor=second.user, to_official=third, reason="二")
    outcome = message_transfer(
        message=message, actor=third.user, to_official=official, reason="三"
    )
    assert isinstance(outcome, TransferRequest)
    message.refresh_from_db()
    assert (message.addressee_official, message.transfer_count) == (third, 2)
    assert Transfer.objects.count() == 2


def test_at_the_limit_a_transfer_request_is_made(
    bounced, official, pushes, django_capture_on_commit_callbacks
):
    target = official_with_account(official.region)
    due_date, routed_at = bounced.due_date, bounced.routed_at
    with django_capture_on_commit_callbacks(execute=True):
        request = message_transfer(
            message=bounced,
            actor=official.user,
            to_official=target,
            reason="  不属于本单位职责  ",
        )
    assert isinstance(request, TransferRequest)
    request.refresh_from_db()
    assert (
        request.message,
        request.requested_by,
        request.to_official,
        request.to_department,
        request.reason,
        request.status,
    ) == (bounced, official.user, target, None, "不属于本单位职责", "open")

    bounced.refresh_from_db()
    assert bounced.addressee_official == official
    assert (bounced.transfer_count, bounced.due_date, bounced.routed_at) == (
        2,
        due_date,
        routed_at,
    )
    assert Transfer.objects.exists() is False

    event = MessageEvent.objects.get(message=bounced)
    assert (event.verb, event.actor, event.note, event.note_is_public) == (
        MessageEvent.Verb.TRANSFER_REQUESTED,
        official.user,
        "不属于本单位职责",
        True,
    )
    # Nobody's inbox changes yet; the moderators' queue hears of it.
    assert Notification.objects.exists() is False
    [queue] = pushes.payloads("moderation.queue", "queue.changed")
    assert (queue["op"], queue["message_id"]) == ("arrived", bounced.pk)
    assert list(open_transfer_requests()) == [request]


def test_the_limit_is_configurable(settings, official):
    settings.ZHITONG_MAX_TRANSFERS = 0
    message = RoutedMessageFactory(addressee_official=official)
    outcome = message_transfer(
        message=message,
        actor=official.user,
        to_official=official_with_account(official.region),
        reason="转办",
    )
    assert isinstance(outcome, TransferRequest)
    message.refresh_from_db()
    assert message.addressee_official == official


def test_a_second_request_while_one_is_open_is_refused(bounced, official):
    target = official_with_account(official.region)
    message_transfer(
        message=bounced, actor=official.user, to_official=target, reason="一"
    )
    with pytest.raises(InvalidTransition) as caught:
        message_transfer(
            message=bounced, actor=official.user, to_official=target, reason="二"
        )
    assert caught.value.code == "already_requested"
    assert TransferRequest.objects.count() == 1
    assert MessageEvent.objects.filter(message=bounced).count() == 1


def test_the_database_also_allows_one_open_request_per_message(bounced, official):
    TransferRequest.objects.create(
        message=bounced, requested_by=official.user, reason="一"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TransferRequest.objects.create(
            message=bounced, requested_by=official.user, reason="二"
        )


def test_the_request_still_needs_a_reason_and_the_addressee(bounced, official):
    target = official_with_account(official.region)
    with pytest.raises(ValidationFailed) as caught:
        message_transfer(
            message=bounced, actor=official.user, to_official=target, reason=" "
        )
    assert caught.value.field == "reason"
    with pytest.raises(NotAllowed):
        message_transfer(
            message=bounced, actor=target.user, to_official=target, reason="转办"
        )
    assert TransferRequest.objects.exists() is False


def test_a_moderator_decides_and_the_message_is_routed(
    bounced, official, moderator, pushes, django_capture_on_commit_callbacks
):
    requested = official_with_account(official.region)
    chosen = official_with_account(official.region)
    request = message_transfer(
        message=bounced, actor=official.user, to_official=requested, reason="转办"
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        transfer_request_decide(
            request=request, actor=moderator, to_official=chosen, note="由该局办理"
        )
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("decided", moderator)
    assert request.decided_at is not None
    assert list(open_transfer_requests()) == []

    bounced.refresh_from_db()
    assert bounced.addressee_official == chosen
    assert bounced.status == MessageStatus.PUBLISHED
    # The moderators' decision is not one of the addressees' transfers.
    assert bounced.transfer_count == 2
    transfer = Transfer.objects.get()
    assert (transfer.actor, transfer.from_official, transfer.to_official) == (
        moderator,
        official,
        chosen,
    )
    assert transfer.reason == "由该局办理"

    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.TRANSFER_DECIDED,
        moderator,
        bounced,
        "由该局办理",
    )
    assert audit.extra["old"]["addressee_official"] == official.pk
    assert audit.extra["new"]["addressee_official"] == chosen.pk

    transferred = MessageEvent.objects.filter(
        message=bounced, verb=MessageEvent.Verb.TRANSFERRED
    ).get()
    assert (transferred.actor, transferred.note_is_public) == (moderator, True)

    assert set(
        Notification.objects.filter(recipient=bounced.author).values_list(
            "kind", flat=True
        )
    ) >= {NotificationKind.MESSAGE_TRANSFERRED}
    inbox = Notification.objects.get(kind=NotificationKind.INBOX_NEW_MESSAGE)
    assert inbox.recipient == chosen.user
    assert inbox.payload == {"due_date": bounced.due_date.isoformat()}
    assert Notification.objects.filter(recipient=requested.user).exists() is False
    assert [p["op"] for p in pushes.payloads("moderation.queue", "queue.changed")] == [
        "resolved"
    ]


def test_without_a_note_the_requests_reason_is_the_transfers(
    bounced, official, moderator
):
    target = official_with_account(official.region)
    request = message_transfer(
        message=bounced, actor=official.user, to_official=target, reason="非本单位"
    )
    transfer_request_decide(request=request, actor=moderator, to_official=target)
    assert Transfer.objects.get().reason == "非本单位"


def test_only_moderators_decide(bounced, official):
    target = official_with_account(official.region)
    request = message_transfer(
        message=bounced, actor=official.user, to_official=target, reason="转办"
    )
    for actor in (official.user, target.user, bounced.author):
        with pytest.raises(NotAllowed):
            transfer_request_decide(request=request, actor=actor, to_official=target)
    request.refresh_from_db()
    assert request.status == "open"
    bounced.refresh_from_db()
    assert bounced.addressee_official == official
    assert AuditEvent.objects.exists() is False


def test_a_decision_needs_one_target_and_is_made_once(bounced, official, moderator):
    target = official_with_account(official.region)
    request = message_transfer(
        message=bounced, actor=official.user, to_official=target, reason="转办"
    )
    with pytest.raises(ValidationFailed):
        transfer_request_decide(request=request, actor=moderator)
    transfer_request_decide(request=request, actor=moderator, to_official=target)
    with pytest.raises(InvalidTransition) as caught:
        transfer_request_decide(request=request, actor=moderator, to_official=official)
    assert caught.value.code == "already_decided"
    bounced.refresh_from_db()
    assert bounced.addressee_official == target
    assert AuditEvent.objects.count() == 1
