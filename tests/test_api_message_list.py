"""GET /api/v1/messages/: the public board, filtered and paged by cursor."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import AuthorShownAs, Category, Message
from board.serializers import BoardMessageSerializer
from tests.factories import (
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/messages/"


def result_ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.ACCEPTED,
        MessageStatus.REPLIED,
        MessageStatus.CLOSED,
    ],
)
def test_public_statuses_appear(api_client, status):
    message = MessageFactory(status=status)

    assert result_ids(api_client.get(LIST_URL)) == {message.pk}


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PENDING,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.HIDDEN,
    ],
)
def test_unreviewed_and_refused_never_appear(api_client, citizen, status):
    MessageFactory(status=status, author=citizen)
    api_client.force_authenticate(citizen)  # not even to the author

    assert result_ids(api_client.get(LIST_URL)) == set()


def test_private_messages_never_appear(api_client, moderator):
    MessageFactory(is_public=False)
    api_client.force_authenticate(moderator)  # not even to a moderator

    assert result_ids(api_client.get(LIST_URL)) == set()


def test_item_shape_without_contact_phone(api_client):
    message = MessageFactory(contact_phone="138 0000 0000")

    response = api_client.get(LIST_URL)

    data = response.json()
    assert set(data) == {"next", "previous", "results"}
    [item] = data["results"]
    assert item == {
        "id": message.pk,
        "reference": message.reference,
        "url": f"/messages/{message.pk}/",
        "status": "published",
        "kind": "complaint",
        "title": message.title,
        "body": message.body,
        "body_html": message.body_html,
        "is_public": True,
        "region": message.region_id,
        "category": message.category_id,
        "addressee_official": message.addressee_official_id,
        "addressee_department": None,
        "author": message.public_author_name,
        "created": item["created"],
        "published": item["published"],
        # Only a search (``q``) highlights.
        "highlight": None,
    }
    assert item["url"] == message.get_absolute_url()
    assert item["published"] is not None
    assert "138 0000 0000" not in response.content.decode()


# --- Filters -----------------------------------------------------------------


@pytest.fixture
def region_tree():
    province = RegionFactory()
    city = RegionFactory(parent=province)
    county = RegionFactory(parent=city)
    elsewhere = RegionFactory()
    return province, city, county, elsewhere


def test_region_filter_includes_descendants(api_client, region_tree):
    province, city, county, elsewhere = region_tree
    in_city = MessageFactory(region=city)
    in_county = MessageFactory(region=county)
    MessageFactory(region=elsewhere)

    assert result_ids(api_client.get(LIST_URL, {"region": province.pk})) == {
        in_city.pk,
        in_county.pk,
    }
    assert result_ids(api_client.get(LIST_URL, {"region": city.pk})) == {
        in_city.pk,
        in_county.pk,
    }
    assert result_ids(api_client.get(LIST_URL, {"region": county.pk})) == {in_county.pk}


def test_official_filter_and_its_alias(api_client):
    official = OfficialFactory()
    to_official = MessageFactory(addressee_official=official, region=official.region)
    MessageFactory()

    by_official = api_client.get(LIST_URL, {"official": official.pk})
    by_addressee = api_client.get(LIST_URL, {"addressee": official.pk})

    assert result_ids(by_official) == {to_official.pk}
    assert result_ids(by_addressee) == {to_official.pk}


def test_department_filter_includes_its_officials(api_client):
    department = DepartmentFactory()
    to_department = MessageFactory(
        addressee_official=None,
        addressee_department=department,
        region=department.region,
    )
    official = OfficialFactory(region=department.region, department=department)
    to_its_official = MessageFactory(
        addressee_official=official, region=department.region
    )
    MessageFactory()

    response = api_client.get(LIST_URL, {"department": department.pk})

    assert result_ids(response) == {to_department.pk, to_its_official.pk}


def test_category_filter_by_id_or_slug(api_client):
    transport = Category.objects.get(slug="transport")
    about_transport = MessageFactory(category=transport)
    MessageFactory(category=Category.objects.get(slug="education"))

    by_id = api_client.get(LIST_URL, {"category": transport.pk})
    by_slug = api_client.get(LIST_URL, {"category": "transport"})

    assert result_ids(by_id) == {about_transport.pk}
    assert result_ids(by_slug) == {about_transport.pk}


def test_kind_and_status_filters(api_client):
    suggestion = MessageFactory(kind="suggestion")
    replied = MessageFactory(status=MessageStatus.REPLIED)

    assert result_ids(api_client.get(LIST_URL, {"kind": "suggestion"})) == {
        suggestion.pk
    }
    assert result_ids(api_client.get(LIST_URL, {"status": "replied"})) == {replied.pk}


def test_filters_combine(api_client, region_tree):
    province, city, _county, _elsewhere = region_tree
    match = MessageFactory(region=city, kind="help")
    MessageFactory(region=city, kind="inquiry")
    MessageFactory(kind="help")

    response = api_client.get(LIST_URL, {"region": province.pk, "kind": "help"})

    assert result_ids(response) == {match.pk}


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("region", "abc"),
        ("region", "999999"),
        ("region", "0"),
        ("region", "99999999999999999999999999"),
        ("official", "x"),
        ("official", "999999"),
        ("addressee", "1.5"),
        ("department", "999999"),
        ("category", "no-such-category"),
        ("category", "999999"),
        ("kind", "rant"),
        ("status", "pending"),
        ("status", "rejected"),
        ("status", "hidden"),
        ("status", "nonsense"),
        ("cursor", "not-a-cursor"),
    ],
)
def test_invalid_filter_is_400_naming_it(api_client, parameter, value):
    MessageFactory()

    response = api_client.get(LIST_URL, {parameter: value})

    assert response.status_code == 400
    assert parameter in response.json()


def test_official_and_addressee_disagreeing_is_400(api_client):
    first, second = OfficialFactory(), OfficialFactory()

    response = api_client.get(LIST_URL, {"official": first.pk, "addressee": second.pk})

    assert response.status_code == 400
    assert "addressee" in response.json()


def test_unknown_parameters_are_ignored(api_client):
    message = MessageFactory()

    assert result_ids(api_client.get(LIST_URL, {"colour": "blue"})) == {message.pk}


# --- Cursor pagination -------------------------------------------------------


@pytest.fixture
def many_messages():
    """45 messages, newest first; groups of three share a publication time."""
    author = UserFactory(citizen=True)
    official = OfficialFactory()
    start = timezone.now()
    messages = []
    for index in range(45):
        messages.append(
            MessageFactory(
                author=author,
                addressee_official=official,
                region=official.region,
                published_at=start - timedelta(minutes=index // 3),
            )
        )
    return messages


def walk(api_client, url, params=None):
    pages = []
    response = api_client.get(url, params)
    while True:
        assert response.status_code == 200
        data = response.json()
        pages.append([item["id"] for item in data["results"]])
        if data["next"] is None:
            return pages
        response = api_client.get(data["next"])


def test_cursor_pages_walk_everything_once_in_order(api_client, many_messages):
    pages = walk(api_client, LIST_URL)

    assert [len(page) for page in pages] == [20, 20, 5]
    walked = [pk for page in pages for pk in page]
    assert len(walked) == len(set(walked)) == 45
    expected = sorted(many_messages, key=lambda m: (m.published_at, m.pk), reverse=True)
    assert walked == [message.pk for message in expected]


def test_page_size_parameter(api_client, many_messages):
    pages = walk(api_client, LIST_URL, {"page_size": 7})

    assert [len(page) for page in pages] == [7] * 6 + [3]
    walked = [pk for page in pages for pk in page]
    assert len(set(walked)) == 45


def test_previous_link_goes_back(api_client, many_messages):
    first = api_client.get(LIST_URL).json()
    second = api_client.get(first["next"]).json()

    back = api_client.get(second["previous"]).json()

    assert [item["id"] for item in back["results"]] == [
        item["id"] for item in first["results"]
    ]


def test_page_size_is_capped_at_100(api_client):
    official = OfficialFactory()
    MessageFactory.create_batch(
        101, addressee_official=official, region=official.region
    )

    response = api_client.get(LIST_URL, {"page_size": 500})

    assert len(response.json()["results"]) == 100
    assert response.json()["next"] is not None


def test_default_page_size_is_20(api_client, many_messages):
    response = api_client.get(LIST_URL)

    assert len(response.json()["results"]) == 20
    assert response.json()["previous"] is None


def test_page_costs_the_same_queries_for_any_size(
    api_client, many_messages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = api_client.get(LIST_URL, {"page_size": 40})

    assert len(response.json()["results"]) == 40


# --- The rows' representation --------------------------------------------------


@pytest.mark.parametrize(
    ("search", "show_contact"), [("", False), ("路灯", False), ("", True)]
)
def test_rows_are_what_the_declared_fields_give(search, show_contact):
    """BoardMessageSerializer writes its fields out for speed: each row must
    be what DRF makes of the declared fields, whatever the row holds."""
    erased = UserFactory(citizen=True, display_name="王小明")
    erased.deleted_at = timezone.now()
    erased.save()
    messages = [
        MessageFactory(title="江州大道路灯", body="路灯不亮已有一周。"),
        MessageFactory(
            is_redacted=True,
            public_title="电话***",
            public_body="路灯坏了，电话***",
            public_body_html="<p>路灯坏了，电话***</p>",
        ),
        MessageFactory(author_shown_as=AuthorShownAs.ANONYMOUS),
        MessageFactory(author=erased),
        MessageFactory(
            addressee_official=None, addressee_department=DepartmentFactory()
        ),
        MessageFactory(status=MessageStatus.WITHDRAWN),  # never published
    ]
    serializer = BoardMessageSerializer(
        context={"search": search, "show_contact": show_contact}
    )

    rows = Message.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk")
    for message in rows:
        fast = serializer.to_representation(message)
        declared = serializer.declared_representation(message)
        assert fast == declared
        assert list(fast) == list(declared)  # the same order of keys
    assert declared["published"] is None
