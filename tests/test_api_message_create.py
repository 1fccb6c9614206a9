"""POST /api/v1/messages/ (JSON): a verified citizen writes a message."""

import re

import pytest
from django.utils import timezone

from board.models import Category, Message, MessageEvent, ReferenceSequence
from tests.factories import (
    DepartmentFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CREATE_URL = "/api/v1/messages/"


@pytest.fixture
def official_in_city():
    city = RegionFactory(parent=RegionFactory())
    return OfficialFactory(region=city)


@pytest.fixture
def payload(official_in_city):
    return {
        "addressee_official": official_in_city.pk,
        "region": official_in_city.region_id,
        "category": Category.objects.get(slug="transport").pk,
        "kind": "complaint",
        "title": "小区门口路灯坏了",
        "body": "路灯已经坏了两周，晚上很黑。\n\n请尽快修理。",
        "is_public": True,
        "contact_phone": "138 0000 0000",
    }


def post(api_client, user, data):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.post(CREATE_URL, data, format="json")


def assert_nothing_saved():
    assert Message.objects.count() == 0
    assert MessageEvent.objects.count() == 0
    assert ReferenceSequence.objects.filter(last_value__gt=0).count() == 0


def test_citizen_creates_pending_message(api_client, citizen, payload):
    response = post(api_client, citizen, payload)

    assert response.status_code == 201, response.content
    data = response.json()
    message = Message.objects.get()
    assert data["id"] == message.pk
    assert data["status"] == "pending"
    assert re.fullmatch(r"ZT-\d{4}-\d{6}", data["reference"])
    assert data["reference"] == message.reference
    assert data["reference"].startswith(f"ZT-{timezone.localdate().year}-")
    assert data["url"] == f"/messages/{message.pk}/"
    assert data["title"] == payload["title"]
    assert data["body"] == payload["body"]
    assert data["body_html"].startswith("<p>")
    assert data["published"] is None
    assert data["contact_phone"] == "138 0000 0000"
    assert data["attachments"] == []
    assert response["Location"] == f"/api/v1/messages/{message.pk}/"
    assert message.author == citizen
    assert message.addressee_official_id == payload["addressee_official"]


def test_submission_is_on_the_timeline(api_client, citizen, payload):
    response = post(api_client, citizen, payload)

    event = MessageEvent.objects.get(message_id=response.json()["id"])
    assert event.verb == MessageEvent.Verb.SUBMITTED
    assert event.actor == citizen
    assert event.to_status == "pending"
    assert [item["verb"] for item in response.json()["timeline"]] == ["submitted"]


def test_references_count_up(api_client, citizen, payload):
    first = post(api_client, citizen, payload).json()["reference"]
    second = post(api_client, citizen, payload).json()["reference"]

    assert int(second[-6:]) == int(first[-6:]) + 1


def test_with_token(api_client, citizen, payload):
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=citizen)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api_client.post(CREATE_URL, payload, format="json").status_code == 201


def test_category_by_slug(api_client, citizen, payload):
    payload["category"] = "education"

    response = post(api_client, citizen, payload)

    assert response.status_code == 201
    assert Message.objects.get().category.slug == "education"


def test_private_without_phone(api_client, citizen, payload):
    payload["is_public"] = False
    del payload["contact_phone"]

    response = post(api_client, citizen, payload)

    assert response.status_code == 201
    message = Message.objects.get()
    assert message.is_public is False
    assert message.contact_phone == ""


def test_to_department_of_a_region_above(api_client, citizen, payload):
    region = RegionFactory(parent=RegionFactory(parent=RegionFactory()))
    department = DepartmentFactory(region=region.parent.parent)
    payload.update(
        addressee_official=None,
        addressee_department=department.pk,
        region=region.pk,
    )

    response = post(api_client, citizen, payload)

    assert response.status_code == 201, response.content
    assert response.json()["addressee_department"] == department.pk
    assert response.json()["addressee_official"] is None


# --- Who may write -----------------------------------------------------------


def test_anonymous_is_401(api_client, payload):
    response = post(api_client, None, payload)

    assert response.status_code == 401
    assert_nothing_saved()


def test_unverified_citizen_is_403(api_client, payload):
    unverified = UserFactory(citizen=True, email_verified=False)

    response = post(api_client, unverified, payload)

    assert response.status_code == 403
    assert response.json()["detail"]
    assert response.json()["code"] == "email_unverified"
    assert_nothing_saved()


@pytest.mark.parametrize("fixture", ["moderator", "official_user"])
def test_non_citizen_is_403(api_client, payload, request, fixture):
    response = post(api_client, request.getfixturevalue(fixture), payload)

    assert response.status_code == 403
    assert response.json()["detail"]
    assert_nothing_saved()


def test_non_citizen_is_403_even_with_bad_input(api_client, moderator):
    response = post(api_client, moderator, {})

    assert response.status_code == 403


# --- Bad input ---------------------------------------------------------------


def test_missing_fields_are_named(api_client, citizen):
    response = post(api_client, citizen, {})

    assert response.status_code == 400
    assert {"region", "category", "kind", "title", "body"} <= set(response.json())
    assert_nothing_saved()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "长" * 61),
        ("title", ""),
        ("title", "   "),
        ("body", "字" * 3001),
        ("body", ""),
        ("contact_phone", "1" * 21),
        ("contact_phone", "call me maybe"),
        ("region", "abc"),
        ("region", 999999),
        ("region", 10**30),
        ("region", None),
        ("region", True),
        ("region", [1]),
        ("addressee_official", "x"),
        ("addressee_official", 999999),
        ("category", "no-such-category"),
        ("category", 999999),
        ("category", {"id": 1}),
        ("kind", "rant"),
        ("is_public", "maybe"),
        ("title", ["a list"]),
        ("body", {"an": "object"}),
        ("attachments", "not-a-list"),
    ],
)
def test_bad_field_is_400_naming_it(api_client, citizen, payload, field, value):
    payload[field] = value

    response = post(api_client, citizen, payload)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert_nothing_saved()


def test_all_bad_fields_named_at_once(api_client, citizen, payload):
    payload.update(title="长" * 61, body="", kind="rant")

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert {"title", "body", "kind"} <= set(response.json())


def test_title_at_the_limit_is_fine(api_client, citizen, payload):
    payload.update(title="长" * 60, body="字" * 3000)

    assert post(api_client, citizen, payload).status_code == 201


def test_addressee_not_serving_region_is_400(api_client, citizen, payload):
    payload["addressee_official"] = OfficialFactory().pk  # another province

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert "addressee_official" in response.json()
    assert_nothing_saved()


def test_department_not_serving_region_is_400(api_client, citizen, payload):
    payload.update(addressee_official=None, addressee_department=DepartmentFactory().pk)

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert "addressee_department" in response.json()
    assert_nothing_saved()


def test_official_below_the_region_is_400(api_client, citizen, payload):
    """A city's official does not serve its whole province."""
    official = OfficialFactory.create(region=RegionFactory(parent=RegionFactory()))
    payload.update(addressee_official=official.pk, region=official.region.parent_id)

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert "addressee_official" in response.json()


def test_both_addressees_is_400(api_client, citizen, payload, official_in_city):
    department = DepartmentFactory(region=official_in_city.region)
    payload["addressee_department"] = department.pk

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert {"addressee_official", "addressee_department"} & set(response.json())
    assert_nothing_saved()


@pytest.mark.parametrize("absent", [None, "missing"])
def test_no_addressee_is_400(api_client, citizen, payload, absent):
    if absent == "missing":
        del payload["addressee_official"]
    else:
        payload["addressee_official"] = None

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert "addressee_official" in response.json()
    assert_nothing_saved()


def test_inactive_official_is_400(api_client, citizen, payload, official_in_city):
    official_in_city.is_active = False
    official_in_city.save()

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert "addressee_official" in response.json()
    assert_nothing_saved()


def test_inactive_category_is_400(api_client, citizen, payload):
    Category.objects.filter(slug="transport").update(is_active=False)

    response = post(api_client, citizen, payload)

    assert response.status_code == 400
    assert "category" in response.json()
    assert_nothing_saved()


def test_domain_error_carries_a_code(api_client, citizen, payload):
    payload["addressee_official"] = OfficialFactory().pk

    response = post(api_client, citizen, payload)

    assert isinstance(response.json()["addressee_official"], list)
    assert response.json()["code"]


def test_malformed_json_is_400(api_client, citizen):
    api_client.force_authenticate(citizen)

    response = api_client.post(CREATE_URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert_nothing_saved()


def test_json_list_body_is_400(api_client, citizen):
    api_client.force_authenticate(citizen)

    response = api_client.post(CREATE_URL, [1, 2], format="json")

    assert response.status_code == 400
    assert_nothing_saved()
