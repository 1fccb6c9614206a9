"""Staff (moderators, officials, department staff, admins) are signed out
after ZHITONG_STAFF_IDLE_MINUTES without a request; citizens keep their long
session. The last request's time is in the session; the tests move it back."""

import time

import pytest

from board.middleware import LAST_ACTIVITY_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"


def idle_for(client, minutes: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - minutes * 60
    session.save()


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "user_traits",
    [{"moderator": True}, {"official": True}, {"is_staff": True}],
    ids=["moderator", "official", "admin-site staff"],
)
def test_idle_staff_are_signed_out(client, settings, user_traits):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 30
    client.force_login(UserFactory(**user_traits))
    assert client.get(PAGE).status_code == 200
    assert LAST_ACTIVITY_KEY in client.session
    idle_for(client, 31)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert is_signed_in(client) is False


def test_active_staff_stay_signed_in(client, settings, moderator):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 30
    client.force_login(moderator)
    client.get(PAGE)
    idle_for(client, 29)
    assert client.get(PAGE).status_code == 200
    assert is_signed_in(client) is True


def test_the_limit_comes_from_the_setting(client, settings, moderator):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 5
    client.force_login(moderator)
    client.get(PAGE)
    idle_for(client, 6)
    assert client.get(PAGE).status_code == 302
    assert is_signed_in(client) is False


def test_citizens_keep_their_session(client, settings, citizen):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 30
    client.force_login(citizen)
    client.get(PAGE)
    idle_for(client, 24 * 60)
    assert client.get(PAGE).status_code == 200
    assert is_signed_in(client) is True
