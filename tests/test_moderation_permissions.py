"""Every moderation action refuses citizens, officials and anonymous users."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from board.errors import NotAllowed
from board.lifecycle import MessageStatus
from board.models import IntakeChannel, Message, Notification
from moderation.actions import (
    bulk_decide,
    email_domain_block,
    email_domain_unblock,
    message_approve,
    message_hide,
    message_intake,
    message_mark_duplicate,
    message_redact,
    message_reject,
    message_request_changes,
    message_restore,
    moderator_note_add,
    queue_item_claim,
    queue_item_release,
    reports_resolve,
    user_block,
    user_unblock,
)
from moderation.models import (
    AuditEvent,
    BlockedEmailDomain,
    ModeratorNote,
    OriginalContent,
    UserBlock,
)
from tests.factories import MessageDraftFactory, MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

# name: (status of the message acted on, the call)
ACTIONS = {
    "claim": ("pending", lambda m, a: queue_item_claim(message=m, actor=a)),
    "take_over": (
        "pending",
        lambda m, a: queue_item_claim(message=m, actor=a, take_over=True),
    ),
    "release": ("pending", lambda m, a: queue_item_release(message=m, actor=a)),
    "approve": ("pending", lambda m, a: message_approve(message=m, actor=a)),
    "reject": (
        "pending",
        lambda m, a: message_reject(message=m, actor=a, reason="abusive"),
    ),
    "request_changes": (
        "pending",
        lambda m, a: message_request_changes(message=m, actor=a, note="请补充"),
    ),
    "redact": ("published", lambda m, a: message_redact(message=m, actor=a)),
    "duplicate": (
        "pending",
        lambda m, a: message_mark_duplicate(message=m, actor=a, of=MessageFactory()),
    ),
    "hide": (
        "published",
        lambda m, a: message_hide(message=m, actor=a, reason="abusive"),
    ),
    "restore": ("hidden", lambda m, a: message_restore(message=m, actor=a)),
    "note": (
        "pending",
        lambda m, a: moderator_note_add(message=m, actor=a, body="备注"),
    ),
    "resolve_keep": (
        "published",
        lambda m, a: reports_resolve(message=m, actor=a, resolution="keep"),
    ),
    "resolve_hide": (
        "published",
        lambda m, a: reports_resolve(
            message=m, actor=a, resolution="hide", reason="abusive"
        ),
    ),
    "resolve_redact": (
        "published",
        lambda m, a: reports_resolve(message=m, actor=a, resolution="redact"),
    ),
    "bulk_approve": (
        "pending",
        lambda m, a: bulk_decide(messages=[m], actor=a, decision="approve"),
    ),
    "bulk_reject": (
        "pending",
        lambda m, a: bulk_decide(
            messages=[m], actor=a, decision="reject", reason="abusive"
        ),
    ),
    "block_user": (
        "pending",
        lambda m, a: user_block(user=m.author, actor=a, reason="广告"),
    ),
    "unblock_user": ("pending", lambda m, a: user_unblock(user=m.author, actor=a)),
    "block_domain": (
        "pending",
        lambda m, a: email_domain_block(domain="spam.example", actor=a, reason="垃圾"),
    ),
    "unblock_domain": (
        "pending",
        lambda m, a: email_domain_unblock(domain="example.com", actor=a),
    ),
    "intake": (
        "pending",
        lambda m, a: message_intake(
            actor=a,
            author=m.author,
            draft=MessageDraftFactory(),
            channel=IntakeChannel.PHONE,
        ),
    ),
}


@pytest.fixture(params=["citizen", "official", "anonymous", "author"])
def outsider(request):
    if request.param == "citizen":
        return UserFactory(citizen=True)
    if request.param == "official":
        return request.getfixturevalue("official_user")
    if request.param == "anonymous":
        return AnonymousUser()
    return None  # the message's own author, set in the test


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_only_moderators_may_act(name, outsider):
    status, act = ACTIONS[name]
    message = MessageFactory(
        status=status,
        submitted_for_review_at=timezone.now(),
        status_before_hidden="published" if status == "hidden" else "",
    )
    BlockedEmailDomain.objects.create(
        domain="example.com", reason="测试", created_by=UserFactory(moderator=True)
    )
    UserBlock.objects.create(
        user=message.author, reason="测试", created_by=UserFactory(moderator=True)
    )
    actor = outsider if outsider is not None else message.author
    with pytest.raises(NotAllowed):
        act(message, actor)
    message.refresh_from_db()
    assert message.status == status
    assert message.claimed_by is None
    assert message.is_redacted is False
    # No message was entered on the author's behalf.
    assert Message.objects.filter(author=message.author).count() == 1
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False
    assert ModeratorNote.objects.exists() is False
    assert OriginalContent.objects.exists() is False
    assert UserBlock.objects.filter(lifted_at__isnull=True).count() == 1
    assert BlockedEmailDomain.objects.count() == 1


def test_an_admin_is_a_moderator_too():
    admin = UserFactory(admin=True)
    message = MessageFactory(status=MessageStatus.PENDING)
    message_approve(message=message, actor=admin)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert AuditEvent.objects.get().actor == admin
