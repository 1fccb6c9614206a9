"""The database unreachable: every request, page or API, answers a fast 503
with Retry-After (board.api.common.database_unavailable), not a 500."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from knox.models import AuthToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RETRY_AFTER = "10"


def database_down(*_args):
    # What Django raises when psycopg cannot connect or the pool times out.
    raise OperationalError("connection failed: Connection refused")


def failing_client(**defaults) -> Client:
    """A test client that answers as the server would (Django's handler500)
    rather than raising the view's exception into the test."""
    return Client(raise_request_exception=False, **defaults)


@pytest.mark.parametrize(
    ("language", "lang_attribute"), [("en", "en"), ("zh-hans", "zh-hans")]
)
def test_page_is_a_503_in_the_visitors_language(language, lang_attribute):
    client = failing_client(headers={"accept-language": language})
    with connection.execute_wrapper(database_down):
        response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'<html lang="{lang_attribute}">' in page
    if language == "en":
        assert "cannot reach its database" in page


def test_signed_in_visitor_gets_the_page_when_the_session_cannot_load(citizen):
    # The session is read by a middleware, before any view runs.
    client = failing_client()
    client.force_login(citizen)
    with connection.execute_wrapper(database_down):
        response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert "<h1>" in response.content.decode()


def test_api_answers_json_503():
    with connection.execute_wrapper(database_down):
        response = failing_client(headers={"accept-language": "en"}).get(
            "/api/v1/messages/"
        )

    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert response.json() == {
        "detail": "The service is briefly unavailable. Try again in a few seconds.",
        "code": "service_unavailable",
    }


def test_api_write_with_token_answers_json_503():
    _instance, token = AuthToken.objects.create(user=UserFactory(citizen=True))
    client = failing_client(headers={"authorization": f"Token {token}"})
    with connection.execute_wrapper(database_down):
        response = client.post(
            "/api/v1/messages/", {"title": "x"}, content_type="application/json"
        )

    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert response.json()["code"] == "service_unavailable"


def test_other_errors_stay_500():
    def broken(*_args):
        raise RuntimeError("a bug, not an outage")

    with connection.execute_wrapper(broken):
        response = failing_client().get("/api/v1/messages/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert response.json()["code"] == "server_error"


def test_psycopg_s_own_error_from_a_closing_cursor_is_a_503_too():
    """Closing a server-side cursor (a choice field's iterator) as the server
    goes raises psycopg's error, not Django's: seen as a 500 in the database
    restart fault test."""
    import psycopg

    def server_gone(*_args):
        raise psycopg.OperationalError("consuming input failed: server closed")

    client = failing_client()
    with connection.execute_wrapper(server_gone):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
