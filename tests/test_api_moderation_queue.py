"""GET /api/v1/moderation/queue/: the queues, their filters, order and counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Category, MessageKind
from moderation.models import Report
from tests.factories import MessageFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/moderation/queue/"


def pending(minutes_ago=0, **kwargs):
    return MessageFactory(
        status=MessageStatus.PENDING,
        submitted_for_review_at=timezone.now() - timedelta(minutes=minutes_ago),
        **kwargs,
    )


def get(api_client, user, **params):
    api_client.force_authenticate(user)
    return api_client.get(URL, params)


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_pending_is_the_default_oldest_first(api_client, moderator):
    newer = pending(minutes_ago=5)
    older = pending(minutes_ago=50)
    MessageFactory(status=MessageStatus.PUBLISHED)

    response = get(api_client, moderator)

    assert response.status_code == 200
    assert ids(response) == [older.pk, newer.pk]
    assert response.json()["count"] == 2


def test_item_fields(api_client, moderator):
    author = UserFactory(citizen=True, username="zhangsan")
    message = pending(
        minutes_ago=25 * 60,
        author=author,
        held_reason="账号受限",
        prescreen_flags=[
            {"code": "phone", "detail": "", "needs_second_approval": False}
        ],
        prescreen_score=1,
    )

    [item] = get(api_client, moderator).json()["results"]

    assert item["id"] == message.pk
    assert item["reference"] == message.reference
    assert item["url"] == f"/messages/{message.pk}/"
    assert item["status"] == "pending"
    assert item["kind"] == "complaint"
    assert item["title"] == message.title
    assert item["body"] == message.body
    assert item["body_html"] == message.body_html
    assert item["region"] == message.region_id
    assert item["category"] == message.category_id
    assert item["addressee_official"] == message.addressee_official_id
    assert item["addressee_department"] is None
    assert item["author"] == "zhangsan"
    assert item["author_joined"]
    assert item["submitted_for_review_at"]
    assert 25 * 3600 - 5 <= item["age_seconds"] <= 25 * 3600 + 60
    assert item["over_deadline"] is True
    assert item["prescreen_flags"][0]["code"] == "phone"
    assert item["prescreen_flags"][0]["label"]
    assert item["needs_second_approval"] is False
    assert item["first_approved_by"] is None
    assert item["claimed_by"] is None
    assert item["claim_expires_at"] is None
    assert item["held_reason"] == "账号受限"
    assert item["flagged_at"] is None
    assert item["open_reports"] == 0
    assert item["updated_at"]


def test_over_deadline_only_past_the_deadline(api_client, moderator, settings):
    settings.ZHITONG_REVIEW_DEADLINE_HOURS = 2
    late = pending(minutes_ago=121)
    on_time = pending(minutes_ago=119)

    items = {item["id"]: item for item in get(api_client, moderator).json()["results"]}

    assert items[late.pk]["over_deadline"] is True
    assert items[on_time.pk]["over_deadline"] is False


def test_expired_claim_is_not_shown(api_client, moderator):
    holder = UserFactory(moderator=True)
    pending(claimed_by=holder, claim_expires_at=timezone.now() - timedelta(minutes=1))

    [item] = get(api_client, moderator).json()["results"]

    assert item["claimed_by"] is None
    assert item["claim_expires_at"] is None


def test_sort_by_risk(api_client, moderator):
    plain = pending(minutes_ago=60)
    two_findings = pending(minutes_ago=10, prescreen_score=2)
    one_finding = pending(minutes_ago=30, prescreen_score=1)
    second_approval = pending(
        minutes_ago=5, prescreen_score=1, needs_second_approval=True
    )

    response = get(api_client, moderator, sort="risk")

    assert ids(response) == [
        second_approval.pk,
        two_findings.pk,
        one_finding.pk,
        plain.pk,
    ]
    assert ids(get(api_client, moderator, sort="oldest")) == [
        plain.pk,
        one_finding.pk,
        two_findings.pk,
        second_approval.pk,
    ]


def test_filter_by_region_includes_subregions(api_client, moderator):
    province = RegionFactory()
    city = RegionFactory(parent=province)
    in_city = pending(region=city)
    in_province = pending(region=province)
    pending(region=RegionFactory())

    assert set(ids(get(api_client, moderator, region=province.pk))) == {
        in_city.pk,
        in_province.pk,
    }
    assert ids(get(api_client, moderator, region=city.pk)) == [in_city.pk]


def test_filter_by_category_and_kind(api_client, moderator):
    transport = Category.objects.get(slug="transport")
    wanted = pending(category=transport, kind=MessageKind.SUGGESTION)
    pending(category=transport, kind=MessageKind.COMPLAINT)
    pending(kind=MessageKind.SUGGESTION)

    response = get(api_client, moderator, category=transport.pk, kind="suggestion")

    assert ids(response) == [wanted.pk]
    assert ids(get(api_client, moderator, category="transport", kind="suggestion")) == [
        wanted.pk
    ]


def test_counts_cover_every_queue(api_client, moderator):
    pending()
    pending()
    MessageFactory(status=MessageStatus.REJECTED)
    MessageFactory(status=MessageStatus.HIDDEN)
    MessageFactory(status=MessageStatus.PUBLISHED, flagged_at=timezone.now())
    MessageFactory(status=MessageStatus.PUBLISHED)

    response = get(api_client, moderator, queue="rejected")

    assert response.json()["counts"] == {
        "pending": 2,
        "flagged": 1,
        "followups": 0,
        "rejected": 1,
        "hidden": 1,
    }
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("queue", "status", "extra"),
    [
        ("rejected", MessageStatus.REJECTED, {"moderation_reason": "abusive"}),
        ("hidden", MessageStatus.HIDDEN, {"moderation_reason": "illegal"}),
        ("flagged", MessageStatus.PUBLISHED, {"flagged_at": timezone.now()}),
    ],
)
def test_other_queues(api_client, moderator, queue, status, extra):
    wanted = MessageFactory(status=status, **extra)
    pending()
    MessageFactory(status=MessageStatus.PUBLISHED)

    response = get(api_client, moderator, queue=queue)

    assert response.status_code == 200
    assert ids(response) == [wanted.pk]
    if "moderation_reason" in extra:
        assert (
            response.json()["results"][0]["moderation_reason"]
            == (extra["moderation_reason"])
        )


def test_flagged_counts_only_open_reports(api_client, moderator):
    message = MessageFactory(status=MessageStatus.PUBLISHED, flagged_at=timezone.now())
    reporters = UserFactory.create_batch(3, citizen=True)
    for reporter in reporters:
        Report.objects.create(message=message, reporter=reporter, reason="spam")
    Report.objects.filter(reporter=reporters[0]).update(
        resolved_at=timezone.now(), resolution="keep"
    )

    [item] = get(api_client, moderator, queue="flagged").json()["results"]

    assert item["open_reports"] == 2


def test_followups_queue_is_empty_for_now(api_client, moderator):
    pending()

    response = get(api_client, moderator, queue="followups")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_pages(api_client, moderator):
    messages = [pending(minutes_ago=100 - n) for n in range(5)]

    first = get(api_client, moderator, limit=2)
    second = api_client.get(first.json()["next"])

    assert ids(first) == [messages[0].pk, messages[1].pk]
    assert first.json()["count"] == 5
    assert first.json()["previous"] is None
    assert ids(second) == [messages[2].pk, messages[3].pk]
    assert second.json()["previous"]


def test_default_page_size_is_20(api_client, moderator):
    for _n in range(21):
        pending()

    response = get(api_client, moderator)

    assert len(response.json()["results"]) == 20
    assert response.json()["next"]


def test_query_count_does_not_grow_with_the_page(
    api_client, moderator, django_assert_max_num_queries
):
    holder = UserFactory(moderator=True)
    for _n in range(10):
        pending(
            claimed_by=holder,
            claim_expires_at=timezone.now() + timedelta(minutes=5),
            first_approved_by=holder,
            needs_second_approval=True,
        )
    api_client.force_authenticate(moderator)

    with django_assert_max_num_queries(12):
        response = api_client.get(URL)

    assert len(response.json()["results"]) == 10


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("queue", "archive"),
        ("region", "abc"),
        ("region", "999999"),
        ("region", str(10**30)),
        ("category", "no-such-category"),
        ("kind", "rant"),
        ("sort", "newest"),
    ],
)
def test_bad_query_is_400_naming_it(api_client, moderator, field, value):
    response = get(api_client, moderator, **{field: value})

    assert response.status_code == 400
    assert field in response.json()
