"""Emails come in the language the user chose on the site (or signed up in),
whatever language the worker or the acting user had active."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from board.actions import user_language_set
from board.models import Notification, NotificationKind, User
from board.realtime.presence import _presence_key
from board.tasks import send_daily_digests, send_notification_email
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = NotificationKind.MESSAGE_REPLIED


def english_label(kind) -> str:
    with translation.override("en"):
        return str(NotificationKind(kind).label)


@pytest.fixture
def reader(db):
    user = UserFactory(citizen=True, language="en")
    cache.delete(_presence_key(user.pk))  # not connected: email goes out
    return user


def test_the_email_comes_in_the_users_language(reader, mailoutbox):
    message = MessageFactory(author=reader, title="小区门口路灯坏了")
    notification = Notification.objects.create(
        recipient=reader, kind=KIND, message=message
    )
    with translation.override("zh-hans"):  # the worker's language
        send_notification_email(notification.pk)
    [email] = mailoutbox
    assert email.subject == english_label(KIND)
    assert "Read it here:" in email.body
    assert "小区门口路灯坏了" in email.body  # the message itself is not translated


def test_the_digest_comes_in_the_users_language(reader, mailoutbox):
    for _n in range(2):
        Notification.objects.create(
            recipient=reader, kind=KIND, message=MessageFactory(author=reader)
        )
    assert send_daily_digests() == 1
    [email] = mailoutbox
    assert email.subject == "Your Zhitong notifications of the day"


def test_switching_language_remembers_it_for_a_signed_in_user(client):
    user = UserFactory(citizen=True)
    client.force_login(user)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/my/messages/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/my/messages/"
    user.refresh_from_db()
    assert user.language == "en"
    assert client.get("/").content.decode().count("Message board") >= 1


def test_switching_language_anonymously_stores_nothing_and_still_works(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Message board" in client.get("/").content.decode()


def test_an_unknown_language_changes_nothing():
    user = UserFactory(citizen=True, language="zh-hans")
    assert user_language_set(user=user, language="xx") is False
    user.refresh_from_db()
    assert user.language == "zh-hans"


def test_signup_remembers_the_language_of_the_page(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "username": "newcomer",
            "password1": "Zt-test-Passw0rd!",
            "password2": "Zt-test-Passw0rd!",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert User.objects.get(username="newcomer").language == "en"
