"""Open311 GeoReport v2 at /open311/v2/: every endpoint in JSON and XML,
checked against the fields the specification requires
(http://wiki.open311.org/GeoReport_v2 and its Service Discovery page)."""

import re
import uuid
from datetime import timedelta
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from board.actions import api_token_create
from board.api.open311 import selectors
from board.lifecycle import MessageStatus
from board.models import Category, Message, MessageAttachment, MessageKind
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"

# --- The specification's fields ----------------------------------------------

# Service Discovery: "All fields are required."
DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
# GET Service List, response.
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
# GET Service Definition, response.
DEFINITION_FIELDS = {"service_code", "attributes"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}
VALUE_FIELDS = {"key", "name"}
DATATYPES = {
    "string",
    "number",
    "datetime",
    "text",
    "singlevaluelist",
    "multivaluelist",
}
# GET Service Requests / GET Service Request, response ("may not be
# returned" ones included: this endpoint returns them all, null when empty).
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
# POST Service Request, response (realtime: an id, never a token).
CREATED_FIELDS = {"service_request_id", "service_notice", "account_id"}
# Errors.
ERROR_FIELDS = {"code", "description"}
# "Timezone information (either Z meaning UTC, or an HH:MM offset from UTC)
# must be included."
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


# --- Helpers --------------------------------------------------------------------


def get(path, client=None, **params):
    return (client or APIClient()).get(f"{BASE}/{path}", params)


def xml(response) -> ElementTree.Element:
    """The answer parsed as the specification's XML."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    # The test's own server wrote it; no package (defusedxml) is needed.
    return ElementTree.fromstring(response.content)  # noqa: S314


def as_dict(element: ElementTree.Element) -> dict:
    """One XML item's children as {tag: text}."""
    return {child.tag: child.text for child in element}


def assert_errors(response, status_code: int) -> list[dict]:
    assert response.status_code == status_code
    data = response.json()
    assert isinstance(data, list) and data
    for item in data:
        assert set(item) == ERROR_FIELDS
        assert item["code"] == status_code
    return data


def assert_xml_errors(response, status_code: int) -> list[dict]:
    assert response.status_code == status_code
    root = xml(response)
    assert root.tag == "errors"
    errors = [as_dict(item) for item in root.findall("error")]
    assert errors
    for item in errors:
        assert set(item) == ERROR_FIELDS
        assert item["code"] == str(status_code)
    return errors


@pytest.fixture
def place():
    """A city in a province, with an official and a department of the city."""
    province = RegionFactory(name="浙江省", name_en="Zhejiang", code="330000")
    city = RegionFactory(
        name="杭州市", name_en="Hangzhou", code="330100", parent=province
    )
    official = OfficialFactory(name="王明", region=city)
    department = DepartmentFactory(
        name="交通局", name_en="Transport Bureau", region=city
    )
    return {
        "province": province,
        "city": city,
        "official": official,
        "department": department,
    }


@pytest.fixture
def category():
    return CategoryFactory(
        slug="traffic",
        name="交通出行",
        name_en="Transport",
        routing_keywords="公交、路灯 红绿灯,地铁",
    )


def published(days_ago=0, **fields):
    message = MessageFactory(**fields)
    Message.objects.filter(pk=message.pk).update(
        published_at=timezone.now() - timedelta(days=days_ago)
    )
    message.refresh_from_db()
    return message


def key_for(user) -> str:
    _instance, token = api_token_create(user=user)
    return token


def post(form, client=None):
    return (client or APIClient()).post(f"{BASE}/requests.json", form)


def valid_form(citizen, place, category, **overrides):
    form = {
        "api_key": key_for(citizen),
        "service_code": category.slug,
        "attribute[region]": place["city"].code,
        "attribute[kind]": MessageKind.COMPLAINT,
        "attribute[title]": "公交站牌倒了",
        "attribute[official]": str(place["official"].pk),
        "description": "文三路公交站的站牌被风吹倒了。\n请尽快处理。",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


# --- Discovery --------------------------------------------------------------------


def test_discovery_json_has_every_field_and_our_endpoint():
    response = get("discovery.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert set(data) == DISCOVERY_FIELDS
    assert W3C_DATETIME.match(data["changeset"])
    assert "/api/v1/auth/token/" in data["key_service"]
    [endpoint] = data["endpoints"]
    assert set(endpoint) == ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml_nests_endpoints_and_formats():
    root = xml(get("discovery.xml"))

    assert root.tag == "discovery"
    assert {child.tag for child in root} == DISCOVERY_FIELDS
    [endpoint] = root.find("endpoints").findall("endpoint")
    assert {child.tag for child in endpoint} == ENDPOINT_FIELDS
    formats = [item.text for item in endpoint.find("formats").findall("format")]
    assert formats == ["text/xml", "application/json"]


def test_discovery_changeset_moves_when_reference_data_changes(
    settings, django_capture_on_commit_callbacks, category
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "open311-changeset",
        }
    }
    first = get("discovery.json").json()["changeset"]
    assert get("discovery.json").json()["changeset"] == first

    with django_capture_on_commit_callbacks(execute=True):
        category.name = "交通"
        category.save()
    # The changeset has a resolution of a second.
    later = timezone.now() + timedelta(seconds=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        second = get("discovery.json").json()["changeset"]

    assert second > first


# --- Services -----------------------------------------------------------------------


def test_services_json_lists_offered_categories_with_every_field(category):
    CategoryFactory(slug="closed-down", name="停用", is_active=False)

    response = get("services.json")

    assert response.status_code == 200
    services = response.json()
    codes = [item["service_code"] for item in services]
    assert codes == list(
        Category.objects.filter(is_active=True)
        .order_by("sort_order", "pk")
        .values_list("slug", flat=True)
    )
    assert "closed-down" not in codes
    traffic = next(item for item in services if item["service_code"] == "traffic")
    assert set(traffic) == SERVICE_FIELDS
    assert traffic["service_name"] == "交通出行"
    assert traffic["metadata"] is True
    assert traffic["type"] == "realtime"
    assert traffic["keywords"] == "公交, 路灯, 红绿灯, 地铁"
    assert traffic["description"]


def test_services_in_english_by_accept_language_or_locale(category):
    by_header = (
        APIClient().get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    )
    by_locale = get("services.json", locale="en").json()

    for services in (by_header, by_locale):
        traffic = next(item for item in services if item["service_code"] == "traffic")
        assert traffic["service_name"] == "Transport"


def test_services_xml(category):
    root = xml(get("services.xml"))

    assert root.tag == "services"
    services = [as_dict(item) for item in root.findall("service")]
    traffic = next(item for item in services if item["service_code"] == "traffic")
    assert set(traffic) == SERVICE_FIELDS
    assert traffic["metadata"] == "true"
    assert traffic["type"] == "realtime"


# --- A service definition ---------------------------------------------------------


def test_service_definition_json(category, place):
    response = get("services/traffic.json")

    assert response.status_code == 200
    data = response.json()
    assert set(data) == DEFINITION_FIELDS
    assert data["service_code"] == "traffic"
    attributes = {item["code"]: item for item in data["attributes"]}
    assert list(attributes) == [
        "region",
        "kind",
        "title",
        "official",
        "department",
        "public",
    ]
    for attribute in data["attributes"]:
        assert set(attribute) >= ATTRIBUTE_FIELDS
        assert attribute["datatype"] in DATATYPES
        assert attribute["variable"] is True
        for value in attribute["values"]:
            assert set(value) == VALUE_FIELDS
    orders = [item["order"] for item in data["attributes"]]
    assert len(set(orders)) == len(orders) and min(orders) == 1
    assert attributes["region"]["required"] is True
    assert attributes["kind"]["required"] is True
    assert attributes["official"]["required"] is False
    assert {"key": "330100", "name": "杭州市 (浙江省)"} in attributes["region"][
        "values"
    ]
    assert {value["key"] for value in attributes["kind"]["values"]} == set(
        MessageKind.values
    )
    assert str(place["official"].pk) in {
        value["key"] for value in attributes["official"]["values"]
    }
    assert str(place["department"].pk) in {
        value["key"] for value in attributes["department"]["values"]
    }
    # The contact phone is not asked for through Open311.
    assert "phone" not in attributes and "contact_phone" not in attributes


def test_service_definition_xml(category, place):
    root = xml(get("services/traffic.xml"))

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "traffic"
    attributes = root.find("attributes").findall("attribute")
    region = next(item for item in attributes if item.findtext("code") == "region")
    assert {child.tag for child in region} >= ATTRIBUTE_FIELDS
    assert region.findtext("required") == "true"
    values = [as_dict(value) for value in region.find("values").findall("value")]
    assert {"key": "330100", "name": "杭州市 (浙江省)"} in values


def test_unknown_or_inactive_service_is_an_open311_404():
    CategoryFactory(slug="closed-down", is_active=False)

    for code in ("no-such-service", "closed-down"):
        [error] = assert_errors(get(f"services/{code}.json"), 404)
        assert code in error["description"]
        assert_xml_errors(get(f"services/{code}.xml"), 404)


def test_a_format_not_spoken_is_an_open311_404_in_json():
    response = get("services.html")

    assert_errors(response, 404)
    assert response["Content-Type"] == "application/json; charset=utf-8"


# --- GET requests -----------------------------------------------------------------


def test_requests_json_lists_public_messages_newest_first(category):
    older = published(days_ago=3, category=category)
    newer = published(days_ago=1, category=category)

    response = get("requests.json")

    assert response.status_code == 200
    data = response.json()
    assert [item["service_request_id"] for item in data] == [
        newer.reference,
        older.reference,
    ]
    for item in data:
        assert set(item) == REQUEST_FIELDS
        assert W3C_DATETIME.match(item["requested_datetime"])
        assert W3C_DATETIME.match(item["updated_datetime"])
    item = data[0]
    assert item["status"] == "open"
    assert item["service_code"] == "traffic"
    assert item["service_name"] == "交通出行"
    assert item["description"] == newer.body
    assert item["agency_responsible"] == str(newer.addressee_official)
    assert item["address_id"] == newer.region.code
    assert item["address"] == newer.region.name
    assert item["zipcode"] is None and item["lat"] is None and item["long"] is None


def test_requests_xml(category):
    message = published(category=category)

    root = xml(get("requests.xml"))

    assert root.tag == "service_requests"
    [item] = [as_dict(request) for request in root.findall("request")]
    assert set(item) == REQUEST_FIELDS
    assert item["service_request_id"] == message.reference
    assert item["status"] == "open"
    assert W3C_DATETIME.match(item["requested_datetime"])


def test_never_lists_private_unreviewed_or_hidden_messages():
    shown = published()
    hidden_ones = [
        MessageFactory(is_public=False),
        MessageFactory(status=MessageStatus.PENDING),
        MessageFactory(status=MessageStatus.CHANGES_REQUESTED),
        MessageFactory(status=MessageStatus.REJECTED),
        MessageFactory(status=MessageStatus.WITHDRAWN),
        MessageFactory(status=MessageStatus.HIDDEN),
    ]

    listed = [item["service_request_id"] for item in get("requests.json").json()]
    by_id = get(
        "requests.json",
        service_request_id=",".join(message.reference for message in hidden_ones),
    ).json()

    assert listed == [shown.reference]
    assert by_id == []
    for message in hidden_ones:
        assert_errors(get(f"requests/{message.reference}.json"), 404)
        assert_errors(get(f"requests/{message.pk}.json"), 404)
        assert_xml_errors(get(f"requests/{message.reference}.xml"), 404)


def test_status_is_closed_once_answered_with_the_final_reply_as_notes():
    open_ones = [
        RoutedMessageFactory(status=MessageStatus.PUBLISHED),
        RoutedMessageFactory(status=MessageStatus.ACCEPTED),
    ]
    replied = RoutedMessageFactory(status=MessageStatus.REPLIED)
    closed = RoutedMessageFactory(status=MessageStatus.CLOSED)
    earlier = timezone.now() - timedelta(days=2)
    ReplyFactory(message=replied, body_html="<p>旧的答复</p>", published_at=earlier)
    ReplyFactory(
        message=replied,
        body_html="<p>已修复&amp;完成。</p><p>谢谢。</p>",
        published_at=earlier + timedelta(days=1),
    )
    # Interim replies and hidden final replies are no status notes.
    ReplyFactory(message=replied, body_html="<p>处理中</p>", is_final=False)
    ReplyFactory(
        message=replied, body_html="<p>被隐藏</p>", status="hidden", published_at=None
    )
    ReplyFactory(
        message=closed,
        body_html="<p>原始答复 13800000000</p>",
        is_redacted=True,
        public_body_html="<p>答复（已处理）</p>",
    )

    data = {item["service_request_id"]: item for item in get("requests.json").json()}

    for message in open_ones:
        assert data[message.reference]["status"] == "open"
        assert data[message.reference]["status_notes"] is None
        assert W3C_DATETIME.match(data[message.reference]["expected_datetime"])
    assert data[replied.reference]["status"] == "closed"
    assert data[replied.reference]["status_notes"] == "已修复&完成。\n谢谢。"
    assert data[closed.reference]["status"] == "closed"
    assert data[closed.reference]["status_notes"] == "答复（已处理）"
    expected = data[closed.reference]["expected_datetime"]
    assert expected.startswith(closed.due_date.isoformat() + "T23:59:59")


def test_redacted_text_and_personal_data_never_appear(category):
    author = UserFactory(
        citizen=True,
        username="zhangsan",
        email="zs@example.org",
        first_name="张",
        last_name="三",
    )
    message = published(
        author=author,
        category=category,
        body="原文 电话13900001111",
        contact_phone="13900001111",
        is_redacted=True,
        public_title="已删改的标题",
        public_body="已删改的内容",
        moderation_note="moderators only",
    )

    for path in (
        "requests.json",
        "requests.xml",
        f"requests/{message.reference}.json",
        f"requests/{message.reference}.xml",
    ):
        content = get(path).content.decode()
        assert "已删改的内容" in content
        for secret in (
            "原文",
            "13900001111",
            "zhangsan",
            "zs@example.org",
            "moderators only",
        ):
            assert secret not in content


def test_media_url_is_the_first_photo_the_public_may_see():
    message = published()
    hidden = MessageAttachment.objects.create(
        message=message,
        image="attachments/a.png",
        content_type="image/png",
        width=1,
        height=1,
        size=1,
        is_hidden_from_public=True,
    )
    shown = MessageAttachment.objects.create(
        message=message,
        image="attachments/b.png",
        content_type="image/png",
        width=1,
        height=1,
        size=1,
    )
    without_photo = published()

    data = {item["service_request_id"]: item for item in get("requests.json").json()}

    assert data[message.reference]["media_url"] == (
        f"http://testserver/attachments/{shown.pk}/"
    )
    assert str(hidden.pk) not in data[message.reference]["media_url"]
    assert data[without_photo.reference]["media_url"] is None


# --- GET requests: filters -------------------------------------------------------


def test_default_window_is_the_last_90_days():
    recent = published(days_ago=10)
    almost_too_old = published(days_ago=89)
    old = published(days_ago=91)

    listed = [item["service_request_id"] for item in get("requests.json").json()]
    asked = [
        item["service_request_id"]
        for item in get(
            "requests.json",
            start_date=(timezone.now() - timedelta(days=120)).isoformat(),
        ).json()
    ]

    assert listed == [recent.reference, almost_too_old.reference]
    # With a start date only, the window is the 90 days after it.
    assert asked == [almost_too_old.reference, old.reference]


def test_start_and_end_date_bound_the_requested_datetime():
    inside = published(days_ago=10)
    published(days_ago=20)
    published(days_ago=1)
    start = (timezone.now() - timedelta(days=15)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = timezone.localtime(timezone.now() - timedelta(days=5)).isoformat()

    data = get("requests.json", start_date=start, end_date=end).json()

    assert [item["service_request_id"] for item in data] == [inside.reference]


def test_an_offset_whose_plus_became_a_space_is_still_read():
    inside = published(days_ago=10)
    start = (timezone.localtime() - timedelta(days=11)).strftime("%Y-%m-%dT%H:%M:%S")

    response = APIClient().get(f"{BASE}/requests.json?start_date={start}+08:00")

    assert response.status_code == 200
    assert [item["service_request_id"] for item in response.json()] == [
        inside.reference
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            "end_date",
        ),
        (
            {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            "end_date",
        ),
        ({"status": "open,pending"}, "status"),
    ],
)
def test_bad_arguments_are_an_open311_400_naming_them(params, field):
    [error] = assert_errors(get("requests.json", **params), 400)
    assert error["description"].startswith(f"{field}: ")

    assert_xml_errors(get("requests.xml", **params), 400)


def test_status_filter_takes_a_comma_list():
    open_one = RoutedMessageFactory(status=MessageStatus.ACCEPTED)
    closed_one = RoutedMessageFactory(status=MessageStatus.CLOSED)

    def listed(status):
        return {
            item["service_request_id"]
            for item in get("requests.json", status=status).json()
        }

    assert listed("open") == {open_one.reference}
    assert listed("closed") == {closed_one.reference}
    assert listed("open,closed") == {open_one.reference, closed_one.reference}


def test_service_code_filter_takes_a_comma_list(category):
    traffic = published(category=category)
    education = published(category=CategoryFactory(slug="education"))
    published(category=CategoryFactory(slug="health"))

    data = get("requests.json", service_code="traffic,education").json()

    assert {item["service_request_id"] for item in data} == {
        traffic.reference,
        education.reference,
    }


def test_service_request_id_takes_references_and_ids_and_overrides_the_rest():
    old = published(days_ago=200)
    recent = published(days_ago=1)
    published(days_ago=1)

    data = get(
        "requests.json",
        service_request_id=f"{old.reference.lower()}, {recent.pk}",
        status="closed",
    ).json()

    assert {item["service_request_id"] for item in data} == {
        old.reference,
        recent.reference,
    }


def test_at_most_the_limit_of_requests(monkeypatch):
    monkeypatch.setattr(selectors, "MAX_REQUESTS", 2)
    messages = [published(days_ago=days) for days in (1, 2, 3)]

    data = get("requests.json").json()

    assert [item["service_request_id"] for item in data] == [
        messages[0].reference,
        messages[1].reference,
    ]


def test_the_limit_is_the_specifications_1000():
    assert selectors.MAX_REQUESTS == 1000


# --- GET a request ----------------------------------------------------------------


def test_one_request_by_reference_or_id_is_a_list_of_one():
    message = published()

    for identifier in (message.reference, str(message.pk)):
        response = get(f"requests/{identifier}.json")
        assert response.status_code == 200
        [item] = response.json()
        assert set(item) == REQUEST_FIELDS
        assert item["service_request_id"] == message.reference

    root = xml(get(f"requests/{message.reference}.xml"))
    assert root.tag == "service_requests"
    [item] = [as_dict(request) for request in root.findall("request")]
    assert set(item) == REQUEST_FIELDS


def test_an_unknown_request_is_an_open311_404():
    for identifier in ("ZT-2020-999999", "99999999", "99999999999999999999999"):
        assert_errors(get(f"requests/{identifier}.json"), 404)
        assert_xml_errors(get(f"requests/{identifier}.xml"), 404)


# --- POST a request -----------------------------------------------------------------


def test_post_creates_a_pending_message_for_the_keys_account(
    citizen, place, category, moderator
):
    client = APIClient(enforce_csrf_checks=True)

    response = post(valid_form(citizen, place, category), client)

    assert response.status_code == 201
    [item] = response.json()
    assert set(item) == CREATED_FIELDS
    assert item["account_id"] is None
    assert item["service_notice"]
    message = Message.objects.get(reference=item["service_request_id"])
    assert message.author == citizen
    assert message.status == MessageStatus.PENDING
    assert message.submitted_for_review_at is not None
    assert message.category == category
    assert message.region == place["city"]
    assert message.kind == MessageKind.COMPLAINT
    assert message.title == "公交站牌倒了"
    assert message.body == "文三路公交站的站牌被风吹倒了。\n请尽快处理。"
    assert message.addressee_official == place["official"]
    assert message.is_public is True
    # In the moderators' review queue.
    moderators = APIClient()
    moderators.force_authenticate(moderator)
    queue = moderators.get("/api/v1/moderation/queue/").json()
    assert message.pk in [entry["id"] for entry in queue["results"]]
    # Not public until approved.
    assert_errors(get(f"requests/{message.reference}.json"), 404)


LONG_DESCRIPTION = "地铁站出口的电梯已经坏了很久，老人上下楼非常不方便，希望尽快修好。"


def test_post_in_xml_to_a_department_with_defaults(citizen, place, category):
    form = valid_form(
        citizen,
        place,
        category,
        **{
            "attribute[official]": None,
            "attribute[title]": None,
            "attribute[department]": str(place["department"].pk),
            "attribute[public]": "false",
            "description": LONG_DESCRIPTION,
            "address_string": "文三路地铁站B口",
            "lat": "30.28",
            "long": "120.13",
            "phone": "13800000000",
        },
    )

    response = APIClient().post(f"{BASE}/requests.xml", form)

    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    [item] = [as_dict(request) for request in root.findall("request")]
    assert set(item) == CREATED_FIELDS
    message = Message.objects.get(reference=item["service_request_id"])
    assert message.addressee_department == place["department"]
    assert message.is_public is False
    # The first 30 characters of the description's first line.
    assert (
        message.title == "地铁站出口的电梯已经坏了很久，老人上下楼非常不方便，希望尽…"
    )
    assert len(message.title) == 30
    assert message.body.endswith("文三路地铁站B口")
    assert message.contact_phone == ""


def test_post_without_a_key_or_with_a_bad_one_is_403(citizen, place, category):
    form = valid_form(citizen, place, category)
    count = Message.objects.count()

    missing = post({**form, "api_key": ""})
    wrong = post({**form, "api_key": "not-a-token"})
    wrong_xml = APIClient().post(f"{BASE}/requests.xml", {**form, "api_key": "x"})

    for response in (missing, wrong):
        [error] = assert_errors(response, 403)
        assert error["description"].startswith("api_key: ")
    assert_xml_errors(wrong_xml, 403)
    assert Message.objects.count() == count


def test_a_header_token_is_no_api_key(citizen, place, category):
    form = valid_form(citizen, place, category)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {form.pop('api_key')}")

    assert_errors(client.post(f"{BASE}/requests.json", form), 403)


def test_post_by_an_unverified_or_non_citizen_account_is_403(place, category):
    unverified = UserFactory(citizen=True)
    key = key_for(unverified)
    unverified.emailaddress_set.update(verified=False)
    official = UserFactory(official=True)

    for user, api_key in ((unverified, key), (official, key_for(official))):
        form = valid_form(user, place, category, api_key=api_key)
        assert_errors(post(form), 403)
    assert not Message.objects.filter(status=MessageStatus.PENDING).exists()


def test_post_unknown_service_code_is_404(citizen, place, category):
    form = valid_form(citizen, place, category, service_code="no-such-service")

    [error] = assert_errors(post(form), 404)
    assert "no-such-service" in error["description"]


def test_post_missing_fields_are_400_naming_each(citizen, place, category):
    form = valid_form(
        citizen,
        place,
        category,
        **{"attribute[region]": None, "description": "  ", "attribute[kind]": "rant"},
    )

    errors = assert_errors(post(form), 400)

    named = {error["description"].split(":")[0] for error in errors}
    assert named == {"attribute[region]", "attribute[kind]", "description"}
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_code": None}, "service_code"),
        ({"attribute[official]": None}, "attribute[official]"),
        ({"attribute[region]": "999999"}, "attribute[region]"),
        ({"attribute[official]": "abc"}, "attribute[official]"),
        ({"attribute[public]": "maybe"}, "attribute[public]"),
        ({"attribute[title]": "长" * 61}, "attribute[title]"),
    ],
)
def test_post_bad_input_is_400_naming_the_field(
    citizen, place, category, overrides, field
):
    form = valid_form(citizen, place, category, **overrides)

    [error] = assert_errors(post(form), 400)

    assert error["description"].startswith(f"{field}: ")
    assert not Message.objects.exists()


def test_post_to_an_addressee_outside_the_region_names_the_addressee(
    citizen, place, category
):
    elsewhere = OfficialFactory(region=RegionFactory())
    form = valid_form(
        citizen, place, category, **{"attribute[official]": str(elsewhere.pk)}
    )

    [error] = assert_errors(post(form), 400)

    assert error["description"].startswith("attribute[official]: ")
    assert not Message.objects.exists()


def test_post_with_both_addressees_is_400(citizen, place, category):
    form = valid_form(
        citizen,
        place,
        category,
        **{"attribute[department]": str(place["department"].pk)},
    )

    [error] = assert_errors(post(form), 400)

    assert error["description"].startswith("attribute[official]: ")


def test_post_counts_as_posting_for_the_rate_limit(settings, citizen, place, category):
    settings.ZHITONG_RATE_LIMITS_ENABLED = True
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    settings.ZHITONG_RATE_LIMITS = {
        **settings.ZHITONG_RATE_LIMITS,
        "posting": "1/h",
        "api_reads": "off",
    }
    form = valid_form(citizen, place, category)

    assert post(form).status_code == 201
    response = post(form)

    assert_errors(response, 429)
    assert int(response["Retry-After"]) > 0
    assert Message.objects.filter(author=citizen).count() == 1
