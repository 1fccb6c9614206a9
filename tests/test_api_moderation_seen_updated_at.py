"""``seen_updated_at``: an item changed since the client loaded it is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, Report
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

# Each endpoint with a body it would accept, and the status it acts on.
ENDPOINTS = [
    ("approve", {}, MessageStatus.PENDING),
    ("reject", {"reason": "abusive"}, MessageStatus.PENDING),
    ("request-changes", {"note": "请修改"}, MessageStatus.PENDING),
    ("redact", {}, MessageStatus.PUBLISHED),
    ("duplicate", {"of": None}, MessageStatus.PENDING),
    ("hide", {"reason": "abusive"}, MessageStatus.PUBLISHED),
    ("restore", {}, MessageStatus.HIDDEN),
    ("resolve-reports", {"resolution": "keep"}, MessageStatus.PUBLISHED),
    ("resolve-reports", {"resolution": "hide", "reason": "abusive"}, "published"),
    ("resolve-reports", {"resolution": "redact"}, MessageStatus.PUBLISHED),
]


def make_message(status):
    message = MessageFactory(
        status=status,
        submitted_for_review_at=timezone.now(),
        status_before_hidden=(
            MessageStatus.PUBLISHED if status == MessageStatus.HIDDEN else ""
        ),
        flagged_at=timezone.now() if status == MessageStatus.PUBLISHED else None,
    )
    Report.objects.create(
        message=message, reporter=UserFactory(citizen=True), reason="spam"
    )
    return message


def post(api_client, user, message, action, data):
    api_client.force_authenticate(user)
    if "of" in data:
        data = {**data, "of": MessageFactory().pk}
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/{action}/", data, format="json"
    )


@pytest.mark.parametrize(("action", "data", "status"), ENDPOINTS)
def test_stale_is_409(api_client, moderator, action, data, status):
    message = make_message(status)
    seen = (message.updated_at - timedelta(seconds=5)).isoformat()

    response = post(
        api_client, moderator, message, action, {**data, "seen_updated_at": seen}
    )

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "stale"
    assert response.json()["detail"]
    updated_at = message.updated_at
    message.refresh_from_db()
    assert message.status == status
    assert message.updated_at == updated_at
    assert message.is_redacted is False
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(("action", "data", "status"), ENDPOINTS)
def test_current_version_is_accepted(api_client, moderator, action, data, status):
    message = make_message(status)
    api_client.force_authenticate(moderator)
    item = api_client.get(
        "/api/v1/moderation/queue/",
        {"queue": {"pending": "pending", "hidden": "hidden"}.get(status, "flagged")},
    ).json()["results"][0]
    assert item["id"] == message.pk

    response = post(
        api_client,
        moderator,
        message,
        action,
        {**data, "seen_updated_at": item["updated_at"]},
    )

    assert response.status_code == 200, response.content
    assert AuditEvent.objects.filter(message=message).exists()


def test_the_claims_updated_at_is_the_one_to_send(api_client, moderator):
    """Claiming changes the item; the claim answers with its new version."""
    message = make_message(MessageStatus.PENDING)
    api_client.force_authenticate(moderator)
    loaded = api_client.get("/api/v1/moderation/queue/").json()["results"][0]
    claim = api_client.post(f"/api/v1/moderation/messages/{message.pk}/claim/")

    stale = post(
        api_client,
        moderator,
        message,
        "approve",
        {"seen_updated_at": loaded["updated_at"]},
    )
    fresh = post(
        api_client,
        moderator,
        message,
        "approve",
        {"seen_updated_at": claim.json()["updated_at"]},
    )

    assert stale.status_code == 409
    assert fresh.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_null_seen_updated_at_checks_nothing(api_client, moderator):
    message = make_message(MessageStatus.PENDING)

    response = post(
        api_client, moderator, message, "approve", {"seen_updated_at": None}
    )

    assert response.status_code == 200
