"""My messages and the notification centre, a page at a time: keyset pages
(board_page) newest first, each row once, filters kept in the links."""

import html
import re

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Message, Notification, NotificationKind
from board.selectors import BOARD_PAGE_SIZE, NOTIFICATION_PAGE_SIZE
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

MY_MESSAGES = "/me/messages/"
NOTIFICATIONS = "/notifications/"


def next_link(body: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]*)"', body)
    return html.unescape(found.group(1)) if found else None


def rows_shown(response, context_key: str) -> list:
    """The rows a page shows: My messages passes its page (its rows are
    rendered to cards before the template sees them), others their list."""
    if context_key == "page":
        return response.context["page"].items
    return response.context[context_key]


def all_pages(client, path: str, context_key: str) -> list[list[int]]:
    """The ids of each page, following "older" links to the end."""
    pages, url = [], path
    while url is not None:
        response = client.get(url if url.startswith("/") else path + url)
        assert response.status_code == 200
        pages.append([row.pk for row in rows_shown(response, context_key)])
        url = next_link(response.content.decode())
    return pages


def test_my_messages_pages_cover_every_message_once_newest_first(client, citizen):
    messages = MessageFactory.create_batch(2 * BOARD_PAGE_SIZE + 3, author=citizen)
    # Equal timestamps: the id alone must order and split them.
    Message.objects.filter(pk__in=[m.pk for m in messages[:10]]).update(
        created_at=timezone.now()
    )
    MessageFactory()  # someone else's
    client.force_login(citizen)

    pages = all_pages(client, MY_MESSAGES, "page")

    assert [len(page) for page in pages] == [BOARD_PAGE_SIZE, BOARD_PAGE_SIZE, 3]
    shown = [pk for page in pages for pk in page]
    expected = list(
        Message.objects.filter(author=citizen)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    assert shown == expected


def test_my_messages_second_page_keeps_the_status_filter(client, citizen):
    replied = MessageFactory.create_batch(
        BOARD_PAGE_SIZE + 2, author=citizen, status=MessageStatus.REPLIED
    )
    MessageFactory.create_batch(3, author=citizen, status=MessageStatus.PUBLISHED)
    client.force_login(citizen)

    first = client.get(MY_MESSAGES, {"status": MessageStatus.REPLIED})
    link = next_link(first.content.decode())
    assert link is not None
    assert "status=replied" in link
    second = client.get(MY_MESSAGES + link)

    shown_ids = [m.pk for m in first.context["page"].items] + [
        m.pk for m in second.context["page"].items
    ]
    assert sorted(shown_ids) == sorted(m.pk for m in replied)
    assert next_link(second.content.decode()) is None
    # The way back to the first page keeps the filter too.
    assert 'href="?status=replied">' in second.content.decode()


def test_my_messages_card_shows_translated_labels(client, citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.REPLIED)
    client.force_login(citizen)

    body = client.get(MY_MESSAGES, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (
        f'<span class="badge status-replied">{message.get_status_display()}</span>'
        in body
    )
    assert f'<span class="badge kind">{message.get_kind_display()}</span>' in body


def test_my_messages_bad_cursor_shows_the_first_page(client, citizen):
    newest = MessageFactory.create_batch(3, author=citizen)[-1]
    client.force_login(citizen)

    response = client.get(MY_MESSAGES, {"cursor": "not-a-cursor"})

    assert response.status_code == 200
    assert response.context["page"].items[0].pk == newest.pk


def notify(user, count: int) -> list[Notification]:
    return [
        Notification.objects.create(
            recipient=user, kind=NotificationKind.MESSAGE_REPLIED
        )
        for _ in range(count)
    ]


def test_notification_pages_cover_every_notification_once(
    client, citizen, other_citizen
):
    mine = notify(citizen, 2 * NOTIFICATION_PAGE_SIZE + 1)
    notify(other_citizen, 2)
    client.force_login(citizen)

    pages = all_pages(client, NOTIFICATIONS, "notifications")

    assert [len(page) for page in pages] == [
        NOTIFICATION_PAGE_SIZE,
        NOTIFICATION_PAGE_SIZE,
        1,
    ]
    assert [pk for page in pages for pk in page] == [n.pk for n in reversed(mine)]


def test_notification_page_has_one_form_for_its_rows(client, citizen):
    notify(citizen, NOTIFICATION_PAGE_SIZE + 5)
    client.force_login(citizen)

    body = client.get(NOTIFICATIONS).content.decode()

    assert body.count('name="id"') == NOTIFICATION_PAGE_SIZE
    # "Mark all as read" and the page's rows: two forms, not one a row.
    assert body.count('action="/notifications/read/"') == 2


def test_marking_one_read_on_a_later_page_returns_there(client, citizen):
    notifications = notify(citizen, NOTIFICATION_PAGE_SIZE + 2)
    client.force_login(citizen)
    link = next_link(client.get(NOTIFICATIONS).content.decode())
    second = client.get(NOTIFICATIONS + link)
    oldest = notifications[0]
    assert f'name="id" value="{oldest.pk}"' in second.content.decode()
    next_value = re.search(
        r'name="next" value="([^"]*)"', second.content.decode()
    ).group(1)

    response = client.post(
        "/notifications/read/",
        {"id": str(oldest.pk), "next": html.unescape(next_value)},
    )

    assert response.status_code == 302
    assert response.url == NOTIFICATIONS + link
    oldest.refresh_from_db()
    assert oldest.read_at is not None
    assert Notification.objects.filter(recipient=citizen, read_at=None).count() == (
        NOTIFICATION_PAGE_SIZE + 1
    )


@pytest.mark.parametrize(
    "target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"]
)
def test_marking_read_never_sends_the_reader_to_another_site(client, citizen, target):
    client.force_login(citizen)
    response = client.post("/notifications/read/", {"all": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
