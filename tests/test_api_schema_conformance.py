"""The schema says what the API answers: field types as served, and the error
answers each operation really gives (board.api.common.ApiSchema)."""

import pytest

from board.lifecycle import MessageStatus
from board.models import MessageEvent
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def responses(schema, path, method) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


def test_message_event_note_is_text_and_actor_role_the_enum(schema):
    fields = schema["components"]["schemas"]["MessageEvent"]["properties"]

    assert fields["note"]["type"] == "string"
    assert "oneOf" not in fields["note"]
    assert any("ActorRoleEnum" in str(part) for part in fields["actor_role"]["oneOf"])


def test_a_public_event_note_matches_the_schema(api_client, schema):
    message = MessageFactory(status=MessageStatus.PUBLISHED)
    MessageEvent.objects.create(
        message=message, verb=MessageEvent.Verb.PUBLISHED, note="公开说明",
        note_is_public=True,
    )  # fmt: skip

    timeline = api_client.get(f"/api/v1/messages/{message.pk}/").json()["timeline"]

    assert [event["note"] for event in timeline] == ["公开说明"]


def test_first_approved_by_may_be_null(schema):
    for name, component in schema["components"]["schemas"].items():
        field = component.get("properties", {}).get("first_approved_by")
        if field is not None:
            assert field.get("nullable") is True, name


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/me/", "get", {"200", "401"}),
        ("/api/v1/messages/", "get", {"200", "400", "401"}),
        ("/api/v1/messages/{id}/", "get", {"200", "401", "404"}),
        ("/api/v1/notifications/read/", "post", {"200", "400", "401", "403", "415"}),
        ("/api/v1/messages/{id}/follow/", "post", {"400", "401", "403", "404"}),
        ("/api/v1/moderation/queue/", "get", {"400", "401", "403"}),
        ("/api/v1/moderation/replies/{id}/hide/", "post", {"400", "401", "403", "404"}),
        ("/api/v1/messages/{id}/withdraw/", "post", {"404", "409"}),
    ],
)
def test_error_answers_are_documented(schema, path, method, codes):
    assert codes <= responses(schema, path, method)


def test_the_token_endpoint_documents_no_401(schema):
    # No token is read there: a wrong password is a 400.
    assert "401" not in responses(schema, "/api/v1/auth/token/", "post")
