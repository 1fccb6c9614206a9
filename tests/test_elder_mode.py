"""长辈模式 (elder mode): the header's switch sets a cookie for everyone and
the account's setting for a signed-in user; anonymous pages stay one cached
copy for every reader whatever the cookie says."""

import pytest
from django.test import Client

from board.actions.users import user_elder_mode_set
from board.views.preferences import ELDER_MODE_COOKIE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/preferences/elder-mode/"


def test_an_anonymous_switch_sets_the_cookie_and_goes_back():
    client = Client(enforce_csrf_checks=True)

    # No CSRF token: the form on cached anonymous pages has none.
    response = client.post(URL, {"mode": "on", "next": "/?q=路灯"})

    assert response.status_code == 302
    assert response["Location"] == "/?q=%E8%B7%AF%E7%81%AF"
    cookie = response.cookies[ELDER_MODE_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    # The script in <head> reads it before paint.
    assert not cookie["httponly"]


def test_without_a_choice_the_switch_toggles_the_cookie():
    client = Client()

    assert client.post(URL).cookies[ELDER_MODE_COOKIE].value == "1"
    assert client.post(URL).cookies[ELDER_MODE_COOKIE].value == "0"
    assert client.post(URL).cookies[ELDER_MODE_COOKIE].value == "1"


def test_a_signed_in_users_choice_is_remembered_for_the_account():
    user = UserFactory(citizen=True)
    client = Client()
    client.force_login(user)

    response = client.post(URL, {"mode": "on", "next": "/me/messages/"})

    assert response.status_code == 302
    assert response["Location"] == "/me/messages/"
    assert response.cookies[ELDER_MODE_COOKIE].value == "1"
    user.refresh_from_db()
    assert user.elder_mode is True

    # Toggling follows the account, not a stale cookie of this browser.
    client.cookies[ELDER_MODE_COOKIE] = "1"
    client.post(URL)
    user.refresh_from_db()
    assert user.elder_mode is False


def test_a_signed_in_users_switch_is_csrf_checked():
    user = UserFactory(citizen=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(URL, {"mode": "on"})

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.elder_mode is False


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", ""]
)
def test_only_a_page_of_this_site_is_gone_back_to(target):
    response = Client().post(URL, {"mode": "on", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_get_is_not_allowed_and_a_bad_mode_is_refused():
    client = Client()

    assert client.get(URL).status_code == 405
    response = client.post(URL, {"mode": "huge"})
    assert response.status_code == 400
    assert ELDER_MODE_COOKIE not in response.cookies


def test_the_action_answers_whether_it_changed():
    user = UserFactory()

    assert user_elder_mode_set(user=user, is_on=True) is True
    assert user_elder_mode_set(user=user, is_on=True) is False
    user.refresh_from_db()
    assert user.elder_mode is True


def test_a_signed_in_users_page_carries_the_accounts_setting():
    user = UserFactory(citizen=True, elder_mode=True)
    client = Client()
    client.force_login(user)

    html = client.get("/").content.decode()

    assert '<html lang="zh-hans" data-elder-account="on" class="elder">' in html
    assert 'action="/preferences/elder-mode/"' in html


def test_anonymous_pages_do_not_vary_on_the_cookie(page_cache_on):
    plain = Client().get("/")
    elder = Client()
    elder.cookies[ELDER_MODE_COOKIE] = "1"
    with_cookie = elder.get("/")

    # One stored copy for both; the class comes from the script in <head>.
    assert plain["X-Page-Cache"] == "miss"
    assert with_cookie["X-Page-Cache"] == "hit"
    assert with_cookie.content == plain.content
    html = plain.content.decode()
    assert "data-elder-account" not in html
    assert "js/elder-mode.js" in html
    assert "csrfmiddlewaretoken" not in html


def test_a_signed_in_users_pages_are_not_cached(page_cache_on):
    user = UserFactory(citizen=True)
    client = Client()
    client.force_login(user)

    first = client.get("/")
    user_elder_mode_set(user=user, is_on=True)
    second = client.get("/")

    assert "X-Page-Cache" not in second
    assert 'data-elder-account="off"' in first.content.decode()
    assert 'data-elder-account="on" class="elder"' in second.content.decode()
