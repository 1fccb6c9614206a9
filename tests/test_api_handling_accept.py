"""POST /api/v1/messages/{id}/accept/: the addressee takes a message on (受理)."""

import pytest

from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from tests.factories import RoutedMessageFactory

pytestmark = pytest.mark.django_db


def accept(api_client, user, message):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.post(f"/api/v1/messages/{message.pk}/accept/", format="json")


@pytest.fixture
def message(official):
    return RoutedMessageFactory(addressee_official=official, region=official.region)


def test_addressee_accepts(api_client, official_user, message):
    response = accept(api_client, official_user, message)

    assert response.status_code == 200, response.content
    assert response.json()["id"] == message.pk
    assert response.json()["status"] == "accepted"
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED
    event = MessageEvent.objects.get(message=message)
    assert event.verb == MessageEvent.Verb.ACCEPTED
    assert (event.from_status, event.to_status) == ("published", "accepted")
    assert event.actor == official_user
    assert Notification.objects.filter(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_ACCEPTED,
        message=message,
    ).exists()


def test_the_deadline_keeps_running(api_client, official_user, message):
    due_date = message.due_date

    accept(api_client, official_user, message)

    message.refresh_from_db()
    assert message.due_date == due_date


def test_handler_accepts_for_the_department(
    api_client, handler_user, handling_department
):
    message = RoutedMessageFactory(
        addressee_official=None,
        addressee_department=handling_department,
        region=handling_department.region,
    )

    response = accept(api_client, handler_user, message)

    assert response.status_code == 200, response.content
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED


def test_handler_accepts_for_an_official_of_the_department(
    api_client, handler_user, department_official
):
    message = RoutedMessageFactory(
        addressee_official=department_official, region=department_official.region
    )

    assert accept(api_client, handler_user, message).status_code == 200


def test_accepting_twice_is_409(api_client, official_user, message):
    accept(api_client, official_user, message)

    response = accept(api_client, official_user, message)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert "status" in response.json()
    assert MessageEvent.objects.filter(message=message).count() == 1


@pytest.mark.parametrize("status", [MessageStatus.REPLIED, MessageStatus.CLOSED])
def test_answered_message_cannot_be_accepted(api_client, official_user, status):
    message = RoutedMessageFactory(
        addressee_official=official_user.official, status=status
    )

    response = accept(api_client, official_user, message)

    assert response.status_code == 409
    message.refresh_from_db()
    assert message.status == status


def test_pending_message_is_not_found_for_the_addressee(api_client, official_user):
    message = RoutedMessageFactory(
        addressee_official=official_user.official, status=MessageStatus.PENDING
    )

    assert accept(api_client, official_user, message).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
