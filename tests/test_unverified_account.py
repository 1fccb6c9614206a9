"""An account whose email address is not verified can do nothing but verify
it: no API token, no 同问, no report, no socket ticket, through the API or
the pages. Reading stays open."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from board.models import MessageFollow
from moderation.models import Report
from tests.factories import TEST_PASSWORD, MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(db):
    return UserFactory(citizen=True, email_verified=False)


@pytest.fixture
def message(db):
    return MessageFactory()


@pytest.fixture
def api(unverified):
    client = APIClient()
    client.force_authenticate(unverified)
    return client


def assert_refused_as_unverified(response):
    assert response.status_code == 403
    data = response.json()
    assert data["code"] == "email_unverified"
    assert "verify" in data["detail"].lower() or "验证" in data["detail"]


def test_token_is_refused(unverified):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": unverified.username, "password": TEST_PASSWORD},
        format="json",
    )

    assert_refused_as_unverified(response)
    assert "token" not in response.json()
    assert AuthToken.objects.filter(user=unverified).exists() is False


def test_follow_is_refused(api, unverified, message):
    response = api.post(f"/api/v1/messages/{message.pk}/follow/")

    assert_refused_as_unverified(response)
    assert MessageFollow.objects.filter(user=unverified).exists() is False
    message.refresh_from_db()
    assert message.support_count == 0


def test_report_is_refused(api, unverified, message):
    response = api.post(
        f"/api/v1/messages/{message.pk}/report/",
        {"reason": "含有他人手机号"},
        format="json",
    )

    assert_refused_as_unverified(response)
    assert Report.objects.exists() is False


def test_realtime_ticket_is_refused(api):
    response = api.post("/api/v1/realtime/ticket/")

    assert_refused_as_unverified(response)


def test_notifications_read_marking_is_refused(api):
    response = api.post("/api/v1/notifications/read/", {"all": True}, format="json")

    assert_refused_as_unverified(response)


def test_reading_stays_open(api, message):
    assert api.get("/api/v1/messages/").status_code == 200
    assert api.get(f"/api/v1/messages/{message.pk}/").status_code == 200
    assert api.get("/api/v1/me/").status_code == 200


def test_a_verified_account_follows(message):
    client = APIClient()
    client.force_authenticate(UserFactory(citizen=True))

    assert client.post(f"/api/v1/messages/{message.pk}/follow/").status_code in {
        200,
        201,
    }


def test_follow_page_is_refused(client, unverified, message):
    client.force_login(unverified)

    client.post(f"/messages/{message.pk}/follow/")

    assert MessageFollow.objects.filter(user=unverified).exists() is False


def test_report_page_is_refused(client, unverified, message):
    client.force_login(unverified)

    response = client.post(
        f"/messages/{message.pk}/report/", {"reason": "含有他人手机号"}
    )

    assert response.status_code == 403
    assert Report.objects.exists() is False
