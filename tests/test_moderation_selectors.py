"""Moderation reads: queues, filters, counts, queue health, transparency."""

from datetime import timedelta
from unittest import mock

import pytest
from django.http import Http404
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Message
from moderation.actions import (
    message_approve,
    message_hide,
    message_mark_duplicate,
    message_reject,
)
from moderation.selectors import (
    QueueFilters,
    access_message_for_moderation,
    moderation_transparency,
    queue_counts,
    queue_health,
    queue_is_behind,
    queue_items,
)
from tests.factories import (
    CategoryFactory,
    MessageFactory,
    PendingMessageFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def hours_ago(hours, now=None):
    return (now or timezone.now()) - timedelta(hours=hours)


def test_the_pending_queue_is_oldest_first_and_only_pending():
    middle = PendingMessageFactory(submitted_for_review_at=hours_ago(2))
    newest = PendingMessageFactory(submitted_for_review_at=hours_ago(1))
    oldest = PendingMessageFactory(submitted_for_review_at=hours_ago(3))
    for status in (
        MessageStatus.PUBLISHED,
        MessageStatus.REJECTED,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.WITHDRAWN,
    ):
        MessageFactory(status=status, submitted_for_review_at=hours_ago(5))
    assert list(queue_items("pending")) == [oldest, middle, newest]


def test_the_risk_sort_puts_second_approvals_then_findings_first():
    plain = PendingMessageFactory(submitted_for_review_at=hours_ago(9))
    risky_new = PendingMessageFactory(
        submitted_for_review_at=hours_ago(1), prescreen_score=3
    )
    risky_old = PendingMessageFactory(
        submitted_for_review_at=hours_ago(2), prescreen_score=3
    )
    two_approvals = PendingMessageFactory(
        submitted_for_review_at=hours_ago(0),
        prescreen_score=1,
        needs_second_approval=True,
    )
    items = queue_items("pending", QueueFilters(sort="risk"))
    assert list(items) == [two_approvals, risky_old, risky_new, plain]
    assert list(queue_items("pending"))[0] == plain


def test_the_region_filter_includes_the_regions_below():
    province = RegionFactory()
    city = RegionFactory(parent=province)
    county = RegionFactory(parent=city)
    in_county = PendingMessageFactory(region=county)
    in_city = PendingMessageFactory(region=city)
    elsewhere = PendingMessageFactory(region=RegionFactory())

    def pending_in(region):
        return set(queue_items("pending", QueueFilters(region_id=region.pk)))

    assert pending_in(province) == {in_county, in_city}
    assert pending_in(city) == {in_county, in_city}
    assert pending_in(county) == {in_county}
    assert pending_in(elsewhere.region) == {elsewhere}


def test_category_and_kind_filters():
    traffic = CategoryFactory(slug="traffic")
    match = PendingMessageFactory(category=traffic, kind="suggestion")
    PendingMessageFactory(category=traffic, kind="complaint")
    PendingMessageFactory(kind="suggestion")
    filters = QueueFilters(category_id=traffic.pk, kind="suggestion")
    assert list(queue_items("pending", filters)) == [match]


def test_the_flagged_queue_counts_open_reports():
    later = MessageFactory(flagged_at=hours_ago(1))
    earlier = MessageFactory(flagged_at=hours_ago(2))
    MessageFactory(status=MessageStatus.HIDDEN, flagged_at=hours_ago(3))
    MessageFactory()
    items = list(queue_items("flagged"))
    assert items == [earlier, later]
    assert [item.open_reports for item in items] == [0, 0]


def test_the_archives_show_the_latest_decision_first():
    old = MessageFactory(status=MessageStatus.REJECTED, reviewed_at=hours_ago(5))
    new = MessageFactory(status=MessageStatus.REJECTED, reviewed_at=hours_ago(1))
    hidden = MessageFactory(status=MessageStatus.HIDDEN)
    assert list(queue_items("rejected")) == [new, old]
    assert list(queue_items("hidden")) == [hidden]


def test_an_unknown_queue_is_an_error():
    with pytest.raises(ValueError):
        queue_items("everything")


def test_queue_counts():
    PendingMessageFactory()
    PendingMessageFactory()
    MessageFactory(flagged_at=timezone.now())
    MessageFactory(status=MessageStatus.REJECTED)
    MessageFactory(status=MessageStatus.HIDDEN)
    MessageFactory()
    assert queue_counts() == {
        "pending": 2,
        "flagged": 1,
        "followups": 0,
        "rejected": 1,
        "hidden": 1,
    }


def test_queue_health(settings):
    settings.ZHITONG_REVIEW_DEADLINE_HOURS = 24
    now = timezone.now()
    oldest = PendingMessageFactory(submitted_for_review_at=hours_ago(30, now))
    PendingMessageFactory(submitted_for_review_at=hours_ago(2, now))
    for wait_hours in (1, 3, 8):
        MessageFactory(
            submitted_for_review_at=hours_ago(72 + wait_hours, now),
            reviewed_at=hours_ago(72, now),
        )
    # Reviewed before the last seven days: not in the median.
    MessageFactory(
        submitted_for_review_at=hours_ago(24 * 20, now),
        reviewed_at=hours_ago(24 * 10, now),
    )
    health = queue_health(now=now)
    assert health.waiting == 2
    assert health.oldest_submitted_at == oldest.submitted_for_review_at
    assert health.median_wait_7_days == timedelta(hours=3)
    assert health.over_deadline == 1
    assert health.deadline == timedelta(hours=24)
    assert health.is_behind is True


@pytest.mark.parametrize(("waited_hours", "behind"), [(30, True), (20, False)])
def test_queue_is_behind_says_what_the_health_says(settings, waited_hours, behind):
    settings.ZHITONG_REVIEW_DEADLINE_HOURS = 24
    now = timezone.now()
    PendingMessageFactory(submitted_for_review_at=hours_ago(waited_hours, now))
    # Long decided: not waiting, whatever its dates.
    MessageFactory(submitted_for_review_at=hours_ago(100, now))

    assert queue_is_behind(now=now) is behind
    assert queue_health(now=now).is_behind is behind


def test_queue_health_of_an_empty_queue():
    health = queue_health()
    assert (health.waiting, health.oldest_submitted_at) == (0, None)
    assert health.median_wait_7_days is None
    assert health.is_behind is False


def test_moderation_transparency_counts_per_month(moderator):
    now = timezone.localtime()
    last_month = (now.replace(day=1) - timedelta(days=1)).replace(
        day=15, hour=12, minute=0, second=0, microsecond=0
    )
    with mock.patch("django.utils.timezone.now", return_value=last_month):
        original = MessageFactory()
        waits = {}
        for hours in (2, 4, 6, 8):
            waits[hours] = PendingMessageFactory(
                submitted_for_review_at=hours_ago(hours, last_month)
            )
        message_approve(message=waits[2], actor=moderator)
        message_reject(message=waits[4], actor=moderator, reason="abusive")
        message_reject(message=waits[6], actor=moderator, reason="other", note="无关")
        message_mark_duplicate(message=waits[8], actor=moderator, of=original)
        message_hide(message=MessageFactory(), actor=moderator, reason="advertising")
        message_mark_duplicate(message=MessageFactory(), actor=moderator, of=original)
    # This month, and too long ago to be shown.
    PendingMessageFactory()
    ancient = MessageFactory()
    Message.objects.filter(pk=ancient.pk).update(
        created_at=now - timedelta(days=400), published_at=now - timedelta(days=400)
    )

    this_month, previous = moderation_transparency(months=12)
    assert this_month["month"] == now.replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    assert (this_month["received"], this_month["published"]) == (1, 0)
    assert previous["month"] == last_month.replace(day=1, hour=0)
    assert previous["received"] == 7
    # The original, the approved one and the two published by the factory.
    assert previous["published"] == 4
    assert previous["rejected"] == {"abusive": 1, "other": 1, "duplicate": 1}
    assert previous["hidden"] == {"advertising": 1, "duplicate": 1}
    assert previous["median_review"] == timedelta(hours=5)


def test_only_moderators_open_an_item(moderator, citizen):
    message = PendingMessageFactory()
    assert access_message_for_moderation(moderator, message.pk) == message
    with pytest.raises(Http404):
        access_message_for_moderation(citizen, message.pk)
    with pytest.raises(Http404):
        access_message_for_moderation(moderator, message.pk + 1000)
