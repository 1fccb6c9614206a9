"""Language everywhere and links that open: replies under the office's name in
the reader's language, and every e-mail (allauth's and the notifications)
wholly in its reader's language, with links on the address being served."""

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from board.actions import notify, reply_create
from board.lifecycle import MessageStatus
from board.models import NotificationKind
from board.realtime.presence import _presence_key
from board.tasks import send_daily_digests
from config.settings.links import link_protocol
from moderation.management.commands.seed_demo import Command as SeedDemo
from tests.factories import (
    MessageFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
SERVED = "http://127.0.0.1:8150"
CJK = re.compile(r"[\u4e00-\u9fff]")


def in_chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


# --- Replies: under the office's name, in the reader's language ---


@pytest.fixture
def departmental(handling_department, department_official):
    return RoutedMessageFactory(
        region=handling_department.region,
        addressee_official=None,
        addressee_department=handling_department,
        status=MessageStatus.ACCEPTED,
    )


def test_a_reply_is_published_under_the_office_not_the_person(
    departmental, department_official, handling_department
):
    reply = reply_create(
        message=departmental,
        actor=department_official.user,
        body="已修复。",
        final=False,
    )

    reply.refresh_from_db()
    region = handling_department.region
    assert reply.office == f"{region.name} {handling_department.name}"
    assert reply.office_en == f"{region.name_en} {handling_department.name_en}"
    assert department_official.name not in reply.office + reply.office_en


def test_an_official_without_a_department_replies_as_their_post(official):
    message = RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED
    )

    reply = reply_create(
        message=message, actor=official.user, body="收到。", final=False
    )

    assert (reply.office, reply.office_en) == (official.title, official.title_en)


def test_the_reply_office_follows_the_reader_language(
    client, departmental, department_official, handling_department
):
    reply = reply_create(
        message=departmental,
        actor=department_official.user,
        body="已修复。",
        final=False,
    )
    url = departmental.get_absolute_url()

    english = client.get(url, **ENGLISH).content.decode()
    chinese = client.get(url, **CHINESE).content.decode()

    assert f'id="reply-{reply.pk}-office">{reply.office_en}</strong>' in english
    assert f'id="reply-{reply.pk}-office">{reply.office}</strong>' in chinese
    assert handling_department.name_en not in chinese


def test_the_migration_rewrites_existing_replies_to_the_office(
    departmental, department_official, handling_department
):
    reply = ReplyFactory(
        message=departmental,
        author=department_official.user,
        office=str(department_official),
        office_en="",
    )
    migration = importlib.import_module("board.migrations.0022_reply_office_language")

    migration.offices_in_both_languages(django_apps, None)

    reply.refresh_from_db()
    region = handling_department.region
    assert reply.office == f"{region.name} {handling_department.name}"
    assert reply.office_en == f"{region.name_en} {handling_department.name_en}"


# --- allauth's e-mails: links that open, one language ---


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts sign-ups and resets per address in the cache."""
    cache.clear()


def sign_up(client, headers):
    return client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "Vx7-qLp2-Zr-9kTw",
            "password2": "Vx7-qLp2-Zr-9kTw",
        },
        **headers,
    )


@pytest.mark.parametrize(
    ("site_url", "is_set", "debug", "expected"),
    [
        (SERVED, True, False, "http"),
        ("https://zhitong.example.gov.cn", True, True, "https"),
        ("http://127.0.0.1:8000", False, False, "https"),
        ("http://127.0.0.1:8000", False, True, "http"),
    ],
)
def test_link_protocol_follows_site_url(site_url, is_set, debug, expected):
    assert (
        link_protocol(site_url_is_set=is_set, site_url=site_url, debug=debug)
        == expected
    )


def test_the_verification_link_opens_on_the_served_address(
    client, settings, mailoutbox
):
    # `make run`: SITE_URL is what it serves, plain HTTP, even without DEBUG.
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = link_protocol(
        site_url_is_set=True, site_url=SERVED, debug=False
    )

    sign_up(client, {**ENGLISH, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8150"})

    [email] = mailoutbox
    [link] = re.findall(r"https?://\S+", email.body)
    assert link.startswith(f"{SERVED}/accounts/confirm-email/")


def test_the_verification_email_is_wholly_in_chinese(client, mailoutbox):
    sign_up(client, CHINESE)

    [email] = mailoutbox
    assert email.subject == in_chinese("Zhitong: confirm your e-mail address")
    assert email.body.startswith(in_chinese("Hello %(name)s,") % {"name": "newcomer"})
    # allauth's own greeting mixed the languages ("来自…的 Hello!").
    assert "Hello" not in email.body
    assert "testserver" not in email.subject + email.body.split("http")[0]
    assert in_chinese("To confirm the address, open this link:") in email.body


def test_the_verification_email_is_wholly_in_english(client, mailoutbox):
    sign_up(client, ENGLISH)

    [email] = mailoutbox
    assert email.subject == "Zhitong: confirm your e-mail address"
    assert email.body.startswith("Hello newcomer,")
    assert not CJK.search(email.subject + email.body)


def test_the_password_reset_email_is_in_the_reader_language(client, mailoutbox):
    UserFactory(username="forgetful", email="forgetful@example.org")

    client.post(
        "/accounts/password/reset/", {"email": "forgetful@example.org"}, **ENGLISH
    )

    [email] = mailoutbox
    assert email.subject == "Zhitong: choose a new password"
    assert email.body.startswith("Hello ")
    assert re.search(r"https?://testserver/accounts/password/reset/key/", email.body)
    assert not CJK.search(email.subject + email.body)


# --- Notification e-mails: the served address, the reader's language ---


@pytest.fixture
def away_in_english(db):
    user = UserFactory(citizen=True, language="en")
    cache.delete(_presence_key(user.pk))
    return user


def test_notification_links_open_on_site_url(
    settings, away_in_english, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SERVED
    message = MessageFactory(author=away_in_english)

    with django_capture_on_commit_callbacks(execute=True):
        from_board_notify(away_in_english, message)

    [email] = mailoutbox
    assert f"{SERVED}{message.get_absolute_url()}" in email.body
    assert f"{SERVED}{reverse('board:notification_settings')}" in email.body
    assert email.body.startswith(f"Hello {away_in_english},")
    assert not CJK.search(email.subject)


def test_the_digest_links_every_notification(
    settings, away_in_english, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SERVED
    settings.ZHITONG_EMAILS_PER_HOUR = 0  # every email waits for the digest
    message = MessageFactory(author=away_in_english)
    with django_capture_on_commit_callbacks(execute=True):
        from_board_notify(away_in_english, message)

    send_daily_digests()

    [digest] = mailoutbox
    assert f"{SERVED}{message.get_absolute_url()}" in digest.body
    assert f"{SERVED}{reverse('board:notification_settings')}" in digest.body


def from_board_notify(user, message):
    return notify(
        recipient=user, kind=NotificationKind.MESSAGE_REPLIED, message=message
    )


# --- The demo's printed logins ---


def test_seed_demo_prints_the_served_address(settings):
    settings.SITE_URL = SERVED
    out = io.StringIO()
    command = SeedDemo(stdout=out)

    command.print_logins("pw", is_generated=False)

    assert f"Board: {SERVED}/" in out.getvalue()
    assert f"also {SERVED}/admin/" in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()


# --- The language: the browser's first, then the reader's choice ---


def test_the_language_follows_the_browser_then_the_choice(client):
    first = client.get("/", **ENGLISH)
    assert first.headers["Content-Language"] == "en"

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, **ENGLISH)
    after = client.get("/", **ENGLISH)

    assert after.headers["Content-Language"] == "zh-hans"
