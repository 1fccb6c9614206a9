"""POST /api/v1/messages/{id}/transfer/: hand a message over (转办); past the
limit the moderators decide."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.deadlines import add_working_days
from board.lifecycle import MessageStatus
from board.models import (
    MessageEvent,
    MessageKind,
    Notification,
    NotificationKind,
    Transfer,
    TransferRequest,
)
from tests.factories import (
    DepartmentFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def transfer(api_client, user, message, data, format="json"):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/messages/{message.pk}/transfer/", data, format=format
    )


@pytest.fixture(autouse=True)
def limit_of_two(settings):
    settings.ZHITONG_MAX_TRANSFERS = 2
    settings.ZHITONG_DEADLINE_WORKING_DAYS = {
        **settings.ZHITONG_DEADLINE_WORKING_DAYS,
        "complaint": 15,
    }


@pytest.fixture
def message(official):
    # Overdue with the first addressee: the transfer restarts the clock.
    return RoutedMessageFactory(
        addressee_official=official,
        region=official.region,
        kind=MessageKind.COMPLAINT,
        status=MessageStatus.ACCEPTED,
        due_date=timezone.localdate() - timedelta(days=3),
        routed_at=timezone.now() - timedelta(days=30),
    )


@pytest.fixture
def new_department(department_official, handler_user):
    """A department with an official and staff to notify."""
    return department_official.department


def test_transfer_to_a_department(
    api_client, official_user, message, new_department, department_official
):
    response = transfer(
        api_client,
        official_user,
        message,
        {"to_department": new_department.pk, "reason": "属于住建部门职责"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["id"] == message.pk
    assert response.json()["addressee_department"] == new_department.pk
    assert response.json()["addressee_official"] is None
    assert response.json()["transfer_count"] == 1
    message.refresh_from_db()
    assert message.addressee_department == new_department
    assert message.addressee_official is None
    assert message.transfer_count == 1
    assert message.due_date == add_working_days(timezone.localdate(), 15)
    assert message.routed_at > timezone.now() - timedelta(minutes=1)
    row = Transfer.objects.get(message=message)
    assert row.from_official == official_user.official
    assert row.to_department == new_department
    assert row.reason == "属于住建部门职责"
    assert row.actor == official_user


def test_transfer_notifies_the_author_and_the_new_inbox(
    api_client,
    official_user,
    message,
    new_department,
    department_official,
    handler_user,
):
    transfer(
        api_client,
        official_user,
        message,
        {"to_department": new_department.pk, "reason": "职责调整"},
    )

    assert Notification.objects.filter(
        recipient=message.author, kind=NotificationKind.MESSAGE_TRANSFERRED
    ).exists()
    new_inbox = set(
        Notification.objects.filter(
            kind=NotificationKind.INBOX_NEW_MESSAGE, message=message
        ).values_list("recipient_id", flat=True)
    )
    assert new_inbox == {department_official.user_id, handler_user.pk}


def test_transfer_to_an_official(api_client, official_user, message):
    other = OfficialFactory(user=UserFactory(official=True))

    response = transfer(
        api_client,
        official_user,
        message,
        {"to_official": other.pk, "reason": "请分管领导处理"},
    )

    assert response.status_code == 200, response.content
    message.refresh_from_db()
    assert message.addressee_official == other
    assert message.transfer_count == 1


def test_the_public_timeline_shows_the_transfer(
    api_client, official_user, message, new_department
):
    transfer(
        api_client,
        official_user,
        message,
        {"to_department": new_department.pk, "reason": "属于住建部门职责"},
    )
    event = MessageEvent.objects.get(
        message=message, verb=MessageEvent.Verb.TRANSFERRED
    )
    assert event.note_is_public is True

    api_client.force_authenticate(None)
    timeline = api_client.get(f"/api/v1/messages/{message.pk}/").json()["timeline"]

    [entry] = [item for item in timeline if item["verb"] == "transferred"]
    assert "属于住建部门职责" in entry["note"]
    assert entry["actor_role"] == "official"


def test_form_data_is_accepted(api_client, official_user, message, new_department):
    response = transfer(
        api_client,
        official_user,
        message,
        {"to_department": str(new_department.pk), "reason": "职责调整"},
        format="multipart",
    )

    assert response.status_code == 200, response.content


def test_the_old_addressee_loses_a_private_message(
    api_client, official_user, new_department
):
    message = RoutedMessageFactory(
        addressee_official=official_user.official, is_public=False
    )
    transfer(
        api_client,
        official_user,
        message,
        {"to_department": new_department.pk, "reason": "职责调整"},
    )

    again = transfer(
        api_client,
        official_user,
        message,
        {"to_department": DepartmentFactory().pk, "reason": "再转"},
    )

    assert again.status_code == 404


def test_the_old_addressee_may_no_longer_act_on_a_public_one(
    api_client, official_user, message, new_department
):
    transfer(
        api_client,
        official_user,
        message,
        {"to_department": new_department.pk, "reason": "职责调整"},
    )

    again = transfer(
        api_client,
        official_user,
        message,
        {"to_department": DepartmentFactory().pk, "reason": "再转"},
    )

    assert again.status_code == 403
    message.refresh_from_db()
    assert message.addressee_department == new_department


# --- The limit ---------------------------------------------------------------


def test_past_the_limit_the_moderators_decide(
    api_client, official_user, message, new_department
):
    message.transfer_count = 2
    message.save(update_fields=["transfer_count"])
    due_date = message.due_date

    response = transfer(
        api_client,
        official_user,
        message,
        {"to_department": new_department.pk, "reason": "不属于本单位"},
    )

    assert response.status_code == 202, response.content
    request = TransferRequest.objects.get(message=message)
    assert response.json() == {
        "transfer_request": request.pk,
        "status": "referred_to_moderators",
    }
    assert request.status == TransferRequest.Status.OPEN
    assert request.to_department == new_department
    assert request.requested_by == official_user
    message.refresh_from_db()
    assert message.addressee_official == official_user.official
    assert message.addressee_department is None
    assert message.transfer_count == 2
    assert message.due_date == due_date
    assert not Transfer.objects.filter(message=message).exists()
    assert MessageEvent.objects.filter(
        message=message, verb=MessageEvent.Verb.TRANSFER_REQUESTED
    ).exists()


def test_the_third_transfer_after_two_is_referred(api_client, official_user, message):
    first, second = DepartmentFactory(), DepartmentFactory()
    handler_of_first = UserFactory(roles=["handler"], department=first)
    handler_of_second = UserFactory(roles=["handler"], department=second)

    one = transfer(
        api_client, official_user, message, {"to_department": first.pk, "reason": "1"}
    )
    two = transfer(
        api_client,
        handler_of_first,
        message,
        {"to_department": second.pk, "reason": "2"},
    )
    three = transfer(
        api_client,
        handler_of_second,
        message,
        {"to_department": first.pk, "reason": "3"},
    )

    assert [one.status_code, two.status_code, three.status_code] == [200, 200, 202]
    message.refresh_from_db()
    assert message.addressee_department == second
    assert message.transfer_count == 2


def test_a_second_request_while_one_is_open_is_refused(
    api_client, official_user, message, new_department
):
    message.transfer_count = 2
    message.save(update_fields=["transfer_count"])
    data = {"to_department": new_department.pk, "reason": "不属于本单位"}
    transfer(api_client, official_user, message, data)

    response = transfer(api_client, official_user, message, data)

    assert response.status_code == 409
    assert response.json()["code"] == "already_requested"
    assert TransferRequest.objects.filter(message=message).count() == 1


# --- Bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"to_department": "{department}"}, "reason"),
        ({"to_department": "{department}", "reason": "  "}, "reason"),
        ({"reason": "职责调整"}, "to_official"),
        (
            {
                "to_department": "{department}",
                "to_official": "{official}",
                "reason": "职责调整",
            },
            "to_official",
        ),
        ({"to_department": 999999, "reason": "职责调整"}, "to_department"),
        ({"to_official": 999999, "reason": "职责调整"}, "to_official"),
        ({"to_official": "abc", "reason": "职责调整"}, "to_official"),
        ({"to_official": True, "reason": "职责调整"}, "to_official"),
        ({"to_official": 99999999999999999999999, "reason": "职责调整"}, "to_official"),
        ({"to_department": "{department}", "reason": ["a"]}, "reason"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api_client, official_user, message, new_department, data, field
):
    other = OfficialFactory()
    data = {
        key: (
            value.format(department=new_department.pk, official=other.pk)
            if isinstance(value, str) and "{" in value
            else value
        )
        for key, value in data.items()
    }

    response = transfer(api_client, official_user, message, data)

    assert response.status_code == 400, response.content
    assert field in response.json()
    message.refresh_from_db()
    assert message.transfer_count == 0
    assert message.addressee_official == official_user.official


def test_transfer_to_the_same_addressee_is_400(api_client, official_user, message):
    response = transfer(
        api_client,
        official_user,
        message,
        {"to_official": official_user.official.pk, "reason": "职责调整"},
    )

    assert response.status_code == 400
    assert "to_official" in response.json()


def test_inactive_official_is_400(api_client, official_user, message):
    retired = OfficialFactory(is_active=False)

    response = transfer(
        api_client,
        official_user,
        message,
        {"to_official": retired.pk, "reason": "职责调整"},
    )

    assert response.status_code == 400
    assert "to_official" in response.json()


@pytest.mark.parametrize("status", [MessageStatus.REPLIED, MessageStatus.CLOSED])
def test_answered_message_cannot_be_transferred(
    api_client, official_user, new_department, status
):
    message = RoutedMessageFactory(
        addressee_official=official_user.official, status=status
    )

    response = transfer(
        api_client,
        official_user,
        message,
        {"to_department": new_department.pk, "reason": "职责调整"},
    )

    assert response.status_code == 409
    assert not Transfer.objects.filter(message=message).exists()
