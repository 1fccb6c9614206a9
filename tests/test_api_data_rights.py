"""GET /api/v1/me/export/ and POST /api/v1/me/delete/: a citizen's data
rights in the API."""

import json

import pytest
from django.contrib.auth import SESSION_KEY

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb
from tests.factories import TEST_PASSWORD, MessageFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "/api/v1/me/export/"
DELETE_URL = "/api/v1/me/delete/"


def test_anonymous_gets_401(api_client):
    assert api_client.get(EXPORT_URL).status_code == 401
    assert api_client.post(DELETE_URL, {"password": "x"}).status_code == 401


def test_export_is_the_users_json(api_client, citizen, other_citizen):
    mine = MessageFactory(author=citizen)
    theirs = MessageFactory(author=other_citizen, is_public=False, title="Private")
    api_client.force_authenticate(citizen)

    response = api_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == citizen.username
    assert [m["reference"] for m in data["messages"]] == [mine.reference]
    assert theirs.reference not in response.content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_EXPORTED).count() == 1


def test_delete_needs_the_password(api_client, citizen):
    api_client.force_authenticate(citizen)

    missing = api_client.post(DELETE_URL, {}, format="json")
    wrong = api_client.post(DELETE_URL, {"password": "wrong"}, format="json")

    assert missing.status_code == 400
    assert "password" in missing.json()
    assert wrong.status_code == 400
    assert "password" in wrong.json()
    citizen.refresh_from_db()
    assert citizen.is_active is True


def test_bad_body_is_a_400_not_a_500(api_client, citizen):
    api_client.force_authenticate(citizen)

    response = api_client.post(
        DELETE_URL, data="[1, 2", content_type="application/json"
    )

    assert response.status_code == 400


def test_staff_account_is_403(api_client, moderator):
    api_client.force_authenticate(moderator)

    response = api_client.post(DELETE_URL, {"password": TEST_PASSWORD}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "staff_account"


def test_delete_with_a_session(client, citizen):
    pending = PendingMessageFactory(author=citizen)
    client.force_login(citizen)

    response = client.post(
        DELETE_URL,
        json.dumps({"password": TEST_PASSWORD}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"deleted": True}
    assert SESSION_KEY not in client.session
    pending.refresh_from_db()
    assert pending.status == MessageStatus.WITHDRAWN
    assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_DELETED).count() == 1
    assert client.get(EXPORT_URL).status_code in {401, 403}


def test_token_stops_working_after_deletion(api_client, citizen):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": citizen.username, "password": TEST_PASSWORD},
        format="json",
    )
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    deleted = api_client.post(DELETE_URL, {"password": TEST_PASSWORD}, format="json")

    assert deleted.status_code == 200
    assert api_client.get(EXPORT_URL).status_code == 401
