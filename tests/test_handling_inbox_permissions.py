"""Who works a message's inbox: board.permissions.is_addressee, and the inbox
selector that mirrors it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from board.lifecycle import MessageStatus
from board.permissions import can_view_message, is_addressee, is_involved
from board.selectors import inbox_messages
from tests.factories import (
    DepartmentFactory,
    HandlerUserFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(handling_department, department_official, handler_user, citizen):
    """Everyone who might reach for a message of ``handling_department``."""
    other_department = DepartmentFactory(region=handling_department.region)
    return {
        "department_official": department_official.user,
        "fellow_official": OfficialFactory(
            user=UserFactory(official=True),
            department=handling_department,
            region=handling_department.region,
        ).user,
        "official_elsewhere": OfficialFactory(
            user=UserFactory(official=True),
            department=other_department,
            region=handling_department.region,
        ).user,
        "official_without_department": OfficialFactory(
            user=UserFactory(official=True), region=handling_department.region
        ).user,
        "handler": handler_user,
        "handler_elsewhere": HandlerUserFactory(department=other_department),
        "handler_without_department": HandlerUserFactory(department=None),
        "staff_without_role": UserFactory(department=handling_department),
        "moderator": UserFactory(moderator=True),
        "citizen": citizen,
    }


TO_OFFICIAL = {"department_official", "handler"}
TO_DEPARTMENT = {"department_official", "fellow_official", "handler"}


@pytest.mark.parametrize(
    ("addressed_to", "addressees"),
    [("official", TO_OFFICIAL), ("department", TO_DEPARTMENT)],
)
def test_who_is_an_addressee(
    people, handling_department, department_official, addressed_to, addressees
):
    if addressed_to == "official":
        message = RoutedMessageFactory(addressee_official=department_official)
    else:
        message = RoutedMessageFactory(
            addressee_official=None, addressee_department=handling_department
        )
    assert {
        name for name, user in people.items() if is_addressee(user, message)
    } == addressees
    assert is_addressee(message.author, message) is False
    assert is_addressee(AnonymousUser(), message) is False


def test_an_official_without_a_department_has_only_their_own_messages(official):
    own = RoutedMessageFactory(addressee_official=official)
    other = RoutedMessageFactory()
    assert is_addressee(official.user, own) is True
    assert is_addressee(official.user, other) is False


@pytest.mark.parametrize(
    "addressed_to", ["official", "department", "official_elsewhere"]
)
def test_the_inbox_holds_exactly_the_messages_one_is_addressee_of(
    people, handling_department, department_official, addressed_to
):
    targets = {
        "official": {"addressee_official": department_official},
        "department": {
            "addressee_official": None,
            "addressee_department": handling_department,
        },
        "official_elsewhere": {
            "addressee_official": people["official_elsewhere"].official
        },
    }
    message = RoutedMessageFactory(**targets[addressed_to])
    for name, user in people.items():
        in_inbox = message in inbox_messages(user)
        assert in_inbox is is_addressee(user, message), name


def test_the_inbox_leaves_out_what_was_not_routed(official):
    routed = RoutedMessageFactory(addressee_official=official)
    for status in (
        MessageStatus.PENDING,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.HIDDEN,
    ):
        RoutedMessageFactory(addressee_official=official, status=status)
    assert list(inbox_messages(official.user)) == [routed]


def test_the_addressee_sees_a_private_message_once_routed(
    department_official, handler_user, people
):
    private = RoutedMessageFactory(
        addressee_official=department_official, is_public=False
    )
    assert can_view_message(department_official.user, private) is True
    assert can_view_message(handler_user, private) is True
    assert is_involved(handler_user, private) is True
    for name in ("fellow_official", "official_elsewhere", "handler_elsewhere"):
        assert can_view_message(people[name], private) is False, name
        assert is_involved(people[name], private) is False, name
    assert can_view_message(AnonymousUser(), private) is False


def test_a_pending_private_message_is_not_shown_to_the_addressee(
    department_official, handler_user
):
    pending = RoutedMessageFactory(
        addressee_official=department_official,
        is_public=False,
        status=MessageStatus.PENDING,
    )
    assert can_view_message(department_official.user, pending) is False
    assert can_view_message(handler_user, pending) is False
    assert can_view_message(pending.author, pending) is True
