"""Notifications for clients without WebSockets, and WebSocket tickets:
GET /api/v1/notifications/, POST /api/v1/notifications/read/,
POST /api/v1/realtime/ticket/."""

import pytest
from django.utils import timezone

from board.models import Notification, NotificationKind
from board.realtime.events import notification_frame, user_group
from board.realtime.tickets import ticket_redeem
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/notifications/"
READ_URL = "/api/v1/notifications/read/"
TICKET_URL = "/api/v1/realtime/ticket/"


def notifications_for(user, count, kind=NotificationKind.MESSAGE_APPROVED):
    """Rows as actions write them (no push: these tests read, not listen)."""
    message = MessageFactory(author=user)
    return Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, message=message) for _ in range(count)]
    )


def ids(response) -> list[int]:
    return [frame["id"] for frame in response.json()["results"]]


@pytest.mark.parametrize(
    ("method", "url"), [("get", LIST_URL), ("post", READ_URL), ("post", TICKET_URL)]
)
def test_anonymous_clients_are_refused(api_client, method, url):
    response = getattr(api_client, method)(url, {"all": True}, format="json")

    assert response.status_code == 401


def test_list_has_the_users_own_notifications_oldest_first(
    api_client, citizen, other_citizen
):
    mine_first = notifications_for(citizen, 2)
    notifications_for(other_citizen, 2)
    mine_later = notifications_for(citizen, 1, kind=NotificationKind.MESSAGE_REPLIED)
    api_client.force_authenticate(citizen)

    response = api_client.get(LIST_URL)

    assert response.status_code == 200
    expected = [row.pk for row in [*mine_first, *mine_later]]
    assert ids(response) == sorted(expected)
    body = response.json()
    assert body["unread"] == 3
    assert body["last_id"] == max(expected)
    assert body["more"] is False
    first = body["results"][0]
    row = Notification.objects.select_related("message").get(pk=first["id"])
    assert first == notification_frame(row)
    assert first["type"] == "notification"
    assert first["kind"] == "message.approved"
    assert first["message_id"] == row.message_id
    assert first["title"] == row.message.title
    assert body["results"][-1]["kind"] == "message.replied"


def test_list_after_returns_only_later_ones(api_client, citizen):
    first, second, third = notifications_for(citizen, 3)
    api_client.force_authenticate(citizen)

    after_first = api_client.get(LIST_URL, {"after": first.pk})
    after_last = api_client.get(LIST_URL, {"after": third.pk})

    assert ids(after_first) == [second.pk, third.pk]
    assert after_first.json()["last_id"] == third.pk
    # Nothing new: last_id stays where the client was; unread counts all.
    assert after_last.json() == {
        "results": [],
        "unread": 3,
        "last_id": third.pk,
        "more": False,
    }


def test_list_after_beyond_every_id_is_empty(api_client, citizen):
    notifications_for(citizen, 1)
    api_client.force_authenticate(citizen)

    response = api_client.get(LIST_URL, {"after": 10**20})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_empty_after_means_from_the_start(api_client, citizen):
    rows = notifications_for(citizen, 2)
    api_client.force_authenticate(citizen)

    assert ids(api_client.get(LIST_URL, {"after": ""})) == [row.pk for row in rows]


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "0x10"])
def test_invalid_after_is_400_naming_after(api_client, citizen, after):
    api_client.force_authenticate(citizen)

    response = api_client.get(LIST_URL, {"after": after})

    assert response.status_code == 400
    assert list(response.json()) == ["after"]


def test_list_pages_by_200_with_more(api_client, citizen):
    rows = notifications_for(citizen, 201)
    row_ids = sorted(row.pk for row in rows)
    api_client.force_authenticate(citizen)

    first_page = api_client.get(LIST_URL).json()
    second_page = api_client.get(LIST_URL, {"after": first_page["last_id"]}).json()

    assert [frame["id"] for frame in first_page["results"]] == row_ids[:200]
    assert first_page["more"] is True
    assert first_page["last_id"] == row_ids[199]
    assert [frame["id"] for frame in second_page["results"]] == row_ids[200:]
    assert second_page["more"] is False
    assert second_page["last_id"] == row_ids[200]


def test_read_marks_the_given_ids_and_pushes_the_unread_count(
    api_client, citizen, group_tap, django_capture_on_commit_callbacks
):
    first, second, third = notifications_for(citizen, 3)
    group_tap.listen(user_group(citizen.pk))
    api_client.force_authenticate(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            READ_URL, {"ids": [first.pk, third.pk]}, format="json"
        )

    assert response.status_code == 200
    assert response.json() == {"marked": 2, "unread": 1}
    read = set(
        Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True)
    )
    assert read == {first.pk, third.pk}
    assert group_tap.drain(user_group(citizen.pk)) == [
        {"type": "notification.read", "payload": {"type": "unread", "count": 1}}
    ]
    assert api_client.get(LIST_URL).json()["unread"] == 1


def test_read_leaves_other_users_notifications_alone(
    api_client, citizen, other_citizen, group_tap, django_capture_on_commit_callbacks
):
    theirs = notifications_for(other_citizen, 2)
    mine = notifications_for(citizen, 1)
    group_tap.listen(user_group(other_citizen.pk))
    api_client.force_authenticate(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            READ_URL, {"ids": [row.pk for row in [*theirs, *mine]]}, format="json"
        )

    assert response.json() == {"marked": 1, "unread": 0}
    assert (
        Notification.objects.filter(
            recipient=other_citizen, read_at__isnull=True
        ).count()
        == 2
    )
    assert group_tap.drain(user_group(other_citizen.pk)) == []


def test_read_all(api_client, citizen, other_citizen):
    notifications_for(citizen, 3)
    notifications_for(other_citizen, 1)
    api_client.force_authenticate(citizen)

    response = api_client.post(READ_URL, {"all": True}, format="json")

    assert response.json() == {"marked": 3, "unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == (
        other_citizen
    )


def test_reading_again_marks_nothing_and_pushes_nothing(
    api_client, citizen, group_tap, django_capture_on_commit_callbacks
):
    [row] = notifications_for(citizen, 1)
    Notification.objects.filter(pk=row.pk).update(read_at=timezone.now())
    group_tap.listen(user_group(citizen.pk))
    api_client.force_authenticate(citizen)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post(READ_URL, {"ids": [row.pk]}, format="json")

    assert response.json() == {"marked": 0, "unread": 0}
    assert callbacks == []
    assert group_tap.drain(user_group(citizen.pk)) == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="nothing"),
        pytest.param({"all": False}, id="all-false"),
        pytest.param({"ids": "1,2"}, id="not-a-list"),
        pytest.param({"ids": ["a"]}, id="not-numbers"),
        pytest.param({"ids": [0]}, id="not-an-id"),
    ],
)
def test_bad_read_body_is_400_naming_ids(api_client, citizen, body):
    [row] = notifications_for(citizen, 1)
    api_client.force_authenticate(citizen)

    response = api_client.post(READ_URL, body, format="json")

    assert response.status_code == 400
    assert "ids" in response.json()
    row.refresh_from_db()
    assert row.read_at is None


def test_ticket_is_single_use_and_short_lived(api_client, citizen):
    api_client.force_authenticate(citizen)

    response = api_client.post(TICKET_URL)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"ticket", "expires_in", "url"}
    assert len(body["ticket"]) >= 32
    assert body["expires_in"] == 60
    assert body["url"] == f"/ws/notifications/?ticket={body['ticket']}"
    assert ticket_redeem(body["ticket"]) == citizen
    assert ticket_redeem(body["ticket"]) is None


def test_each_ticket_is_new(api_client, citizen):
    api_client.force_authenticate(citizen)

    first = api_client.post(TICKET_URL).json()["ticket"]
    second = api_client.post(TICKET_URL).json()["ticket"]

    assert first != second
