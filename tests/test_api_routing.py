"""GET /api/v1/routing/suggest/: the shape, top three, the reader's
language, the region filter and the 400s that name ``text``."""

import pytest

from board.models import Message
from tests.factories import DepartmentFactory, RegionFactory

# Each test has its own model directory (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("model_dir")]

URL = "/api/v1/routing/suggest/"
TEXT = "路灯坏了，公交站很黑，旁边学校的孩子放学很危险，医院也很远"


@pytest.fixture
def region():
    return RegionFactory(name="临江市", name_en="Linjiang")


@pytest.fixture
def transport(region):
    return DepartmentFactory(
        region=region,
        name="交通运输局",
        name_en="Transport Bureau",
        routing_keywords="路灯、公交",
    )


def test_anyone_gets_the_top_three_with_confidences(api_client, transport):
    response = api_client.get(URL, {"text": TEXT})

    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"categories", "departments"}
    assert len(data["categories"]) == 3
    assert [c["name"] for c in data["categories"]][:1] == ["交通出行"]
    assert data["departments"] == [
        {"id": transport.pk, "name": "临江市 交通运输局", "confidence": 0.667}
    ]
    confidences = [c["confidence"] for c in data["categories"]]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 < confidence <= 1 for confidence in confidences)
    assert {"id", "name", "confidence"} == set(data["categories"][0])


def test_names_are_in_the_readers_language(api_client, transport):
    response = api_client.get(URL, {"text": TEXT}, HTTP_ACCEPT_LANGUAGE="en")

    data = response.json()
    assert data["categories"][0]["name"] == "Transport"
    assert data["departments"][0]["name"] == "Linjiang Transport Bureau"


def test_a_region_keeps_the_departments_serving_it(api_client, transport, region):
    elsewhere = RegionFactory()
    DepartmentFactory(name="交通运输局", routing_keywords="路灯", region=elsewhere)
    county = RegionFactory(parent=region)

    everywhere = api_client.get(URL, {"text": TEXT}).json()
    in_county = api_client.get(URL, {"text": TEXT, "region": county.pk}).json()

    assert len(everywhere["departments"]) == 2
    assert [d["id"] for d in in_county["departments"]] == [transport.pk]


def test_nothing_found_is_an_empty_list(api_client, transport):
    response = api_client.get(URL, {"text": "你好"})

    assert response.status_code == 200
    assert response.json() == {"categories": [], "departments": []}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": "路" * (Message.TITLE_MAX_LENGTH + Message.BODY_MAX_LENGTH + 2)},
        {"text": "路灯\x00"},
    ],
    ids=["missing", "empty", "blank", "too-long", "null-character"],
)
def test_bad_text_is_a_400_naming_text(api_client, query):
    response = api_client.get(URL, query)

    assert response.status_code == 400
    assert list(response.json()) == ["text"]


@pytest.mark.parametrize("region", ["abc", "99999999", "-1"])
def test_a_bad_region_is_a_400_naming_region(api_client, region):
    response = api_client.get(URL, {"text": "路灯", "region": region})

    assert response.status_code == 400
    assert list(response.json()) == ["region"]


def test_the_schema_documents_the_operation(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/routing/suggest/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"text", "region"}
    assert {"200", "400", "429"} <= set(operation["responses"])
