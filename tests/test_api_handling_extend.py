"""POST /api/v1/messages/{id}/extend/: one extension of at most 15 working
days, with a public reason."""

import pytest
from django.utils import timezone

from board.deadlines import add_working_days
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from tests.factories import RoutedMessageFactory

pytestmark = pytest.mark.django_db


def extend(api_client, user, message, data):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/messages/{message.pk}/extend/", data, format="json"
    )


@pytest.fixture
def message(official):
    return RoutedMessageFactory(
        addressee_official=official,
        region=official.region,
        status=MessageStatus.ACCEPTED,
        due_date=add_working_days(timezone.localdate(), 2),
    )


def test_extend_the_deadline(api_client, official_user, message):
    old_due = message.due_date

    response = extend(
        api_client, official_user, message, {"working_days": 5, "reason": "需现场勘查"}
    )

    assert response.status_code == 200, response.content
    new_due = add_working_days(old_due, 5)
    assert response.json()["due_date"] == new_due.isoformat()
    assert response.json()["extended_by_days"] == 5
    assert response.json()["extension_reason"] == "需现场勘查"
    message.refresh_from_db()
    assert message.due_date == new_due
    assert message.extended_by_days == 5
    assert message.extension_reason == "需现场勘查"
    event = MessageEvent.objects.get(message=message, verb=MessageEvent.Verb.EXTENDED)
    assert event.note_is_public is True
    assert "需现场勘查" in event.note
    assert Notification.objects.filter(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_EXTENDED,
        payload__due_date=new_due.isoformat(),
    ).exists()


def test_the_public_sees_the_reason(api_client, official_user, message):
    extend(api_client, official_user, message, {"working_days": 3, "reason": "需协调"})
    api_client.force_authenticate(None)

    data = api_client.get(f"/api/v1/messages/{message.pk}/").json()

    assert data["extension_reason"] == "需协调"
    [entry] = [item for item in data["timeline"] if item["verb"] == "extended"]
    assert "需协调" in entry["note"]


def test_fifteen_working_days_is_the_most(api_client, official_user, message):
    response = extend(
        api_client, official_user, message, {"working_days": 15, "reason": "需协调"}
    )

    assert response.status_code == 200


def test_only_once(api_client, official_user, message):
    extend(api_client, official_user, message, {"working_days": 2, "reason": "一"})
    message.refresh_from_db()
    due = message.due_date

    response = extend(
        api_client, official_user, message, {"working_days": 2, "reason": "二"}
    )

    assert response.status_code == 400
    assert "working_days" in response.json()
    assert response.json()["code"] == "already_extended"
    message.refresh_from_db()
    assert message.due_date == due
    assert message.extension_reason == "一"


def test_an_overdue_message_may_be_extended_and_is_no_longer_escalated(
    api_client, official_user, message
):
    message.escalated_at = timezone.now()
    message.save(update_fields=["escalated_at"])

    response = extend(
        api_client, official_user, message, {"working_days": 5, "reason": "需协调"}
    )

    assert response.status_code == 200
    assert response.json()["escalated"] is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"working_days": 16, "reason": "需协调"}, "working_days"),
        ({"working_days": 0, "reason": "需协调"}, "working_days"),
        ({"working_days": -3, "reason": "需协调"}, "working_days"),
        ({"working_days": "5", "reason": "需协调"}, "working_days"),
        ({"working_days": 5.5, "reason": "需协调"}, "working_days"),
        ({"working_days": True, "reason": "需协调"}, "working_days"),
        ({"working_days": None, "reason": "需协调"}, "working_days"),
        ({"working_days": 10**30, "reason": "需协调"}, "working_days"),
        ({"reason": "需协调"}, "working_days"),
        ({"working_days": 5}, "reason"),
        ({"working_days": 5, "reason": ""}, "reason"),
        ({"working_days": 5, "reason": "   "}, "reason"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api_client, official_user, message, data, field
):
    response = extend(api_client, official_user, message, data)

    assert response.status_code == 400, response.content
    assert field in response.json()
    message.refresh_from_db()
    assert message.extended_by_days == 0


@pytest.mark.parametrize("status", [MessageStatus.REPLIED, MessageStatus.CLOSED])
def test_an_answered_message_has_no_deadline_to_extend(
    api_client, official_user, status
):
    message = RoutedMessageFactory(
        addressee_official=official_user.official, status=status
    )

    response = extend(
        api_client, official_user, message, {"working_days": 5, "reason": "需协调"}
    )

    assert response.status_code == 409
    message.refresh_from_db()
    assert message.extended_by_days == 0
