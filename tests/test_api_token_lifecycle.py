"""API tokens (django-rest-knox): stored only as a hash, valid for
REST_KNOX["TOKEN_TTL"], revoked by the API's logout, logging out of the site,
a password change and deactivation; the admin never shows one."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from moderation.periodic import periodic_checks_run
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGOUT_URL = "/api/v1/auth/logout/"
ME_URL = "/api/v1/me/"


def obtain(user) -> dict:
    response = APIClient().post(
        TOKEN_URL,
        {"username": user.username, "password": TEST_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    return response.json()


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    status = with_token(token).get(ME_URL).status_code
    assert status in {200, 401}
    return status == 200


def test_token_is_hashed_at_rest(citizen):
    token = obtain(citizen)["token"]

    row = AuthToken.objects.get(user=citizen)
    stored = [str(value) for value in AuthToken.objects.values_list().get()]
    assert token not in stored
    assert all(token not in value for value in stored)
    assert row.digest != token
    assert len(token) >= 64


def test_token_has_an_expiry_from_the_setting(settings, citizen):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=2)}
    before = timezone.now()

    expiry = parse_datetime(obtain(citizen)["expiry"])

    assert before + timedelta(hours=2) <= expiry
    assert expiry <= timezone.now() + timedelta(hours=2)


def test_token_stops_working_when_it_expires(monkeypatch, citizen):
    token = obtain(citizen)["token"]
    assert works(token)
    later = AuthToken.objects.get(user=citizen).expiry + timedelta(seconds=1)

    monkeypatch.setattr("knox.auth.timezone.now", lambda: later)

    assert works(token) is False
    assert AuthToken.objects.filter(user=citizen).exists() is False


def test_logout_revokes_this_token_only(citizen):
    first = obtain(citizen)["token"]
    second = obtain(citizen)["token"]

    response = with_token(first).post(LOGOUT_URL)

    assert response.status_code == 204
    assert works(first) is False
    assert works(second) is True


def test_logout_without_a_token_is_401(api_client):
    assert api_client.post(LOGOUT_URL).status_code == 401


@pytest.mark.parametrize("update_fields", [None, ["password"]])
def test_password_change_revokes_every_token(citizen, update_fields):
    tokens = [obtain(citizen)["token"], obtain(citizen)["token"]]

    citizen.set_password("another-long-password-2")
    citizen.save(update_fields=update_fields)

    assert [works(token) for token in tokens] == [False, False]
    assert AuthToken.objects.filter(user=citizen).exists() is False


def test_deactivation_revokes_every_token(citizen):
    token = obtain(citizen)["token"]

    citizen.is_active = False
    citizen.save()

    assert AuthToken.objects.filter(user=citizen).exists() is False
    citizen.is_active = True
    citizen.save()
    assert works(token) is False


def test_a_sign_in_keeps_the_token_without_reading_the_account(
    citizen, django_assert_num_queries
):
    token = obtain(citizen)["token"]

    # update_last_login's save: the stored password is not read to compare.
    with django_assert_num_queries(1):
        citizen.save(update_fields=["last_login"])

    assert works(token) is True


def test_other_changes_keep_the_token(citizen):
    token = obtain(citizen)["token"]

    citizen.first_name = "Li"
    citizen.save()

    assert works(token) is True


def test_logging_out_of_the_site_revokes_the_accounts_tokens(client, citizen):
    token = obtain(citizen)["token"]
    client.force_login(citizen)

    client.post("/accounts/logout/")

    assert works(token) is False


def test_another_users_logout_keeps_the_token(client, citizen, other_citizen):
    token = obtain(citizen)["token"]
    client.force_login(other_citizen)

    client.post("/accounts/logout/")

    assert works(token) is True


def test_live_tokens_per_user_are_bounded(settings, citizen):
    settings.ZHITONG_API_TOKENS_PER_USER = 3
    tokens = [obtain(citizen)["token"] for _ in range(4)]

    assert AuthToken.objects.filter(user=citizen).count() == 3
    assert [works(token) for token in tokens] == [False, True, True, True]


def test_admin_never_shows_a_token(client, citizen):
    token = obtain(citizen)["token"]
    row = AuthToken.objects.get(user=citizen)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get("/admin/knox/authtoken/").content.decode()
    detail = client.get(f"/admin/knox/authtoken/{row.pk}/change/").content.decode()
    add = client.get("/admin/knox/authtoken/add/")

    assert citizen.username in listing
    for page in (listing, detail):
        assert token not in page
        assert token[:8] not in page
    assert add.status_code == 403


def test_drf_plaintext_tokens_are_gone(settings):
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert (
        "rest_framework.authentication.TokenAuthentication"
        not in (settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"])
    )


def test_periodic_checks_delete_expired_tokens(citizen):
    AuthToken.objects.create(user=citizen, expiry=timedelta(seconds=-1))
    live, _token = AuthToken.objects.create(user=citizen)

    figures, failed = periodic_checks_run()

    assert failed == []
    assert figures["expired_tokens"] == 1
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [live.pk]
