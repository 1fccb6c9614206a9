"""The second factor (allauth.mfa TOTP): required of staff, asked at every
way in (the login form, the admin through it, the API token), and counted in
the same lockout as passwords."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from asgiref.sync import async_to_sync
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory
from tests.test_notification_socket import communicator, session_cookie

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
AUTHENTICATE_URL = "/accounts/2fa/authenticate/"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.ZHITONG_STAFF_SECOND_FACTOR = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    # Used TOTP codes and allauth's limits live in the cache.
    cache.clear()
    yield
    cache.clear()


def code_for(secret: str, offset_periods: int = 0) -> str:
    counter = int(time.time()) // 30 + offset_periods
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code_for(secret: str) -> str:
    valid = {code_for(secret, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def with_authenticator(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def token_post(login, password, otp=None, address="10.0.0.1"):
    body = {"username": login, "password": password}
    if otp is not None:
        body["otp"] = otp
    return APIClient().post(TOKEN_URL, body, format="json", REMOTE_ADDR=address)


# --- Staff without a second factor -----------------------------------------------


@pytest.mark.parametrize(
    "traits",
    [{"moderator": True}, {"official": True}, {"roles": ["handler"]}, {"admin": True}],
    ids=["moderator", "official", "department staff", "admin"],
)
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, traits):
    client.force_login(UserFactory(**traits))

    page = client.get("/notifications/")
    api = client.get("/api/v1/me/")

    assert page.status_code == 302
    assert page["Location"] == ACTIVATE_URL
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    # The set-up page (after confirming the password, for a session this
    # old) and signing out stay open.
    assert client.get(ACTIVATE_URL, follow=True).status_code == 200
    assert client.get("/accounts/logout/").status_code == 200


def test_the_set_up_pages_script_catalog_keeps_the_secret(client, moderator):
    """The set-up page loads the JavaScript catalog; sent to the set-up page
    in turn, that request drew a new secret behind the QR code shown."""
    client.force_login(moderator)
    client.get(ACTIVATE_URL, follow=True)
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    client.get(ACTIVATE_URL)
    shown = client.session["mfa.totp.secret"]

    catalog = client.get("/jsi18n/")

    assert catalog.status_code == 200
    assert catalog["Content-Type"].startswith("text/javascript")
    assert client.session["mfa.totp.secret"] == shown


def test_citizens_need_no_second_factor(client, citizen):
    client.force_login(citizen)

    assert client.get("/notifications/").status_code == 200
    assert token_post(citizen.username, TEST_PASSWORD).status_code == 200


def test_the_setting_off_lifts_the_requirement(client, settings, moderator):
    settings.ZHITONG_STAFF_SECOND_FACTOR = False
    client.force_login(moderator)

    assert client.get("/moderation/").status_code == 200


def test_staff_without_a_second_factor_get_no_api_token(moderator):
    response = token_post(moderator.username, TEST_PASSWORD)

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"
    assert not AuthToken.objects.filter(user=moderator).exists()


def test_a_token_from_before_the_role_is_refused(citizen):
    _instance, token = AuthToken.objects.create(user=citizen)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 200

    moderator = UserFactory(moderator=True)
    _instance, staff_token = AuthToken.objects.create(user=moderator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {staff_token}")
    response = api.get("/api/v1/me/")

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


@pytest.mark.django_db(transaction=True)
def test_the_notification_socket_is_closed_until_set_up():
    moderator = UserFactory(moderator=True)
    cookie = session_cookie(moderator)

    async def connect():
        socket = communicator(cookie=cookie)
        connected, code = await socket.connect()
        await socket.disconnect()
        return connected, code

    assert async_to_sync(connect)() == (False, 4403)
    with_authenticator(moderator)
    assert async_to_sync(connect)()[0] is True


# --- Setting it up, then signing in with it ---------------------------------------


def test_a_moderator_sets_up_an_authenticator_and_is_asked_for_it_next_time(client):
    moderator = UserFactory(moderator=True)
    response = client.post(
        LOGIN_URL, {"login": moderator.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/moderation/")["Location"] == ACTIVATE_URL

    # allauth asks for the password again before a change of this kind.
    reauthenticate = client.get(ACTIVATE_URL)["Location"]
    assert reauthenticate.startswith("/accounts/reauthenticate/")
    client.post(reauthenticate, {"password": TEST_PASSWORD})
    page = client.get(ACTIVATE_URL)
    secret = page.context["form"].secret
    response = client.post(ACTIVATE_URL, {"code": code_for(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=moderator, type="totp").exists()
    assert client.get("/moderation/").status_code == 200

    client.logout()
    response = client.post(
        LOGIN_URL, {"login": moderator.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == AUTHENTICATE_URL
    assert "_auth_user_id" not in client.session
    response = client.post(AUTHENTICATE_URL, {"code": code_for(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(moderator.pk)


def test_wrong_codes_on_the_login_form_count_in_the_lockout(client):
    official = UserFactory(official=True)
    secret = with_authenticator(official)
    client.post(
        LOGIN_URL,
        {"login": official.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    for _attempt in range(4):
        response = client.post(
            AUTHENTICATE_URL, {"code": wrong_code_for(secret)}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 200
    fifth = client.post(
        AUTHENTICATE_URL, {"code": wrong_code_for(secret)}, REMOTE_ADDR="10.0.0.1"
    )
    # The right code is refused too, and so is the password elsewhere.
    right = client.post(
        AUTHENTICATE_URL, {"code": code_for(secret)}, REMOTE_ADDR="10.0.0.1"
    )

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert (
        token_post(official.username, TEST_PASSWORD, code_for(secret)).status_code
        == 429
    )
    # From another address the account is not locked.
    other = token_post(
        official.username, TEST_PASSWORD, code_for(secret), address="10.0.0.2"
    )
    assert other.status_code == 200


# --- The API token ------------------------------------------------------------------


def test_the_token_endpoint_asks_for_the_code(moderator):
    secret = with_authenticator(moderator)

    missing = token_post(moderator.username, TEST_PASSWORD)
    wrong = token_post(moderator.username, TEST_PASSWORD, wrong_code_for(secret))
    right = token_post(moderator.username, TEST_PASSWORD, code_for(secret))
    replayed = token_post(moderator.username, TEST_PASSWORD, code_for(secret))

    assert missing.status_code == 400
    assert missing.json()["code"] == "required"
    assert "otp" in missing.json()
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid"
    assert "otp" in wrong.json()
    assert right.status_code == 200
    assert right.json()["token"]
    # A code works once.
    assert replayed.status_code == 400


def test_a_code_from_the_period_just_ended_still_works(moderator):
    # Typed as its 30 s ran out, or on a phone whose clock is a little slow.
    secret = with_authenticator(moderator)

    stale = token_post(moderator.username, TEST_PASSWORD, code_for(secret, -3))
    late = token_post(moderator.username, TEST_PASSWORD, code_for(secret, -1))

    assert stale.status_code == 400
    assert late.status_code == 200


def test_a_recovery_code_works_once_for_a_token(citizen):
    with_authenticator(citizen)
    recovery_code = RecoveryCodes.activate(citizen).get_unused_codes()[0]

    first = token_post(citizen.username, TEST_PASSWORD, recovery_code)
    second = token_post(citizen.username, TEST_PASSWORD, recovery_code)

    assert first.status_code == 200
    assert second.status_code == 400


def test_wrong_codes_on_the_token_endpoint_lock_the_account(moderator):
    secret = with_authenticator(moderator)
    for _attempt in range(5):
        token_post(moderator.username, TEST_PASSWORD, wrong_code_for(secret))

    response = token_post(moderator.username, TEST_PASSWORD, code_for(secret))

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "Retry-After" in response


def test_the_admin_asks_for_the_code_through_the_login_form(client):
    admin = UserFactory(admin=True, is_staff=True, is_superuser=True)
    secret = with_authenticator(admin)

    response = client.get("/admin/")
    login = client.get(response["Location"], follow=True)
    assert login.request["PATH_INFO"] == LOGIN_URL
    response = client.post(
        LOGIN_URL + "?next=/admin/",
        {"login": admin.username, "password": TEST_PASSWORD},
    )
    assert response["Location"] == AUTHENTICATE_URL
    assert client.get("/admin/").status_code == 302

    response = client.post(AUTHENTICATE_URL, {"code": code_for(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
