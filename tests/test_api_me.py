"""GET /api/v1/me/: who the API sees."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/me/"


def test_anonymous_is_401_with_challenge(api_client):
    response = api_client.get(ME_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_citizen(api_client, citizen):
    api_client.force_authenticate(citizen)

    response = api_client.get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "username": citizen.username,
        "roles": ["citizen"],
        "official_id": None,
    }


def test_moderator(api_client, moderator):
    api_client.force_authenticate(moderator)

    data = api_client.get(ME_URL).json()

    assert data["roles"] == ["moderator"]
    assert data["official_id"] is None


def test_official(api_client, official_user):
    api_client.force_authenticate(official_user)

    data = api_client.get(ME_URL).json()

    assert data["roles"] == ["official"]
    assert data["official_id"] == official_user.official.pk


def test_admin_with_several_roles(api_client):
    user = UserFactory(roles=["moderator", "admin"])
    api_client.force_authenticate(user)

    data = api_client.get(ME_URL).json()

    assert data["roles"] == ["moderator", "admin"]


def test_user_without_roles(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)

    data = api_client.get(ME_URL).json()

    assert data == {"username": user.username, "roles": [], "official_id": None}
