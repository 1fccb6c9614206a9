"""Blocking users and email domains: their submissions are held; audited."""

import pytest

from board.actions import message_submit
from board.errors import NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from moderation.actions import (
    email_domain_block,
    email_domain_unblock,
    user_block,
    user_unblock,
)
from moderation.models import AuditEvent, AuditVerb, BlockedEmailDomain, UserBlock
from tests.factories import MessageDraftFactory, UserFactory

pytestmark = pytest.mark.django_db


def held_findings(message):
    return [f for f in message.prescreen_flags if f["code"] == "held"]


def test_a_blocked_users_next_submission_is_held_with_the_reason(moderator, citizen):
    block = user_block(user=citizen, actor=moderator, reason=" 多次发布广告 ")
    block.refresh_from_db()
    assert (block.user, block.reason, block.created_by, block.lifted_at) == (
        citizen,
        "多次发布广告",
        moderator,
        None,
    )
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message) == (
        AuditVerb.USER_BLOCKED,
        moderator,
        None,
    )
    assert (audit.target_type, audit.target_id, audit.reason) == (
        "user",
        str(citizen.pk),
        "多次发布广告",
    )
    assert audit.extra == {"new": {"blocked": True}}

    message = message_submit(author=citizen, draft=MessageDraftFactory())
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.held_reason == "多次发布广告"
    assert held_findings(message) == [
        {"code": "held", "detail": "多次发布广告", "needs_second_approval": False}
    ]


def test_unblocking_lifts_the_hold(moderator, citizen):
    user_block(user=citizen, actor=moderator, reason="广告")
    assert user_unblock(user=citizen, actor=moderator, note="已申诉") is True
    block = UserBlock.objects.get()
    assert (block.lifted_by, block.lifted_at is not None) == (moderator, True)
    audit = AuditEvent.objects.get(verb=AuditVerb.USER_UNBLOCKED)
    assert (audit.actor, audit.target_type, audit.target_id, audit.reason) == (
        moderator,
        "user",
        str(citizen.pk),
        "已申诉",
    )
    assert audit.extra == {"old": {"blocked": True}, "new": {"blocked": False}}

    message = message_submit(author=citizen, draft=MessageDraftFactory())
    assert message.held_reason == ""
    assert held_findings(message) == []
    # A user can be blocked again after a block was lifted.
    user_block(user=citizen, actor=moderator, reason="再次广告")
    assert UserBlock.objects.filter(user=citizen).count() == 2


def test_unblocking_someone_not_blocked_returns_false(moderator, citizen):
    assert user_unblock(user=citizen, actor=moderator) is False
    assert AuditEvent.objects.exists() is False


def test_blocking_twice_is_refused(moderator, citizen):
    user_block(user=citizen, actor=moderator, reason="广告")
    with pytest.raises(ValidationFailed) as caught:
        user_block(user=citizen, actor=moderator, reason="又是广告")
    assert caught.value.code == "already"
    assert UserBlock.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_a_block_needs_a_reason(moderator, citizen):
    with pytest.raises(ValidationFailed) as caught:
        user_block(user=citizen, actor=moderator, reason="  ")
    assert caught.value.field == "reason"
    assert UserBlock.objects.exists() is False


def test_moderators_cannot_be_blocked(moderator, moderator2):
    for user in (moderator, moderator2):
        with pytest.raises(NotAllowed):
            user_block(user=user, actor=moderator, reason="广告")
    assert UserBlock.objects.exists() is False
    assert AuditEvent.objects.exists() is False


def test_a_blocked_email_domain_holds_its_users_submissions(moderator):
    blocked = email_domain_block(
        domain=" @Spam-Mail.Example. ", actor=moderator, reason="垃圾邮件域名"
    )
    assert blocked.domain == "spam-mail.example"
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.target_type, audit.target_id) == (
        AuditVerb.DOMAIN_BLOCKED,
        moderator,
        "email_domain",
        "spam-mail.example",
    )
    assert (audit.reason, audit.extra) == ("垃圾邮件域名", {"new": {"blocked": True}})

    spammer = UserFactory(citizen=True, email="wang@spam-mail.example")
    message = message_submit(author=spammer, draft=MessageDraftFactory())
    assert message.held_reason == "垃圾邮件域名"
    assert held_findings(message)[0]["detail"] == "垃圾邮件域名"

    other = UserFactory(citizen=True, email="li@example.com")
    assert message_submit(author=other, draft=MessageDraftFactory()).held_reason == ""


def test_unblocking_an_email_domain(moderator):
    email_domain_block(domain="spam.example", actor=moderator, reason="垃圾")
    assert email_domain_unblock(domain="SPAM.example", actor=moderator) is True
    assert BlockedEmailDomain.objects.exists() is False
    audit = AuditEvent.objects.get(verb=AuditVerb.DOMAIN_UNBLOCKED)
    assert (audit.actor, audit.target_id, audit.extra) == (
        moderator,
        "spam.example",
        {"old": {"blocked": True}, "new": {"blocked": False}},
    )
    user = UserFactory(citizen=True, email="zhao@spam.example")
    assert message_submit(author=user, draft=MessageDraftFactory()).held_reason == ""
    assert email_domain_unblock(domain="spam.example", actor=moderator) is False
    assert AuditEvent.objects.filter(verb=AuditVerb.DOMAIN_UNBLOCKED).count() == 1


@pytest.mark.parametrize(
    ("domain", "reason", "field"),
    [
        ("localhost", "垃圾", "domain"),
        ("spam example.com", "垃圾", "domain"),
        ("a@b.com", "垃圾", "domain"),
        ("spam.example", " ", "reason"),
    ],
)
def test_an_invalid_domain_block_is_refused(domain, reason, field, moderator):
    with pytest.raises(ValidationFailed) as caught:
        email_domain_block(domain=domain, actor=moderator, reason=reason)
    assert caught.value.field == field
    assert BlockedEmailDomain.objects.exists() is False
    assert AuditEvent.objects.exists() is False


def test_blocking_a_domain_twice_is_refused(moderator):
    email_domain_block(domain="spam.example", actor=moderator, reason="垃圾")
    with pytest.raises(ValidationFailed):
        email_domain_block(domain="Spam.Example", actor=moderator, reason="垃圾")
    assert AuditEvent.objects.count() == 1
