"""The queues' sizes are kept in the cache and counted afresh after a change.

These tests commit (``transaction=True``), as production does: the version
of the kept counts moves when a change commits, and a reader inside a
transaction counts for itself (tests in the usual rolled-back transaction
never read the kept counts).
"""

import importlib
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from board.actions import MessageDraft, message_submit
from board.lifecycle import MessageStatus
from board.models import Message
from moderation.actions import message_approve, message_hide, queue_item_claim
from moderation.context_processors import QUEUE_IS_BEHIND_CACHE_KEY
from moderation.models import ModerationReason
from moderation.selectors import (
    QUEUE_COUNTS_KEY,
    QUEUE_COUNTS_VERSION_KEY,
    QUEUES,
    queue_counts,
)
from tests.factories import (
    CategoryFactory,
    FollowUpFactory,
    MessageFactory,
    OfficialFactory,
    PendingMessageFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

BADGE = re.compile(r'data-queue="(\w+)">[^<]*<span class="count">(\d+)</span>')


def forget_counts():
    # Not cache.clear(): on Redis that flushes the other workers' keys too.
    cache.delete_many(
        [QUEUE_COUNTS_VERSION_KEY, QUEUE_COUNTS_KEY, QUEUE_IS_BEHIND_CACHE_KEY]
    )


@pytest.fixture(autouse=True)
def _fresh_counts():
    forget_counts()
    yield
    forget_counts()


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True)


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def ensure_reason(code):
    """Transactional tests flush the tables the data migration filled."""
    migration = importlib.import_module("moderation.migrations.0002_reasons")
    for order, (reason_code, title, title_en, explanation, explanation_en) in enumerate(
        migration.REASONS
    ):
        if reason_code == code:
            ModerationReason.objects.get_or_create(
                code=code,
                defaults={
                    "title": title,
                    "title_en": title_en,
                    "explanation": explanation,
                    "explanation_en": explanation_en,
                    "sort_order": order,
                },
            )


def badges(client) -> dict[str, int]:
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    return {name: int(count) for name, count in BADGE.findall(response.text)}


def count_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("moderation:queue")).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def counted_afresh(client) -> list[str]:
    """A view's queries with the counts to count, after a view that kept
    what else is kept (the queue's health, a minute)."""
    count_queries(client)
    cache.delete(QUEUE_COUNTS_VERSION_KEY)
    return count_queries(client)


def counting(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if "COUNT(" in sql and "board_message" in sql]


def test_the_second_view_does_not_count_the_queues_again(moderator_client):
    PendingMessageFactory.create_batch(2)
    MessageFactory(status=MessageStatus.REJECTED)
    first = counted_afresh(moderator_client)
    second = count_queries(moderator_client)
    assert len(counting(first)) == len(QUEUES)
    assert counting(second) == []
    assert len(second) == len(first) - len(QUEUES)


def test_the_second_view_runs_a_fixed_number_of_queries(
    moderator_client, django_assert_num_queries
):
    PendingMessageFactory.create_batch(3)
    expected = len(counted_afresh(moderator_client)) - len(QUEUES)
    with django_assert_num_queries(expected):
        moderator_client.get(reverse("moderation:queue"))


def test_an_approval_shows_in_the_counts_of_the_next_view(moderator_client, moderator):
    waiting = PendingMessageFactory.create_batch(2)
    assert badges(moderator_client)["pending"] == 2
    message_approve(message=waiting[0], actor=moderator)
    assert Message.objects.get(pk=waiting[0].pk).status == MessageStatus.PUBLISHED
    assert badges(moderator_client)["pending"] == 1


def test_a_new_submission_shows_in_the_counts_of_the_next_view(moderator_client):
    assert badges(moderator_client)["pending"] == 0
    official = OfficialFactory()
    author = UserFactory(citizen=True)
    message_submit(
        author=author,
        draft=MessageDraft(
            region=official.region,
            category=CategoryFactory(),
            kind="complaint",
            title="小区门口路灯坏了",
            body="路灯已经坏了两周，晚上很黑。",
            addressee_official=official,
            is_public=True,
            contact_phone="",
        ),
    )
    assert badges(moderator_client)["pending"] == 1


def test_a_hide_shows_in_the_counts_of_the_next_view(moderator_client, moderator):
    ensure_reason("advertising")
    message = MessageFactory()
    assert badges(moderator_client)["hidden"] == 0
    message_hide(message=message, actor=moderator, reason="advertising")
    assert badges(moderator_client)["hidden"] == 1


def test_a_flagged_reply_and_a_follow_up_show_in_the_next_view(moderator_client):
    reply = ReplyFactory()
    assert badges(moderator_client)["flagged"] == 0
    # As reply_report does once enough reports came in.
    reply.flagged_at = timezone.now()
    reply.save(update_fields=["flagged_at"])
    assert badges(moderator_client)["flagged"] == 1
    assert badges(moderator_client)["followups"] == 0
    follow_up = FollowUpFactory()
    assert badges(moderator_client)["followups"] == 1
    follow_up.delete()
    assert badges(moderator_client)["followups"] == 0


def test_an_edit_that_moves_no_item_counts_nothing_again(moderator_client):
    message = PendingMessageFactory()
    count_queries(moderator_client)
    message.title = "路灯不亮"
    message.save(update_fields=["title", "updated_at"])
    assert counting(count_queries(moderator_client)) == []
    message.status = MessageStatus.WITHDRAWN
    message.save(update_fields=["status", "updated_at"])
    assert len(counting(count_queries(moderator_client))) == len(QUEUES)


def test_the_api_reads_the_same_counts(moderator_client, moderator):
    PendingMessageFactory()
    assert badges(moderator_client)["pending"] == 1
    PendingMessageFactory()
    response = moderator_client.get("/api/v1/moderation/queue/?queue=pending")
    assert response.json()["counts"]["pending"] == 2


def test_a_claim_moves_no_item_and_counts_nothing_again(moderator_client, moderator):
    message = PendingMessageFactory()
    count_queries(moderator_client)
    queue_item_claim(message=message, actor=moderator)
    assert counting(count_queries(moderator_client)) == []


def test_a_reader_inside_a_transaction_counts_its_own_changes(moderator_client):
    PendingMessageFactory()
    assert queue_counts()["pending"] == 1
    with transaction.atomic():
        PendingMessageFactory()
        assert queue_counts()["pending"] == 2
        # Not yet committed: the kept counts are the others' view.
        assert cache.get(QUEUE_COUNTS_KEY)[1]["pending"] == 1
    assert queue_counts()["pending"] == 2


def test_a_rolled_back_change_leaves_the_counts(moderator_client):
    PendingMessageFactory()
    assert badges(moderator_client)["pending"] == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        PendingMessageFactory()
        raise RuntimeError
    assert badges(moderator_client)["pending"] == 1
