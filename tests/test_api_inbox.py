"""GET /api/v1/inbox/: what reaches an official or department staff, in
which order, with which counts and filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.deadlines import add_working_days, working_days_left
from board.lifecycle import MessageStatus
from board.models import FollowUpStatus
from tests.factories import (
    CategoryFactory,
    FollowUpFactory,
    HandlerUserFactory,
    HolidayFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/inbox/"


def get(api_client, user, **params):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.get(URL, params)


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def to_official(official, **kwargs):
    return RoutedMessageFactory(
        addressee_official=official, region=official.region, **kwargs
    )


def to_department(department, **kwargs):
    return RoutedMessageFactory(
        addressee_official=None,
        addressee_department=department,
        region=department.region,
        **kwargs,
    )


def today():
    return timezone.localdate()


# --- Who sees what -----------------------------------------------------------


@pytest.fixture
def routed(department_official, handling_department):
    """A message to the official, one to the department, one to a colleague
    in the department, and one to an official elsewhere."""
    colleague = OfficialFactory(
        department=handling_department, region=handling_department.region
    )
    return {
        "official": to_official(department_official),
        "department": to_department(handling_department),
        "colleague": to_official(colleague),
        "elsewhere": to_official(OfficialFactory(user=UserFactory(official=True))),
    }


def test_official_sees_messages_to_them_and_their_department(
    api_client, department_official, routed
):
    response = get(api_client, department_official.user)

    assert set(ids(response)) == {routed["official"].pk, routed["department"].pk}


def test_handler_sees_the_department_and_its_officials(
    api_client, handler_user, routed
):
    response = get(api_client, handler_user)

    assert set(ids(response)) == {
        routed["official"].pk,
        routed["department"].pk,
        routed["colleague"].pk,
    }


def test_another_official_sees_only_their_own(api_client, routed):
    stranger = routed["elsewhere"].addressee_official.user

    assert ids(get(api_client, stranger)) == [routed["elsewhere"].pk]


def test_handler_of_another_department_sees_nothing(api_client, routed):
    assert ids(get(api_client, HandlerUserFactory())) == []


def test_private_messages_reach_the_addressee(api_client, official):
    message = to_official(official, is_public=False)

    assert ids(get(api_client, official.user)) == [message.pk]


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PENDING,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.HIDDEN,
    ],
)
def test_unrouted_or_hidden_messages_never_appear(api_client, official, status):
    to_official(official, status=status)

    assert ids(get(api_client, official.user)) == []
    assert ids(get(api_client, official.user, status="published")) == []


def test_closed_only_when_asked_for(api_client, official):
    open_message = to_official(official, status=MessageStatus.REPLIED)
    closed = to_official(official, status=MessageStatus.CLOSED)

    assert ids(get(api_client, official.user)) == [open_message.pk]
    assert ids(get(api_client, official.user, status="closed")) == [closed.pk]


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_others_are_refused(api_client, role):
    user = UserFactory(**{role: True})

    response = get(api_client, user)

    assert response.status_code == 403
    assert "detail" in response.json()


def test_official_role_without_a_profile_is_refused(api_client):
    assert get(api_client, UserFactory(official=True)).status_code == 403


def test_handler_role_without_a_department_is_refused(api_client):
    user = UserFactory(roles=["handler"])

    assert get(api_client, user).status_code == 403


def test_anonymous_is_401(api_client):
    assert get(api_client, None).status_code == 401


# --- Order -------------------------------------------------------------------


def test_overdue_first_then_nearest_deadline_then_answered(api_client, official):
    answered = to_official(official, status=MessageStatus.REPLIED, due_date=today())
    later = to_official(official, due_date=add_working_days(today(), 10))
    sooner = to_official(
        official, status=MessageStatus.ACCEPTED, due_date=add_working_days(today(), 2)
    )
    overdue = to_official(official, due_date=today() - timedelta(days=3))
    no_deadline = to_official(official, due_date=None)
    same_deadline_newer = to_official(official, due_date=later.due_date)

    order = ids(get(api_client, official.user))

    assert order.index(overdue.pk) == 0
    assert order.index(sooner.pk) == 1
    assert order[2:4] == [later.pk, same_deadline_newer.pk]
    assert order[4:] == [no_deadline.pk, answered.pk]


def test_several_overdue_by_the_oldest_deadline(api_client, official):
    recent = to_official(official, due_date=today() - timedelta(days=1))
    oldest = to_official(official, due_date=today() - timedelta(days=9))

    assert ids(get(api_client, official.user)) == [oldest.pk, recent.pk]


# --- Counts ------------------------------------------------------------------


def test_counts_per_status_and_deadline(api_client, official, settings):
    settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS = 3
    to_official(official, due_date=today() - timedelta(days=1))  # overdue
    to_official(
        official, status=MessageStatus.ACCEPTED, due_date=today() - timedelta(days=5)
    )  # overdue
    to_official(official, due_date=add_working_days(today(), 3))  # near
    to_official(official, status=MessageStatus.ACCEPTED, due_date=today())  # near
    to_official(official, due_date=add_working_days(today(), 4))  # not near
    # Past their deadline but answered: neither overdue nor near.
    to_official(
        official, status=MessageStatus.REPLIED, due_date=today() - timedelta(days=2)
    )
    to_official(official, status=MessageStatus.CLOSED)
    to_official(official, status=MessageStatus.PENDING)
    to_official(OfficialFactory(user=UserFactory(official=True)))

    response = get(api_client, official.user)

    assert response.json()["counts"] == {
        "published": 3,
        "accepted": 2,
        "replied": 1,
        "closed": 1,
        "overdue": 2,
        "near_deadline": 2,
    }
    assert response.json()["count"] == 6


def test_counts_follow_category_and_region_but_not_status(api_client, official):
    category = CategoryFactory(slug="traffic")
    to_official(official, category=category)
    to_official(official, category=category, status=MessageStatus.ACCEPTED)
    to_official(official)

    response = get(api_client, official.user, category="traffic", status="accepted")

    assert response.json()["count"] == 1
    assert response.json()["counts"]["published"] == 1
    assert response.json()["counts"]["accepted"] == 1


# --- Filters -----------------------------------------------------------------


def test_status_filter(api_client, official):
    to_official(official)
    accepted = to_official(official, status=MessageStatus.ACCEPTED)

    assert ids(get(api_client, official.user, status="accepted")) == [accepted.pk]


def test_category_filter_by_slug_or_id(api_client, official):
    category = CategoryFactory(slug="education")
    wanted = to_official(official, category=category)
    to_official(official)

    assert ids(get(api_client, official.user, category="education")) == [wanted.pk]
    assert ids(get(api_client, official.user, category=category.pk)) == [wanted.pk]


def test_region_filter_includes_subregions(api_client, official):
    city = RegionFactory(parent=official.region)
    county = RegionFactory(parent=city)
    in_county = RoutedMessageFactory(addressee_official=official, region=county)
    elsewhere = RoutedMessageFactory(addressee_official=official)

    assert ids(get(api_client, official.user, region=city.pk)) == [in_county.pk]
    assert elsewhere.pk in ids(get(api_client, official.user))


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("status", "pending"),
        ("status", "nonsense"),
        ("category", "no-such-category"),
        ("category", "999999"),
        ("region", "abc"),
        ("region", "999999"),
        ("region", "99999999999999999999999"),
    ],
)
def test_invalid_filter_is_400_naming_it(api_client, official, parameter, value):
    response = get(api_client, official.user, **{parameter: value})

    assert response.status_code == 400
    assert parameter in response.json()


def test_limit_and_offset(api_client, official):
    messages = [
        to_official(official, due_date=add_working_days(today(), days))
        for days in range(1, 6)
    ]

    first = get(api_client, official.user, limit=2)
    third = get(api_client, official.user, limit=2, offset=4)

    assert ids(first) == [messages[0].pk, messages[1].pk]
    assert first.json()["count"] == 5
    assert first.json()["next"] is not None
    assert first.json()["previous"] is None
    assert ids(third) == [messages[4].pk]
    assert third.json()["next"] is None


# --- The items ---------------------------------------------------------------


def test_item_fields(api_client, official):
    escalated_at = timezone.now()
    message = to_official(
        official,
        status=MessageStatus.ACCEPTED,
        # Working days late whatever today is: two calendar days ago is no
        # working day late on a Sunday, nor in a week's holiday.
        due_date=today() - timedelta(days=14),
        extended_by_days=5,
        transfer_count=1,
        escalated_at=escalated_at,
        contact_phone="138 0000 0000",
    )

    [item] = get(api_client, official.user).json()["results"]

    assert item["id"] == message.pk
    assert item["reference"] == message.reference
    assert item["title"] == message.title
    assert item["status"] == "accepted"
    assert item["due_date"] == message.due_date.isoformat()
    assert item["working_days_left"] == working_days_left(message)
    assert item["working_days_left"] < 0
    assert item["is_overdue"] is True
    assert item["is_near_deadline"] is False
    assert item["extended_by_days"] == 5
    assert item["transfer_count"] == 1
    assert item["escalated"] is True
    assert item["has_pending_follow_up"] is False
    assert "contact_phone" not in item


def test_near_deadline_item(api_client, official):
    message = to_official(official, due_date=add_working_days(today(), 1))

    [item] = get(api_client, official.user).json()["results"]

    assert item["working_days_left"] == 1 == working_days_left(message)
    assert item["is_near_deadline"] is True
    assert item["is_overdue"] is False
    assert item["escalated"] is False


def test_answered_item_has_no_running_deadline(api_client, official):
    to_official(
        official, status=MessageStatus.REPLIED, due_date=today() - timedelta(days=4)
    )

    [item] = get(api_client, official.user).json()["results"]

    assert item["working_days_left"] is None
    assert item["is_overdue"] is False
    assert item["is_near_deadline"] is False


def test_working_days_left_skip_holidays_and_count_make_up_days(api_client, official):
    due = add_working_days(today(), 12)
    # A holiday on a weekday and a make-up working day on a weekend, both
    # before the deadline.
    days = [today() + timedelta(days=n) for n in range(1, 12)]
    weekday = next(day for day in days if day.weekday() < 5)
    weekend = next(day for day in days if day.weekday() >= 5)
    HolidayFactory(date=weekday)
    HolidayFactory(date=weekend, is_working_day=True, name="调休")
    message = to_official(official, due_date=due)
    other = to_official(official, due_date=today() - timedelta(days=10))

    results = get(api_client, official.user).json()["results"]

    left = {item["id"]: item["working_days_left"] for item in results}
    assert left[message.pk] == working_days_left(message) == 12
    assert left[other.pk] == working_days_left(other)


def test_pending_follow_up_is_a_reviewed_question_awaiting_the_answer(
    api_client, official
):
    waiting = to_official(official, status=MessageStatus.ACCEPTED)
    FollowUpFactory(message=waiting, status=FollowUpStatus.APPROVED)
    answered = to_official(official, status=MessageStatus.REPLIED)
    FollowUpFactory(message=answered, status=FollowUpStatus.ANSWERED)
    in_review = to_official(official, status=MessageStatus.REPLIED)
    FollowUpFactory(message=in_review, status=FollowUpStatus.PENDING)

    results = get(api_client, official.user).json()["results"]

    flags = {item["id"]: item["has_pending_follow_up"] for item in results}
    assert flags == {waiting.pk: True, answered.pk: False, in_review.pk: False}


def test_the_addressee_reads_the_original_of_a_redacted_message(api_client, official):
    to_official(
        official,
        title="王五的电话 13912345678",
        is_redacted=True,
        public_title="王五的电话 ***",
    )

    [item] = get(api_client, official.user).json()["results"]

    assert item["title"] == "王五的电话 13912345678"


def test_inbox_queries_do_not_grow_with_the_page(
    api_client, official, django_assert_max_num_queries
):
    for days in range(1, 21):
        to_official(official, due_date=add_working_days(today(), days))
    api_client.force_authenticate(official.user)

    with django_assert_max_num_queries(15):
        response = api_client.get(URL)

    assert len(response.json()["results"]) == 20


def test_message_factory_outside_routing_is_not_in_inbox(api_client, official):
    """A message to someone else, with the official's region, stays out."""
    MessageFactory(region=official.region)

    assert ids(get(api_client, official.user)) == []
