"""run_periodic: the deadline check, auto-close and waiting notices, once."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import NotificationKind
from tests.factories import PendingMessageFactory, RoutedMessageFactory

pytestmark = pytest.mark.django_db


def run_periodic() -> str:
    out = io.StringIO()
    call_command("run_periodic", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def due_work(official):
    today = timezone.localdate()
    return {
        "near": RoutedMessageFactory(addressee_official=official, due_date=today),
        "overdue": RoutedMessageFactory(
            addressee_official=official, due_date=today - timedelta(days=10)
        ),
        "replied": RoutedMessageFactory(
            status=MessageStatus.REPLIED,
            last_reply_at=timezone.now() - timedelta(days=15),
        ),
        "waiting": PendingMessageFactory(
            submitted_for_review_at=timezone.now() - timedelta(hours=25)
        ),
    }


def test_runs_every_check_once_and_prints_the_counts(due_work, official):
    assert run_periodic() == (
        "deadlines: 1 approaching, 1 escalated; closed: 1; waiting notices: 1"
    )
    for message in due_work.values():
        message.refresh_from_db()
    assert due_work["near"].near_deadline_notified_at is not None
    assert due_work["overdue"].escalated_at is not None
    assert due_work["replied"].status == MessageStatus.CLOSED
    assert due_work["waiting"].waiting_notice_sent_at is not None
    assert set(official.user.notifications.values_list("kind", flat=True)) == {
        NotificationKind.DEADLINE_APPROACHING,
        NotificationKind.DEADLINE_PASSED,
    }
    assert due_work["waiting"].author.notifications.get().kind == (
        NotificationKind.MESSAGE_STILL_WAITING
    )

    assert run_periodic() == (
        "deadlines: 0 approaching, 0 escalated; closed: 0; waiting notices: 0"
    )


def test_nothing_to_do():
    assert run_periodic() == (
        "deadlines: 0 approaching, 0 escalated; closed: 0; waiting notices: 0"
    )


def test_a_failing_check_does_not_stop_the_others(due_work):
    out = io.StringIO()
    with (
        mock.patch(
            "moderation.periodic.deadlines_check",
            side_effect=RuntimeError("database went away"),
        ),
        pytest.raises(CommandError, match="deadlines_check"),
    ):
        call_command("run_periodic", stdout=out)
    assert out.getvalue().strip() == (
        "deadlines: 0 approaching, 0 escalated; closed: 1; waiting notices: 1"
    )
    due_work["replied"].refresh_from_db()
    assert due_work["replied"].status == MessageStatus.CLOSED
