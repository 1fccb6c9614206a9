"""Every moderation verb refuses a version of the item that is no longer
current, checked under the row lock (FixMyStreet's check_edited_elsewhere)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import FollowUp, Message, Reply, TransferRequest
from moderation.actions import (
    ClaimConflict,
    follow_up_approve,
    follow_up_reject,
    message_approve,
    message_hide,
    message_mark_duplicate,
    message_redact,
    message_reject,
    message_request_changes,
    message_restore,
    reply_hide,
    reply_redact,
    reply_reports_resolve,
    reply_restore,
    reports_resolve,
    transfer_request_decide,
)
from moderation.models import AuditEvent, Resolution
from tests.factories import (
    FollowUpFactory,
    MessageFactory,
    OfficialFactory,
    PendingMessageFactory,
    ReplyFactory,
    RoutedMessageFactory,
)

pytestmark = pytest.mark.django_db


def published():
    return MessageFactory(status=MessageStatus.PUBLISHED)


def hidden():
    return MessageFactory(
        status=MessageStatus.HIDDEN, status_before_hidden=MessageStatus.PUBLISHED
    )


def published_reply(**kwargs):
    return ReplyFactory(
        message=RoutedMessageFactory(status=MessageStatus.REPLIED), **kwargs
    )


def transfer_request():
    message = RoutedMessageFactory(status=MessageStatus.ACCEPTED, transfer_count=2)
    return TransferRequest.objects.create(
        message=message, requested_by=message.author, reason="不属于本单位"
    )


def message_of(target) -> Message:
    return target if isinstance(target, Message) else target.message


# Each verb: what it acts on, and how it is called with a version.
VERBS = {
    "message_approve": (
        PendingMessageFactory,
        lambda m, a, seen: message_approve(message=m, actor=a, seen_updated_at=seen),
    ),
    "message_reject": (
        PendingMessageFactory,
        lambda m, a, seen: message_reject(
            message=m, actor=a, reason="abusive", seen_updated_at=seen
        ),
    ),
    "message_request_changes": (
        PendingMessageFactory,
        lambda m, a, seen: message_request_changes(
            message=m, actor=a, note="请补充地址", seen_updated_at=seen
        ),
    ),
    "message_mark_duplicate": (
        PendingMessageFactory,
        lambda m, a, seen: message_mark_duplicate(
            message=m, actor=a, of=MessageFactory(), seen_updated_at=seen
        ),
    ),
    "message_hide": (
        published,
        lambda m, a, seen: message_hide(
            message=m, actor=a, reason="abusive", seen_updated_at=seen
        ),
    ),
    "message_restore": (
        hidden,
        lambda m, a, seen: message_restore(message=m, actor=a, seen_updated_at=seen),
    ),
    "message_redact": (
        published,
        lambda m, a, seen: message_redact(message=m, actor=a, seen_updated_at=seen),
    ),
    **{
        f"reports_resolve-{resolution}": (
            published,
            lambda m, a, seen, resolution=resolution: reports_resolve(
                message=m,
                actor=a,
                resolution=resolution,
                reason="abusive",
                seen_updated_at=seen,
            ),
        )
        for resolution in Resolution.values
    },
    "follow_up_approve": (
        FollowUpFactory,
        lambda f, a, seen: follow_up_approve(
            follow_up=f, actor=a, seen_updated_at=seen
        ),
    ),
    "follow_up_reject": (
        FollowUpFactory,
        lambda f, a, seen: follow_up_reject(
            follow_up=f, actor=a, reason="abusive", seen_updated_at=seen
        ),
    ),
    "transfer_request_decide": (
        transfer_request,
        lambda r, a, seen: transfer_request_decide(
            request=r,
            actor=a,
            to_official=OfficialFactory(region=r.message.region),
            seen_updated_at=seen,
        ),
    ),
    "reply_hide": (
        published_reply,
        lambda r, a, seen: reply_hide(
            reply=r, actor=a, reason="abusive", seen_updated_at=seen
        ),
    ),
    "reply_restore": (
        lambda: published_reply(status="hidden", status_before_hidden="published"),
        lambda r, a, seen: reply_restore(reply=r, actor=a, seen_updated_at=seen),
    ),
    "reply_redact": (
        published_reply,
        lambda r, a, seen: reply_redact(reply=r, actor=a, seen_updated_at=seen),
    ),
    **{
        f"reply_reports_resolve-{resolution}": (
            published_reply,
            lambda r, a, seen, resolution=resolution: reply_reports_resolve(
                reply=r,
                actor=a,
                resolution=resolution,
                reason="abusive",
                seen_updated_at=seen,
            ),
        )
        for resolution in Resolution.values
    },
}


def snapshot(target):
    """What a refused action must leave as it was."""
    target.refresh_from_db()
    message = message_of(target)
    message.refresh_from_db()
    state = {
        "status": message.status,
        "is_redacted": message.is_redacted,
        "duplicate_of": message.duplicate_of_id,
        "addressee_official": message.addressee_official_id,
    }
    if isinstance(target, (Reply, FollowUp, TransferRequest)):
        state["target_status"] = target.status
    if isinstance(target, Reply):
        state["reply_is_redacted"] = target.is_redacted
    return state


@pytest.mark.parametrize("name", sorted(VERBS))
def test_a_stale_version_is_refused_and_the_current_one_accepted(name, moderator):
    make, act = VERBS[name]
    target = make()
    message = message_of(target)
    message.refresh_from_db()
    seen = message.updated_at
    # Someone else changes the item after the moderator loaded it.
    Message.objects.filter(pk=message.pk).update(updated_at=seen + timedelta(seconds=1))
    before = snapshot(target)

    with pytest.raises(ClaimConflict) as caught:
        act(target, moderator, seen)

    assert caught.value.code == "stale"
    assert caught.value.status_code == 409
    assert snapshot(target) == before
    assert AuditEvent.objects.exists() is False

    # The same decision on the current version goes through.
    message.refresh_from_db()
    act(target, moderator, message.updated_at)
    assert AuditEvent.objects.filter(actor=moderator).exists() is True


def test_without_a_version_the_action_does_not_check_one(moderator):
    message = published()
    Message.objects.filter(pk=message.pk).update(
        updated_at=timezone.now() + timedelta(seconds=1)
    )
    message_hide(message=message, actor=moderator, reason="abusive")
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
