"""The inbox's counts and order kept in the cache (board/selectors/handling.py,
``inbox_listing``): a second look reads neither, and whatever moves a
message in or out of an inbox, or between its tabs, shows at once, because
the change moves the addressee's version when it commits."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from board.actions import message_accept, message_transfer
from board.lifecycle import MessageStatus
from board.models import Reply, ReplyStatus
from moderation.actions import message_approve
from tests.factories import (
    TEST_PASSWORD,
    MessageFactory,
    OfficialFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def inbox_page(client, user, **params):
    assert client.login(username=user.username, password=TEST_PASSWORD)
    response = client.get(reverse("board:inbox"), params)
    assert response.status_code == 200
    return response


def inbox(client, user, **params):
    response = inbox_page(client, user, **params)
    ids = [row["pk"] for row in response.context["rows"]]
    return ids, response.context["counts"]


def routed_to(official, **kwargs):
    return RoutedMessageFactory(
        addressee_official=official, region=official.region, **kwargs
    )


def counting_queries(sql: list[str]) -> list[str]:
    # inbox_counts' query names its overdue and near-deadline counts.
    return [query for query in sql if 'AS "overdue"' in query]


def test_a_second_look_reads_neither_the_counts_nor_the_order(client, official):
    messages = [routed_to(official) for _ in range(3)]
    with CaptureQueriesContext(connection) as first:
        first_ids, first_counts = inbox(client, official.user)
    assert len(counting_queries([query["sql"] for query in first])) == 1

    with CaptureQueriesContext(connection) as second:
        second_ids, second_counts = inbox(client, official.user)

    assert first_ids == second_ids == [message.pk for message in messages]
    assert first_counts == second_counts
    assert second_counts["published"] == 3
    sql = [query["sql"] for query in second.captured_queries]
    assert counting_queries(sql) == []
    assert not [query for query in sql if "UNION ALL" in query]
    # Nor its rows.
    assert not [query for query in sql if '"board_message"."due_date"' in query]


def test_a_draft_reply_and_its_removal_show_at_once(client, official, commit):
    message = routed_to(official)

    def drafts():
        rows = inbox_page(client, official.user).context["rows"]
        return {row["pk"]: row["draft_count"] for row in rows}[message.pk]

    assert drafts() == 0
    with commit():
        draft = ReplyFactory(message=message, status=ReplyStatus.DRAFT)
    assert drafts() == 1

    with commit():
        # Read afresh: the reply without its message at hand.
        Reply.objects.get(pk=draft.pk).delete()
    assert drafts() == 0


def test_a_newly_routed_message_shows_at_once(client, official, moderator, commit):
    routed_to(official)
    inbox(client, official.user)
    pending = MessageFactory(
        status=MessageStatus.PENDING,
        addressee_official=official,
        region=official.region,
    )

    with commit():
        message_approve(message=pending, actor=moderator)

    ids, counts = inbox(client, official.user)
    assert pending.pk in ids
    assert counts["published"] == 2


def test_accepting_moves_the_counts_at_once(client, official, commit):
    message = routed_to(official)
    _ids, before = inbox(client, official.user)
    assert (before["published"], before["accepted"]) == (1, 0)

    with commit():
        message_accept(message=message, actor=official.user)

    _ids, after = inbox(client, official.user)
    assert (after["published"], after["accepted"]) == (0, 1)
    accepted_ids, _counts = inbox(client, official.user, status="accepted")
    assert accepted_ids == [message.pk]


def test_a_transfer_leaves_one_inbox_and_reaches_the_other(client, official, commit):
    other = OfficialFactory(user=UserFactory(official=True), region=official.region)
    message = routed_to(official)
    assert inbox(client, official.user)[0] == [message.pk]
    assert inbox(client, other.user)[0] == []

    with commit():
        message_transfer(
            message=message,
            actor=official.user,
            reason="属于交通部门职责",
            to_official=other,
        )

    ids, counts = inbox(client, official.user)
    assert (ids, counts["total"]) == ([], 0)
    ids, counts = inbox(client, other.user)
    assert (ids, counts["total"]) == ([message.pk], 1)


def test_an_official_and_its_department_staff_keep_their_own_copies(
    client, department_official, handler_user
):
    colleague = OfficialFactory(
        department=department_official.department,
        region=department_official.region,
    )
    to_colleague = routed_to(colleague)
    mine = routed_to(department_official)

    assert inbox(client, department_official.user)[0] == [mine.pk]
    # The department's staff see every official of the department's.
    assert sorted(inbox(client, handler_user)[0]) == sorted([to_colleague.pk, mine.pk])


def test_what_is_overdue_moves_at_midnight_without_a_change(
    client, official, monkeypatch
):
    today = timezone.localdate()
    routed_to(official, due_date=today)
    _ids, counts = inbox(client, official.user)
    assert counts["overdue"] == 0

    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(1))

    _ids, counts = inbox(client, official.user)
    assert counts["overdue"] == 1


def test_a_page_number_out_of_range_gives_the_last_page(client, official):
    message = routed_to(official)

    for number in ("9", "0", "abc"):
        ids, _counts = inbox(client, official.user, page=number)
        assert ids == [message.pk]
