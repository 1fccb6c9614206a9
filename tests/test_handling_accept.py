"""message_accept: the addressee takes a routed message on (受理)."""

import pytest

from board.actions import message_accept
from board.errors import InvalidTransition, NotAllowed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from tests.factories import (
    HandlerUserFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_the_addressee_accepts_and_the_author_is_told(
    official, pushes, django_capture_on_commit_callbacks
):
    message = RoutedMessageFactory(addressee_official=official)
    with django_capture_on_commit_callbacks(execute=True):
        message_accept(message=message, actor=official.user)
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.from_status, event.to_status) == (
        MessageEvent.Verb.ACCEPTED,
        official.user,
        "published",
        "accepted",
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.message) == (
        message.author,
        NotificationKind.MESSAGE_ACCEPTED,
        message,
    )
    [pushed] = pushes.payloads(f"user.{message.author_id}", "notification.created")
    assert pushed["kind"] == "message.accepted"
    [status] = pushes.payloads(f"message.{message.pk}", "message.updated")
    assert (status["op"], status["status"]) == ("status", "accepted")


def test_a_private_message_is_accepted_without_a_public_push(
    official, pushes, django_capture_on_commit_callbacks
):
    message = RoutedMessageFactory(addressee_official=official, is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        message_accept(message=message, actor=official.user)
    assert pushes.payloads(f"message.{message.pk}", "message.updated") == []
    assert [group for group, _event in pushes] == [f"user.{message.author_id}"]


def test_accepting_twice_is_refused(official):
    message = RoutedMessageFactory(addressee_official=official)
    message_accept(message=message, actor=official.user)
    with pytest.raises(InvalidTransition):
        message_accept(message=message, actor=official.user)
    assert MessageEvent.objects.filter(verb=MessageEvent.Verb.ACCEPTED).count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PENDING,
        MessageStatus.REPLIED,
        MessageStatus.CLOSED,
        MessageStatus.HIDDEN,
        MessageStatus.REJECTED,
    ],
)
def test_only_a_published_message_can_be_accepted(official, status):
    message = RoutedMessageFactory(addressee_official=official, status=status)
    with pytest.raises(InvalidTransition):
        message_accept(message=message, actor=official.user)
    message.refresh_from_db()
    assert message.status == status
    assert MessageEvent.objects.exists() is False
    assert Notification.objects.exists() is False


def test_another_official_may_not_accept(official):
    message = RoutedMessageFactory(addressee_official=official)
    other = OfficialFactory(user=UserFactory(official=True), region=official.region)
    with pytest.raises(NotAllowed):
        message_accept(message=message, actor=other.user)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert Notification.objects.exists() is False


@pytest.mark.parametrize("who", ["author", "moderator", "citizen"])
def test_people_outside_the_inbox_may_not_accept(official, moderator, citizen, who):
    message = RoutedMessageFactory(addressee_official=official)
    actor = {"author": message.author, "moderator": moderator, "citizen": citizen}
    with pytest.raises(NotAllowed):
        message_accept(message=message, actor=actor[who])
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_department_staff_accept_for_their_departments_official(
    department_official, handler_user
):
    message = RoutedMessageFactory(
        addressee_official=department_official, region=department_official.region
    )
    message_accept(message=message, actor=handler_user)
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED
    assert MessageEvent.objects.get(message=message).actor == handler_user


@pytest.mark.parametrize("actor", ["handler", "official"])
def test_department_staff_and_officials_accept_for_the_department(
    handling_department, department_official, handler_user, actor
):
    message = RoutedMessageFactory(
        region=handling_department.region,
        addressee_official=None,
        addressee_department=handling_department,
    )
    user = handler_user if actor == "handler" else department_official.user
    message_accept(message=message, actor=user)
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED


def test_staff_of_another_department_may_not_accept(
    handling_department, department_official
):
    outsider = HandlerUserFactory()
    for message in (
        RoutedMessageFactory(addressee_official=department_official),
        RoutedMessageFactory(
            addressee_official=None, addressee_department=handling_department
        ),
    ):
        with pytest.raises(NotAllowed):
            message_accept(message=message, actor=outsider)
        message.refresh_from_db()
        assert message.status == MessageStatus.PUBLISHED


def test_staff_need_both_the_role_and_the_department(
    handling_department, department_official
):
    message = RoutedMessageFactory(addressee_official=department_official)
    no_role = UserFactory(department=handling_department)
    no_department = HandlerUserFactory(department=None)
    for user in (no_role, no_department):
        with pytest.raises(NotAllowed):
            message_accept(message=message, actor=user)
