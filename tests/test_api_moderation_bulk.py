"""POST /api/v1/moderation/bulk/: each item on its own, an outcome per id."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/moderation/bulk/"


def pending(**kwargs):
    return MessageFactory(
        status=MessageStatus.PENDING, submitted_for_review_at=timezone.now(), **kwargs
    )


def bulk(api_client, user, data):
    api_client.force_authenticate(user)
    return api_client.post(URL, data, format="json")


def test_bulk_approve_with_mixed_outcomes(api_client, moderator):
    other = UserFactory(moderator=True, username="moderator2")
    free = pending()
    published = MessageFactory(status=MessageStatus.PUBLISHED)
    claimed = pending(
        claimed_by=other,
        claim_expires_at=timezone.now() + timedelta(minutes=5),
    )

    response = bulk(
        api_client,
        moderator,
        {"ids": [free.pk, published.pk, claimed.pk], "decision": "approve"},
    )

    assert response.status_code == 200, response.content
    results = {item["id"]: item for item in response.json()["results"]}
    assert [item["id"] for item in response.json()["results"]] == [
        free.pk,
        published.pk,
        claimed.pk,
    ]
    assert results[free.pk] == {
        "id": free.pk,
        "ok": True,
        "status": "published",
        "detail": "",
    }
    assert results[published.pk]["ok"] is False
    assert results[published.pk]["status"] == "published"
    assert results[published.pk]["detail"]
    assert results[claimed.pk]["ok"] is False
    assert results[claimed.pk]["status"] == "pending"
    assert "moderator2" in results[claimed.pk]["detail"]
    free.refresh_from_db()
    claimed.refresh_from_db()
    assert free.status == MessageStatus.PUBLISHED
    assert claimed.status == MessageStatus.PENDING
    event = AuditEvent.objects.get()
    assert event.message == free
    assert event.verb == AuditVerb.APPROVED
    assert event.actor == moderator
    assert event.extra["old"]["status"] == "pending"
    assert event.extra["new"]["status"] == "published"


def test_bulk_approve_respects_second_approval(api_client, moderator):
    risky = pending(needs_second_approval=True)

    response = bulk(api_client, moderator, {"ids": [risky.pk], "decision": "approve"})

    assert response.json()["results"][0]["status"] == "pending"
    risky.refresh_from_db()
    assert risky.first_approved_by == moderator
    assert AuditEvent.objects.get().verb == AuditVerb.FIRST_APPROVAL


def test_bulk_reject(api_client, moderator):
    first, second = pending(), pending()
    rejected = MessageFactory(status=MessageStatus.REJECTED)

    response = bulk(
        api_client,
        moderator,
        {
            "ids": [first.pk, second.pk, rejected.pk],
            "decision": "reject",
            "reason": "advertising",
            "note": "批量广告",
        },
    )

    assert response.status_code == 200
    assert [item["ok"] for item in response.json()["results"]] == [True, True, False]
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == MessageStatus.REJECTED
        assert message.moderation_reason == "advertising"
    events = AuditEvent.objects.filter(verb=AuditVerb.REJECTED)
    assert {event.message_id for event in events} == {first.pk, second.pk}
    assert {event.reason for event in events} == {"批量广告"}


def test_duplicate_ids_are_decided_once(api_client, moderator):
    message = pending()

    response = bulk(
        api_client, moderator, {"ids": [message.pk, message.pk], "decision": "approve"}
    )

    assert [item["id"] for item in response.json()["results"]] == [message.pk]
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{"decision": "reject"}, {"decision": "reject", "reason": "rude"}]
)
def test_bulk_reject_without_a_known_reason_is_400(api_client, moderator, data):
    message = pending()

    response = bulk(api_client, moderator, {"ids": [message.pk], **data})

    assert response.status_code == 400
    assert "reason" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_bulk_reject_other_without_a_note_is_400_note(api_client, moderator):
    message = pending()

    response = bulk(
        api_client,
        moderator,
        {"ids": [message.pk], "decision": "reject", "reason": "other"},
    )

    assert response.status_code == 400
    assert "note" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ids", []),
        ("ids", "1"),
        ("ids", ["x"]),
        ("ids", [0]),
        ("ids", [10**30]),
        ("ids", [999999]),
        ("ids", list(range(1, 102))),
        ("ids", None),
        ("decision", "publish"),
        ("decision", None),
    ],
)
def test_bad_input_is_400_naming_the_field(api_client, moderator, field, value):
    message = pending()
    data = {"ids": [message.pk], "decision": "approve", field: value}

    response = bulk(api_client, moderator, data)

    assert response.status_code == 400, response.content
    assert field in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.count() == 0


def test_missing_id_is_named(api_client, moderator):
    message = pending()

    response = bulk(
        api_client, moderator, {"ids": [message.pk, 999999], "decision": "approve"}
    )

    assert response.status_code == 400
    assert "999999" in response.json()["ids"][0]
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
