"""The search index's PostgreSQL side (migration 0024): each document's
copy of the week its message was published while on the public board
follows the message through every write, and searches are answered by the
GIN index of ``_indexed_vector``, the expression they write."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Message
from board.selectors import search
from tests.services import require_postgres

pytestmark = [pytest.mark.django_db, pytest.mark.services]


@pytest.fixture(autouse=True)
def postgres_only():
    # SQLite has no such copy: its FTS5 table finds the newest matches fast.
    require_postgres("the search index's PostgreSQL side")


def document_week(message: Message) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT public_week FROM board_searchdocument WHERE message_id = %s",
            [message.pk],
        )
        return cursor.fetchone()[0]


def board_week(message: Message) -> int | None:
    """The week the message was published, while it is on the board."""
    message = Message.objects.public().filter(pk=message.pk).first()
    return None if message is None else search.week_number(message.published_at)


@pytest.mark.parametrize("status", list(MessageStatus))
@pytest.mark.parametrize("is_public", [True, False])
def test_a_documents_copy_follows_the_message_in_every_status(post, status, is_public):
    # The triggers spell out lifecycle.PUBLIC_STATUSES in SQL: a change to
    # one without the other fails here.
    message = post(
        title="井盖丢失",
        status=status,
        is_public=is_public,
        published_at=timezone.now(),
    )
    assert document_week(message) == board_week(message)

    # A write without signals (QuerySet.update) moves it on and off too,
    # and a new publication time moves its week.
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.PUBLISHED)
    assert document_week(message) == board_week(message)
    assert (document_week(message) is not None) == is_public
    Message.objects.filter(pk=message.pk).update(
        published_at=timezone.now() - timedelta(weeks=3)
    )
    assert document_week(message) == board_week(message)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.HIDDEN)
    assert document_week(message) is None


def test_rewriting_a_document_reads_the_message_afresh(post):
    message = post(title="井盖丢失")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE board_searchdocument SET public_week = NULL WHERE message_id = %s",
            [message.pk],
        )
    assert document_week(message) == board_week(message) is not None


def test_the_week_is_counted_as_python_counts_it(post):
    # The boundary of two weeks: the last second of one, the first of the next.
    boundary = datetime.fromtimestamp(3_000 * search.WEEK_SECONDS, tz=UTC)
    before = post(title="井盖", published_at=boundary - timedelta(seconds=1))
    after = post(title="井盖", published_at=boundary)

    assert document_week(before) == search.week_number(before.published_at) == 2_999
    assert document_week(after) == search.week_number(after.published_at) == 3_000


def test_a_search_of_the_last_weeks_is_answered_by_the_index(post):
    post(title="井盖丢失", published_at=timezone.now())
    this_week = search.week_number(timezone.now())
    terms = search._safe(search.query_terms("井盖"))
    sql = (
        "SELECT message_id FROM board_searchdocument"  # noqa: S608
        f" WHERE {search._indexed_vector('board_searchdocument')}"
        " @@ (to_tsquery('simple'::regconfig, %s) && %s::tsquery)"
    )
    params = [
        search._query_text("postgresql", terms, "AND"),
        search._index_only_terms(True, weeks=range(this_week - 1, this_week + 2)),
    ]

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchone() is not None
        # On a small table a scan is cheaper: forbidden, the plan shows
        # whether the expression is the index's.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on search_document_public_week" in plan
    assert f"'~w{this_week}'" in plan
