"""The inbox page reads its order and counts one addressee column at a time
(selectors.handling.inbox_order, inbox_counts): the same rows, order and
counts as ``inbox_messages``, and the same number of queries for 1 item as
for 50."""

from datetime import timedelta
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.selectors import inbox_counts, inbox_messages
from tests.factories import (
    TEST_PASSWORD,
    OfficialFactory,
    ReplyFactory,
    RoutedMessageFactory,
)

pytestmark = pytest.mark.django_db

STATUSES = [
    MessageStatus.PUBLISHED,
    MessageStatus.ACCEPTED,
    MessageStatus.REPLIED,
    MessageStatus.CLOSED,
]
# Overdue, due today, near, later and none; some on the same day, so that
# the id decides.
DUE_DAYS = [-9, -1, 0, 1, 2, 2, 15, None]


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def add_items(official, department, start: int, count: int) -> None:
    """``count`` items, alternately to the official and to the department,
    across the routed statuses and deadlines."""
    today = timezone.localdate()
    statuses = cycle(STATUSES[start % len(STATUSES) :] + STATUSES)
    for number, status in zip(range(start, start + count), statuses, strict=False):
        days = DUE_DAYS[number % len(DUE_DAYS)]
        to_department = number % 2 == 1
        message = RoutedMessageFactory(
            addressee_official=None if to_department else official,
            addressee_department=department if to_department else None,
            region=department.region,
            status=status,
            due_date=None if days is None else today + timedelta(days=days),
        )
        if number % 3 == 0:
            ReplyFactory(message=message, status="draft")


def page_ids(client, **params) -> tuple[list[int], int]:
    response = client.get(reverse("board:inbox"), params)
    assert response.status_code == 200
    ids = [row["pk"] for row in response.context["rows"]]
    return ids, response.context["page"].paginator.count


@pytest.fixture(params=["official", "handler"])
def reader(request, department_official, handler_user):
    return department_official.user if request.param == "official" else handler_user


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": MessageStatus.ACCEPTED},
        {"status": MessageStatus.REPLIED},
        {"due": "overdue"},
        {"due": "near"},
        {"status": MessageStatus.PUBLISHED, "due": "overdue"},
    ],
    ids=lambda filters: "-".join(filters.values()) or "all",
)
def test_inbox_pages_follow_inbox_messages(
    client, reader, department_official, handling_department, filters
):
    add_items(department_official, handling_department, 0, 70)
    # A colleague's messages reach department staff, not the official.
    add_items(
        OfficialFactory(department=handling_department), handling_department, 0, 4
    )
    expected = [message.pk for message in inbox_messages(reader, **filters)]
    login(client, reader)

    first, count = page_ids(client, **filters)
    second = page_ids(client, page=2, **filters)[0] if count > 50 else []

    assert first + second == expected
    assert count == len(expected)


def test_inbox_counts_add_up_across_addressees(
    reader, department_official, handling_department
):
    add_items(department_official, handling_department, 0, 30)
    add_items(
        OfficialFactory(department=handling_department), handling_department, 0, 4
    )

    counts = inbox_counts(reader)

    for status in STATUSES:
        assert counts[status] == len(inbox_messages(reader, status=status))
    assert counts["overdue"] == len(inbox_messages(reader, due="overdue"))
    assert counts["near"] == len(inbox_messages(reader, due="near"))
    assert counts["total"] == len(inbox_messages(reader))


def test_inbox_queries_do_not_grow_with_items(
    client, reader, department_official, handling_department, django_assert_num_queries
):
    add_items(department_official, handling_department, 0, 1)
    login(client, reader)
    page_ids(client)  # warm per-process caches
    with CaptureQueriesContext(connection) as one_item:
        assert len(page_ids(client)[0]) == 1
    add_items(department_official, handling_department, 1, 49)

    with django_assert_num_queries(len(one_item.captured_queries)):
        assert len(page_ids(client)[0]) == 50
