"""One lockout for every way in (django-axes): allauth's login form (the
admin's login goes through it) and POST /api/v1/auth/token/ count failures
together, per
account and client address, and refuse even the right password until the
cool-off has passed."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.db.models import F
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/admin/login/"


@pytest.fixture(autouse=True)
def _lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    # allauth's limits count in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def token_post(client, login, password, address="10.0.0.1"):
    return client.post(
        TOKEN_URL,
        {"username": login, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def form_login(client, login, password, address="10.0.0.1"):
    return client.post(
        LOGIN_URL, {"login": login, "password": password}, REMOTE_ADDR=address
    )


def test_thirty_wrong_passwords_then_the_right_one_is_still_locked(citizen):
    client = APIClient()
    for _attempt in range(30):
        assert token_post(client, citizen.username, "wrong").status_code in {400, 429}

    response = token_post(client, citizen.username, TEST_PASSWORD)

    assert response.status_code == 429
    data = response.json()
    assert data["code"] == "locked_out"
    assert "token" not in data
    assert data["detail"]
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def test_the_lockout_starts_at_the_failure_limit(citizen):
    client = APIClient()
    for _attempt in range(4):
        assert token_post(client, citizen.username, "wrong").status_code == 400

    assert token_post(client, citizen.username, "wrong").status_code == 429
    assert token_post(client, citizen.username, TEST_PASSWORD).status_code == 429


def test_failures_on_the_login_form_lock_the_token_endpoint(client, citizen):
    """Typed as the email address on the form, as the username in the API:
    one account, one count."""
    for _attempt in range(5):
        form_login(client, citizen.email.upper(), "wrong")

    response = token_post(APIClient(), citizen.username, TEST_PASSWORD)

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_failures_on_the_token_endpoint_lock_the_login_form(client, citizen):
    api = APIClient()
    for _attempt in range(5):
        token_post(api, citizen.username, "wrong")

    response = form_login(client, citizen.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "account/lockout.html" in [t.name for t in response.templates]
    assert int(response["Retry-After"]) > 0


def test_lockout_page_is_in_the_visitors_language(client, citizen):
    for _attempt in range(5):
        form_login(client, citizen.username, "wrong")

    chinese = form_login(client, citizen.username, TEST_PASSWORD)
    english = client.post(
        LOGIN_URL,
        {"login": citizen.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert chinese.status_code == english.status_code == 429
    assert '<html lang="zh-hans">' in chinese.content.decode()
    assert '<html lang="en">' in english.content.decode()


def test_admin_login_goes_through_the_sites_login_form(client):
    """The admin's own form would skip the second factor: it sends every
    sign-in to allauth's form, and never reads a password itself."""
    admin = UserFactory(is_staff=True, is_superuser=True)

    response = client.post(
        ADMIN_LOGIN_URL,
        {"username": admin.username, "password": TEST_PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_is_locked_like_every_other(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _attempt in range(5):
        form_login(client, admin.username, "wrong")

    response = client.post(
        LOGIN_URL + "?next=/admin/",
        {"login": admin.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert token_post(APIClient(), admin.username, TEST_PASSWORD).status_code == 429


def test_another_address_is_not_locked(citizen):
    """Keyed on account and address together: a stranger elsewhere cannot
    lock a citizen out."""
    client = APIClient()
    for _attempt in range(5):
        token_post(client, citizen.username, "wrong", address="10.0.0.1")

    response = token_post(client, citizen.username, TEST_PASSWORD, address="10.0.0.2")

    assert response.status_code == 200
    assert "token" in response.json()


def test_the_lock_ends_after_the_cool_off(citizen):
    client = APIClient()
    for _attempt in range(5):
        token_post(client, citizen.username, "wrong")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    assert token_post(client, citizen.username, TEST_PASSWORD).status_code == 200


def test_axes_alone_counts_form_failures(client, settings, citizen):
    """allauth's own failed-login limit (5 in 5 minutes by default) is off:
    below django-axes' limit the right password logs in."""
    settings.AXES_FAILURE_LIMIT = 8
    for _attempt in range(7):
        assert form_login(client, citizen.username, "wrong").status_code == 200

    response = form_login(client, citizen.username, TEST_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)
