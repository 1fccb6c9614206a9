"""POST /api/v1/moderation/messages/{id}/claim/ and /release/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message():
    return MessageFactory(
        status=MessageStatus.PENDING, submitted_for_review_at=timezone.now()
    )


@pytest.fixture
def moderator2():
    return UserFactory(moderator=True, username="moderator2")


def post(api_client, user, message, action, data=None):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/{action}/", data or {}, format="json"
    )


def test_claim(api_client, moderator, message):
    response = post(api_client, moderator, message, "claim")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["claimed"] is True
    assert data["id"] == message.pk
    assert data["claimed_by"] == moderator.username
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert message.claim_expires_at > timezone.now() + timedelta(minutes=9)
    assert data["claim_expires_at"] is not None
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.CLAIMED
    assert event.actor == moderator
    assert event.extra == {"new": {"claimed_by": moderator.pk}}


def test_claiming_again_renews_without_a_second_audit(api_client, moderator, message):
    post(api_client, moderator, message, "claim")
    message.refresh_from_db()
    first_expiry = message.claim_expires_at

    response = post(api_client, moderator, message, "claim")

    assert response.status_code == 200
    assert response.json()["claimed"] is False
    assert response.json()["claimed_by"] == moderator.username
    message.refresh_from_db()
    assert message.claim_expires_at >= first_expiry
    assert AuditEvent.objects.filter(message=message).count() == 1


def test_second_moderator_gets_409_naming_the_holder(
    api_client, moderator, moderator2, message
):
    post(api_client, moderator, message, "claim")

    response = post(api_client, moderator2, message, "claim")

    assert response.status_code == 409
    assert response.json()["code"] == "claimed"
    assert moderator.username in response.json()["detail"]
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert AuditEvent.objects.filter(actor=moderator2).count() == 0


def test_second_moderator_cannot_approve_a_claimed_item(
    api_client, moderator, moderator2, message
):
    post(api_client, moderator, message, "claim")

    response = post(api_client, moderator2, message, "approve")

    assert response.status_code == 409
    assert response.json()["code"] == "claimed"
    assert moderator.username in response.json()["detail"]
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.claimed_by == moderator


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("reject", {"reason": "abusive"}),
        ("request-changes", {"note": "Please remove the phone number."}),
        ("redact", {}),
        ("hide", {"reason": "abusive"}),
    ],
)
def test_every_decision_respects_the_claim(
    api_client, moderator, moderator2, message, action, data
):
    post(api_client, moderator, message, "claim")

    response = post(api_client, moderator2, message, action, data)

    assert response.status_code == 409
    assert response.json()["code"] == "claimed"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.is_redacted is False


def test_holder_can_act(api_client, moderator, message):
    post(api_client, moderator, message, "claim")

    response = post(api_client, moderator, message, "approve")

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.claimed_by is None


def test_take_over_is_audited(api_client, moderator, moderator2, message):
    post(api_client, moderator, message, "claim")

    response = post(api_client, moderator2, message, "claim", {"take_over": True})

    assert response.status_code == 200, response.content
    assert response.json()["claimed"] is True
    assert response.json()["claimed_by"] == "moderator2"
    message.refresh_from_db()
    assert message.claimed_by == moderator2
    event = AuditEvent.objects.get(message=message, verb=AuditVerb.TAKEN_OVER)
    assert event.actor == moderator2
    assert event.extra == {
        "old": {"claimed_by": moderator.pk},
        "new": {"claimed_by": moderator2.pk},
    }
    # The first holder has lost it.
    assert post(api_client, moderator, message, "approve").status_code == 409


def test_take_over_of_a_free_item_is_a_plain_claim(api_client, moderator, message):
    response = post(api_client, moderator, message, "claim", {"take_over": True})

    assert response.status_code == 200
    assert AuditEvent.objects.get(message=message).verb == AuditVerb.CLAIMED


def test_expired_claim_is_free(api_client, moderator, moderator2, message):
    message.claimed_by = moderator
    message.claim_expires_at = timezone.now() - timedelta(seconds=1)
    message.save()

    response = post(api_client, moderator2, message, "claim")

    assert response.status_code == 200
    assert response.json()["claimed_by"] == "moderator2"
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.CLAIMED


@pytest.mark.parametrize("take_over", ["maybe", [True], {"a": 1}])
def test_bad_take_over_is_400(api_client, moderator, message, take_over):
    response = post(api_client, moderator, message, "claim", {"take_over": take_over})

    assert response.status_code == 400
    assert "take_over" in response.json()
    message.refresh_from_db()
    assert message.claimed_by is None


def test_release(api_client, moderator, message):
    post(api_client, moderator, message, "claim")

    response = post(api_client, moderator, message, "release")

    assert response.status_code == 200
    assert response.json()["released"] is True
    assert response.json()["claimed_by"] is None
    message.refresh_from_db()
    assert message.claimed_by is None
    assert message.claim_expires_at is None
    event = AuditEvent.objects.get(message=message, verb=AuditVerb.RELEASED)
    assert event.actor == moderator
    assert event.extra == {}


def test_release_of_someone_elses_claim_changes_nothing(
    api_client, moderator, moderator2, message
):
    post(api_client, moderator, message, "claim")

    response = post(api_client, moderator2, message, "release")

    assert response.status_code == 200
    assert response.json()["released"] is False
    assert response.json()["claimed_by"] == moderator.username
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert not AuditEvent.objects.filter(verb=AuditVerb.RELEASED).exists()


def test_claimed_item_shows_its_holder_in_the_queue(
    api_client, moderator, moderator2, message
):
    post(api_client, moderator, message, "claim")
    api_client.force_authenticate(moderator2)

    item = api_client.get("/api/v1/moderation/queue/").json()["results"][0]

    assert item["claimed_by"] == moderator.username
    assert item["claim_expires_at"] is not None
