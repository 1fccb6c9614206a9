"""message_redact: the public sees a masked version; the original is kept."""

import pytest

from board.errors import InvalidTransition, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification
from moderation.actions import message_redact
from moderation.models import AuditEvent, AuditVerb, OriginalContent
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

TITLE = "请联系13912345678"
BODY = "我的身份证号11010519491231002X，邮箱zhangsan@example.com，手机13912345678。"


def test_redact_masks_personal_data_in_the_public_version_only(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = MessageFactory(title=TITLE, body=BODY, body_html=f"<p>{BODY}</p>")
    with django_capture_on_commit_callbacks(execute=True):
        message_redact(message=message, actor=moderator, note="含个人信息")
    message.refresh_from_db()

    assert message.is_redacted is True
    assert message.shown_title == "请联系139****5678"
    assert message.shown_body == (
        "我的身份证号110105********002X，邮箱z***@example.com，手机139****5678。"
    )
    assert message.shown_body_html == (
        "<p>我的身份证号110105********002X，邮箱z***@example.com，"
        "手机139****5678。</p>\n"
    )
    # What the addressee and the author see is untouched.
    assert (message.title, message.body) == (TITLE, BODY)
    assert "13912345678" in message.body_html
    assert message.status == MessageStatus.PUBLISHED

    original = OriginalContent.objects.get(message=message)
    assert (original.title, original.body) == (TITLE, BODY)

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor) == (MessageEvent.Verb.REDACTED, moderator)
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.REDACTED,
        moderator,
        message,
        "含个人信息",
    )
    assert audit.extra["old"] == {
        "public_title": TITLE,
        "public_body_html": f"<p>{BODY}</p>",
    }
    assert audit.extra["new"] == {
        "public_title": message.public_title,
        "public_body_html": message.public_body_html,
    }
    assert Notification.objects.exists() is False
    assert pushes.types() == [(f"message.{message.pk}", "message.updated")]


def test_redact_with_the_moderators_own_text(moderator):
    message = MessageFactory(title=TITLE, body=BODY)
    message_redact(
        message=message, actor=moderator, title="路灯问题", body="（个人信息已隐去）"
    )
    message.refresh_from_db()
    assert (message.shown_title, message.shown_body) == (
        "路灯问题",
        "（个人信息已隐去）",
    )
    assert message.shown_body_html == "<p>（个人信息已隐去）</p>\n"
    assert message.body == BODY


def test_a_second_redaction_keeps_another_original(moderator):
    message = MessageFactory(title=TITLE, body=BODY)
    message_redact(message=message, actor=moderator)
    message_redact(message=message, actor=moderator, title="路灯问题", body="已隐去")
    assert OriginalContent.objects.filter(message=message).count() == 2
    second = AuditEvent.objects.filter(verb=AuditVerb.REDACTED).first()
    assert second.extra["old"]["public_title"] == "请联系139****5678"


def test_a_pending_message_can_be_redacted_before_approval(moderator):
    message = MessageFactory(status=MessageStatus.PENDING, title=TITLE, body=BODY)
    message_redact(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.shown_title == "请联系139****5678"


@pytest.mark.parametrize("status", [MessageStatus.REJECTED, MessageStatus.WITHDRAWN])
def test_a_message_that_will_never_be_public_is_not_redacted(status, moderator):
    message = MessageFactory(status=status, title=TITLE, body=BODY)
    with pytest.raises(InvalidTransition) as caught:
        message_redact(message=message, actor=moderator)
    assert caught.value.code == "invalid_transition"
    message.refresh_from_db()
    assert message.is_redacted is False
    assert OriginalContent.objects.exists() is False
    assert AuditEvent.objects.exists() is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "长" * 61}, "title"),
        ({"body": "  "}, "body"),
        ({"body": "字" * 3001}, "body"),
    ],
)
def test_an_invalid_public_text_is_refused_and_nothing_is_kept(
    changes, field, moderator
):
    message = MessageFactory(title=TITLE, body=BODY)
    with pytest.raises(ValidationFailed) as caught:
        message_redact(message=message, actor=moderator, **changes)
    assert caught.value.field == field
    message.refresh_from_db()
    assert message.is_redacted is False
    assert OriginalContent.objects.exists() is False
    assert AuditEvent.objects.exists() is False


def test_masks_are_not_read_as_markdown_but_emphasis_still_is(moderator):
    message = MessageFactory(title=TITLE, body="**请尽快处理**，电话13912345678")
    message_redact(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.shown_body == "**请尽快处理**，电话139****5678"
    assert message.shown_body_html == (
        "<p><strong>请尽快处理</strong>，电话139****5678</p>\n"
    )
