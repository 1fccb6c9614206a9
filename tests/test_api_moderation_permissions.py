"""Every moderation endpoint: 401 anonymous, 403 citizens and officials, 404 ids."""

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, ModeratorNote
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE_ENDPOINTS = [
    ("post", "claim"),
    ("post", "release"),
    ("post", "approve"),
    ("post", "reject"),
    ("post", "request-changes"),
    ("post", "redact"),
    ("post", "duplicate"),
    ("post", "hide"),
    ("post", "restore"),
    ("get", "notes"),
    ("post", "notes"),
    ("post", "resolve-reports"),
]
ENDPOINTS = [
    ("get", "/api/v1/moderation/queue/"),
    ("post", "/api/v1/moderation/bulk/"),
    *[
        (method, f"/api/v1/moderation/messages/{{id}}/{name}/")
        for method, name in MESSAGE_ENDPOINTS
    ],
]


@pytest.fixture
def message():
    return MessageFactory(
        status=MessageStatus.PENDING, submitted_for_review_at=timezone.now()
    )


def call(api_client, user, method, url, message_id):
    if user is not None:
        api_client.force_authenticate(user)
    url = url.format(id=message_id)
    if method == "get":
        return api_client.get(url)
    # A body that would pass every endpoint's input checks, so that only the
    # caller decides the outcome.
    data = {
        "ids": [message_id],
        "decision": "approve",
        "reason": "abusive",
        "note": "note",
        "body": "note",
        "of": message_id,
        "resolution": "keep",
    }
    return api_client.post(url, data, format="json")


def assert_untouched(message):
    status = message.status
    message.refresh_from_db()
    assert message.status == status
    assert message.claimed_by_id is None
    assert AuditEvent.objects.count() == 0
    assert ModeratorNote.objects.count() == 0


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_is_401(api_client, message, method, url):
    response = call(api_client, None, method, url, message.pk)

    assert response.status_code == 401, response.content
    assert response.json()["detail"]
    assert_untouched(message)


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_citizen_is_403(api_client, citizen, message, method, url):
    response = call(api_client, citizen, method, url, message.pk)

    assert response.status_code == 403, response.content
    assert response.json()["detail"]
    assert_untouched(message)


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_official_is_403(api_client, official_user, message, method, url):
    response = call(api_client, official_user, method, url, message.pk)

    assert response.status_code == 403, response.content
    assert_untouched(message)


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_author_of_the_message_is_403(api_client, message, method, url):
    response = call(api_client, message.author, method, url, message.pk)

    assert response.status_code == 403
    assert_untouched(message)


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_citizen_is_403_even_for_an_unknown_id(api_client, citizen, method, url):
    """Refused before the lookup: a citizen cannot probe which ids exist."""
    response = call(api_client, citizen, method, url, 999999)

    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name"), MESSAGE_ENDPOINTS)
@pytest.mark.parametrize("message_id", [999999, 10**30])
def test_unknown_message_is_404(api_client, moderator, method, name, message_id):
    url = f"/api/v1/moderation/messages/{message_id}/{name}/"

    response = call(api_client, moderator, method, url, message_id)

    assert response.status_code == 404
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("name", ["abc", "-1", "1.5"])
def test_non_numeric_id_is_404(api_client, moderator, name):
    api_client.force_authenticate(moderator)

    response = api_client.post(f"/api/v1/moderation/messages/{name}/claim/")

    assert response.status_code == 404


def test_admin_is_a_moderator(api_client, message):
    api_client.force_authenticate(UserFactory(admin=True))

    assert api_client.get("/api/v1/moderation/queue/").status_code == 200


def test_token_authentication(api_client, moderator):
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=moderator)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api_client.get("/api/v1/moderation/queue/").status_code == 200


def test_session_post_without_csrf_token_is_refused(moderator, message):
    """A browser session cannot be ridden by another site's form."""
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(moderator)

    response = csrf_client.post(f"/api/v1/moderation/messages/{message.pk}/claim/")

    assert response.status_code == 403
    assert_untouched(message)
