"""Hostile ids on the HTML pages: a form field, a path or a cursor that no
row can match is ignored or a 404, never a 500. One bounded parser
(board.ids) reads them all."""

import base64

import pytest
from django.urls import reverse

from board.ids import MAX_ID, parse_after, parse_id, parse_ids
from board.lifecycle import MessageStatus
from board.models import Notification, NotificationKind
from tests.factories import MessageFactory, OfficialFactory
from tests.test_pages import compose_data

pytestmark = pytest.mark.django_db

HUGE = str(2**70)


# --- The parser ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (7, 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (2**70, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1.5", None),
        ("³", None),
        ("١٢", None),
        ("1" * 5000, None),
        (True, None),
        (1.0, None),
        (None, None),
        ([1], None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_ids_keeps_only_ids_in_order():
    assert parse_ids(["3", "³", HUGE, "1", "x"]) == [3, 1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        ("", 0),
        ("0", 0),
        (0, 0),
        ("5", 5),
        (HUGE, MAX_ID),
        ("9" * 5000, MAX_ID),
        (2**70, MAX_ID),
        (False, None),
        ("-1", None),
        (-1, None),
        ("³", None),
        ("1.5", None),
        (1.5, None),
    ],
)
def test_parse_after(value, expected):
    assert parse_after(value) == expected


# --- Forms --------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["³", HUGE, "1" * 5000])
def test_notification_read_form_ignores_impossible_ids(client, citizen, bad):
    message = MessageFactory(author=citizen)
    mine = Notification.objects.create(
        recipient=citizen, kind=NotificationKind.MESSAGE_APPROVED, message=message
    )
    client.force_login(citizen)

    response = client.post("/notifications/read/", {"id": [bad, str(mine.pk)]})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize("bad", ["³", HUGE])
def test_edit_form_ignores_impossible_attachment_ids(client, citizen, bad):
    official = OfficialFactory()
    message = MessageFactory(
        author=citizen,
        status=MessageStatus.PENDING,
        addressee_official=official,
        region=official.region,
    )
    client.force_login(citizen)
    data = compose_data(official, title="新标题", remove=[bad])

    response = client.post(reverse("board:message_edit", args=[message.pk]), data)

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.title == "新标题"


# --- Paths and cursors ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/messages/{HUGE}/",
        f"/officials/{HUGE}/",
        f"/inbox/messages/{HUGE}/",
        f"/moderation/messages/{HUGE}/",
        f"/messages/{'9' * 5000}/",
    ],
)
def test_a_path_id_no_column_holds_is_404(client, moderator, path):
    client.force_login(moderator)

    assert client.get(path).status_code == 404


def test_board_cursor_past_every_id_shows_the_first_page(client):
    MessageFactory(status=MessageStatus.PUBLISHED)
    raw = f"2024-01-01T00:00:00+00:00|{HUGE}".encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")

    response = client.get("/", {"cursor": cursor})

    assert response.status_code == 200
