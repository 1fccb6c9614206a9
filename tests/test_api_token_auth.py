"""POST /api/v1/auth/token/: a token for a username and password."""

import pytest
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, MessageFactory, OfficialFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_for_good_credentials(api_client, citizen):
    response = api_client.post(
        TOKEN_URL, {"username": citizen.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=citizen)
    assert stored.digest == hash_token(data["token"])


def test_token_authenticates_later_requests(api_client, citizen):
    token = api_client.post(
        TOKEN_URL,
        {"username": citizen.username, "password": TEST_PASSWORD},
        format="json",
    ).json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == citizen.username


def test_each_call_gives_a_new_token_and_both_work(api_client, citizen):
    """Only a hash is stored, so an issued token cannot be handed out again."""
    credentials = {"username": citizen.username, "password": TEST_PASSWORD}

    first = api_client.post(TOKEN_URL, credentials).json()["token"]
    second = api_client.post(TOKEN_URL, credentials).json()["token"]

    assert first != second
    for token in (first, second):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/me/").status_code == 200


def test_wrong_password_is_400_without_token(api_client, citizen):
    response = api_client.post(
        TOKEN_URL, {"username": citizen.username, "password": "wrong"}
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert "token" not in response.json()
    assert AuthToken.objects.filter(user=citizen).exists() is False


def test_missing_username_names_the_field(api_client):
    response = api_client.post(TOKEN_URL, {"password": TEST_PASSWORD})

    assert response.status_code == 400
    assert "username" in response.json()


def test_missing_password_names_the_field(api_client, citizen):
    response = api_client.post(TOKEN_URL, {"username": citizen.username})

    assert response.status_code == 400
    assert "password" in response.json()


def test_inactive_user_gets_no_token(api_client, citizen):
    citizen.is_active = False
    citizen.save()

    response = api_client.post(
        TOKEN_URL, {"username": citizen.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 400


def test_unknown_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401


def test_session_write_needs_csrf_token(citizen):
    """Browsers use the session, which a cross-site form must not borrow."""
    official = OfficialFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(citizen)
    payload = {
        "addressee_official": official.pk,
        "region": official.region_id,
        "category": "transport",
        "kind": "inquiry",
        "title": "公交线路",
        "body": "请问 12 路公交何时恢复？",
    }

    refused = client.post("/api/v1/messages/", payload, format="json")

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    # The site's pages set this cookie; any 32 letters make a valid secret.
    token = "abcdefghijklmnopqrstuvwxyzABCDEF"
    client.cookies["csrftoken"] = token
    accepted = client.post(
        "/api/v1/messages/", payload, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_session_reads_need_no_csrf_token(citizen):
    message = MessageFactory(author=citizen, is_public=False)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = client.get(f"/api/v1/messages/{message.pk}/")

    assert response.status_code == 200
