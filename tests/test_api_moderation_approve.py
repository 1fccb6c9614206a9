"""POST /api/v1/moderation/messages/{id}/approve/: approve, route, two approvals."""

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Category, MessageEvent
from moderation.models import AuditEvent, AuditVerb
from tests.factories import (
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def message():
    return MessageFactory(
        status=MessageStatus.PENDING, submitted_for_review_at=timezone.now()
    )


@pytest.fixture
def moderator2():
    return UserFactory(moderator=True)


def approve(api_client, user, message, data=None):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/approve/", data or {}, format="json"
    )


def test_approve_publishes(api_client, moderator, message):
    response = approve(api_client, moderator, message)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert response.json()["id"] == message.pk
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.published_at is not None
    assert message.reviewed_at is not None
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.APPROVED
    assert event.actor == moderator
    assert event.extra["old"]["status"] == "pending"
    assert event.extra["new"]["status"] == "published"
    assert event.extra["new"]["addressee_official"] == message.addressee_official_id


def test_approve_reroutes_to_another_official(api_client, moderator, message):
    other = OfficialFactory(region=message.region)
    category = Category.objects.get(slug="transport")

    response = approve(
        api_client,
        moderator,
        message,
        {"addressee_official": other.pk, "category": category.pk},
    )

    assert response.status_code == 200, response.content
    assert response.json()["addressee_official"] == other.pk
    assert response.json()["category"] == category.pk
    old_official = message.addressee_official_id
    message.refresh_from_db()
    assert message.addressee_official == other
    assert message.category == category
    event = AuditEvent.objects.get(message=message, verb=AuditVerb.APPROVED)
    assert event.extra["old"]["addressee_official"] == old_official
    assert event.extra["new"]["addressee_official"] == other.pk
    assert event.extra["new"]["category"] == category.pk
    assert message.events.filter(verb=MessageEvent.Verb.ROUTED).exists()


def test_approve_reroutes_to_a_department(api_client, moderator, message):
    department = DepartmentFactory(region=message.region)

    response = approve(
        api_client, moderator, message, {"addressee_department": department.pk}
    )

    assert response.status_code == 200, response.content
    message.refresh_from_db()
    assert message.addressee_department == department
    assert message.addressee_official is None


def test_category_by_slug(api_client, moderator, message):
    response = approve(api_client, moderator, message, {"category": "education"})

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.category.slug == "education"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("addressee_official", 999999),
        ("addressee_official", "x"),
        ("addressee_official", 10**30),
        ("addressee_official", True),
        ("addressee_official", [1]),
        ("addressee_department", 999999),
        ("category", 999999),
        ("category", "no-such-category"),
        ("category", {"id": 1}),
        ("seen_updated_at", "yesterday"),
        ("seen_updated_at", 12),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api_client, moderator, message, field, value
):
    response = approve(api_client, moderator, message, {field: value})

    assert response.status_code == 400, response.content
    assert field in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.count() == 0


def test_official_not_serving_the_region_is_400(api_client, moderator, message):
    response = approve(
        api_client, moderator, message, {"addressee_official": OfficialFactory().pk}
    )

    assert response.status_code == 400
    assert "addressee_official" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_both_addressees_is_400(api_client, moderator, message):
    department = DepartmentFactory(region=message.region)
    other = OfficialFactory(region=message.region)

    response = approve(
        api_client,
        moderator,
        message,
        {"addressee_official": other.pk, "addressee_department": department.pk},
    )

    assert response.status_code == 400
    assert "addressee_official" in response.json()


def test_inactive_category_is_400(api_client, moderator, message):
    Category.objects.filter(slug="transport").update(is_active=False)

    response = approve(api_client, moderator, message, {"category": "transport"})

    assert response.status_code == 400
    assert "category" in response.json()


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.HIDDEN,
    ],
)
def test_approving_a_message_not_pending_is_409(api_client, moderator, status):
    message = MessageFactory(status=status, status_before_hidden="")
    if status == MessageStatus.HIDDEN:
        message.status_before_hidden = MessageStatus.PUBLISHED
        message.save()

    response = approve(api_client, moderator, message)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    message.refresh_from_db()
    assert message.status == status
    assert AuditEvent.objects.count() == 0


def test_approving_twice_is_409(api_client, moderator, message):
    approve(api_client, moderator, message)

    response = approve(api_client, moderator, message)

    assert response.status_code == 409
    assert AuditEvent.objects.filter(verb=AuditVerb.APPROVED).count() == 1


# --- Two approvals -----------------------------------------------------------


@pytest.fixture
def risky():
    return MessageFactory(
        status=MessageStatus.PENDING,
        submitted_for_review_at=timezone.now(),
        needs_second_approval=True,
        prescreen_flags=[
            {"code": "rule", "detail": "敏感词", "needs_second_approval": True}
        ],
        prescreen_score=1,
    )


def test_first_approval_keeps_it_pending(api_client, moderator, risky):
    response = approve(api_client, moderator, risky)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"
    assert response.json()["first_approved_by"] == moderator.username
    assert response.json()["needs_second_approval"] is True
    risky.refresh_from_db()
    assert risky.status == MessageStatus.PENDING
    assert risky.first_approved_by == moderator
    assert risky.claimed_by is None
    event = AuditEvent.objects.get(message=risky)
    assert event.verb == AuditVerb.FIRST_APPROVAL
    assert event.actor == moderator
    assert event.extra["old"]["status"] == "pending"
    assert event.extra["new"]["status"] == "pending"


def test_same_moderator_cannot_give_the_second_approval(api_client, moderator, risky):
    approve(api_client, moderator, risky)

    response = approve(api_client, moderator, risky)

    assert response.status_code == 403
    assert response.json()["code"] == "second_approval_required"
    risky.refresh_from_db()
    assert risky.status == MessageStatus.PENDING
    assert AuditEvent.objects.filter(message=risky).count() == 1


def test_second_moderator_publishes(api_client, moderator, moderator2, risky):
    approve(api_client, moderator, risky)

    response = approve(api_client, moderator2, risky)

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    risky.refresh_from_db()
    assert risky.status == MessageStatus.PUBLISHED
    assert risky.first_approved_by == moderator
    event = AuditEvent.objects.get(message=risky, verb=AuditVerb.APPROVED)
    assert event.actor == moderator2
    assert event.extra["old"]["status"] == "pending"
    assert event.extra["new"]["status"] == "published"


def test_item_shows_prescreen_flags(api_client, moderator, risky):
    response = approve(api_client, moderator, risky)

    [flag] = response.json()["prescreen_flags"]
    assert flag["code"] == "rule"
    assert flag["detail"] == "敏感词"
    assert flag["needs_second_approval"] is True
    assert flag["label"]
