"""POST /api/v1/moderation/messages/{id}/redact/: mask the public version."""

import pytest

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb, OriginalContent
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

BODY = "请联系我 13812345678，邮箱 zhang@example.com。"


@pytest.fixture
def message():
    return MessageFactory(
        status=MessageStatus.PUBLISHED,
        title="路灯坏了",
        body=BODY,
        body_html=f"<p>{BODY}</p>",
    )


def redact(api_client, user, message, data=None):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/redact/", data or {}, format="json"
    )


def test_redact_masks_personal_data(api_client, moderator, message):
    response = redact(api_client, moderator, message, {"note": "手机号"})

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["is_redacted"] is True
    # Moderators keep seeing the original.
    assert data["body"] == BODY
    message.refresh_from_db()
    assert message.is_redacted is True
    assert "13812345678" not in message.public_body
    assert "138****5678" in message.public_body
    assert "zhang@example.com" not in message.public_body
    assert message.body == BODY
    assert OriginalContent.objects.get(message=message).body == BODY
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.REDACTED
    assert event.actor == moderator
    assert event.reason == "手机号"
    assert event.extra["old"]["public_title"] == "路灯坏了"
    assert "13812345678" in event.extra["old"]["public_body_html"]
    assert "138****5678" in event.extra["new"]["public_body_html"]


def test_public_sees_the_redacted_text(api_client, moderator, message):
    redact(api_client, moderator, message)
    api_client.force_authenticate(None)

    data = api_client.get(f"/api/v1/messages/{message.pk}/").json()

    assert "13812345678" not in data["body"]


def test_redact_with_given_text(api_client, moderator, message):
    response = redact(
        api_client, moderator, message, {"title": "路灯", "body": "请联系我。"}
    )

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.public_title == "路灯"
    assert message.public_body == "请联系我。"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "长" * 61),
        ("title", ["a"]),
        ("body", "  "),
        ("body", "字" * 3001),
        ("body", {"a": 1}),
    ],
)
def test_bad_text_is_400_naming_the_field(api_client, moderator, message, field, value):
    response = redact(api_client, moderator, message, {field: value})

    assert response.status_code == 400, response.content
    assert field in response.json()
    message.refresh_from_db()
    assert message.is_redacted is False
    assert AuditEvent.objects.count() == 0
    assert OriginalContent.objects.count() == 0


def test_rejected_message_cannot_be_redacted(api_client, moderator):
    message = MessageFactory(status=MessageStatus.REJECTED)

    response = redact(api_client, moderator, message)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    message.refresh_from_db()
    assert message.is_redacted is False
