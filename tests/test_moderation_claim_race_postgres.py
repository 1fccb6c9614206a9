"""Two moderators act on one item at the same instant: exactly one succeeds.

The issue asks for this to hold at the database level (a conditional update or
a row lock), tested with two concurrent requests on PostgreSQL. Each thread
has its own database connection, so the two calls really are two
transactions; a barrier releases them together. On SQLite (the embedded run)
the same test passes because SQLite serialises writers; with
ZHITONG_REQUIRE_SERVICES=1 it insists on PostgreSQL and fails, never skips.

SQLite's test database lives in memory with a shared cache, where a writer
that meets another's lock is refused at once ("database table is locked")
instead of waiting as the file database does (``timeout`` 20 s). On SQLite
only, ``sqlite_busy_wait`` retries such a refused call, which is the waiting
the file database would do; PostgreSQL calls are never retried.
"""

import os
import threading
import time

import pytest
from django.db import OperationalError, connection

from board.errors import InvalidTransition
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification
from moderation.actions import ClaimConflict, message_approve, queue_item_claim
from moderation.models import AuditEvent, AuditVerb
from tests.factories import PendingMessageFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

REQUIRE_SERVICES = os.environ.get("ZHITONG_REQUIRE_SERVICES") == "1"


def assert_database_is_the_required_one():
    if REQUIRE_SERVICES:
        assert connection.vendor == "postgresql"


def sqlite_busy_wait(call):
    deadline = time.monotonic() + 20
    while True:
        try:
            return call()
        except OperationalError as error:
            if (
                connection.vendor != "sqlite"
                or "locked" not in str(error)
                or time.monotonic() > deadline
            ):
                raise
            time.sleep(0.005)


def at_the_same_instant(*calls):
    """Run each call in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = sqlite_busy_wait(call)
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def two_moderators():
    return UserFactory(moderator=True), UserFactory(moderator=True)


def test_the_suite_talks_to_postgresql_when_services_are_required():
    assert_database_is_the_required_one()


def test_two_concurrent_claims_exactly_one_wins(two_moderators):
    assert_database_is_the_required_one()
    first, second = two_moderators
    message = PendingMessageFactory()

    outcomes = at_the_same_instant(
        lambda: queue_item_claim(message=message, actor=first),
        lambda: queue_item_claim(message=message, actor=second),
    )

    winners = [index for index, outcome in enumerate(outcomes) if outcome is True]
    assert len(winners) == 1, outcomes
    [loser] = [outcome for outcome in outcomes if outcome is not True]
    assert isinstance(loser, ClaimConflict), loser
    assert loser.code == "claimed"

    winner = two_moderators[winners[0]]
    message.refresh_from_db()
    assert message.claimed_by == winner
    claims = AuditEvent.objects.filter(
        message=message, verb__in=[AuditVerb.CLAIMED, AuditVerb.TAKEN_OVER]
    )
    assert [(audit.verb, audit.actor) for audit in claims] == [
        (AuditVerb.CLAIMED, winner)
    ]


def test_two_concurrent_approvals_exactly_one_publishes(two_moderators):
    assert_database_is_the_required_one()
    first, second = two_moderators
    message = PendingMessageFactory()

    outcomes = at_the_same_instant(
        lambda: message_approve(message=message, actor=first),
        lambda: message_approve(message=message, actor=second),
    )

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ClaimConflict | InvalidTransition), errors[0]
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert (
        AuditEvent.objects.filter(message=message, verb=AuditVerb.APPROVED).count() == 1
    )
    assert (
        MessageEvent.objects.filter(
            message=message, verb=MessageEvent.Verb.PUBLISHED
        ).count()
        == 1
    )
    assert Notification.objects.filter(message=message).count() == 1


def test_a_claim_and_an_approval_by_another_at_once_never_both_win(two_moderators):
    """One claims while the other approves: the approval either lands first
    (the claim then holds a published item) or meets the claim and is refused;
    never does a second decision or a duplicate audit appear."""
    assert_database_is_the_required_one()
    first, second = two_moderators
    message = PendingMessageFactory()

    claimed, approved = at_the_same_instant(
        lambda: queue_item_claim(message=message, actor=first),
        lambda: message_approve(message=message, actor=second),
    )

    assert claimed is True, claimed
    message.refresh_from_db()
    if isinstance(approved, Exception):
        assert isinstance(approved, ClaimConflict), approved
        assert message.status == MessageStatus.PENDING
        assert message.claimed_by == first
    else:
        assert message.status == MessageStatus.PUBLISHED
    assert (
        AuditEvent.objects.filter(message=message, verb=AuditVerb.CLAIMED).count() == 1
    )
    assert AuditEvent.objects.filter(
        message=message, verb=AuditVerb.APPROVED
    ).count() == (0 if isinstance(approved, Exception) else 1)
