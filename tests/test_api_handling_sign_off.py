"""Sign-off: a department may require its officials to approve what its staff
(handlers) reply; drafts stay inside the department until then.

POST /api/v1/messages/{id}/replies/ by a handler gives a draft; POST
/api/v1/replies/{id}/sign-off/ by an official of the department publishes it.
"""

import pytest

from board.lifecycle import MessageStatus
from board.models import (
    MessageEvent,
    Notification,
    NotificationKind,
    Reply,
    ReplyStatus,
)
from tests.factories import (
    HandlerUserFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def post(api_client, user, path, data=None):
    api_client.force_authenticate(user)
    return api_client.post(path, data or {}, format="json")


def sign_off(api_client, user, reply_id):
    return post(api_client, user, f"/api/v1/replies/{reply_id}/sign-off/")


def detail(api_client, user, message):
    api_client.force_authenticate(user)
    return api_client.get(f"/api/v1/messages/{message.pk}/").json()


@pytest.fixture
def strict_department(handling_department):
    handling_department.requires_sign_off = True
    handling_department.save()
    return handling_department


@pytest.fixture
def message(strict_department, department_official):
    return RoutedMessageFactory(
        addressee_official=None,
        addressee_department=strict_department,
        region=strict_department.region,
        status=MessageStatus.ACCEPTED,
    )


@pytest.fixture
def draft(api_client, handler_user, message):
    response = post(
        api_client,
        handler_user,
        f"/api/v1/messages/{message.pk}/replies/",
        {"body": "经核查，路灯已修复。", "final": True},
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_handler_reply_is_a_draft(api_client, draft, message, department_official):
    assert draft["status"] == "draft"
    assert draft["published"] is None
    assert draft["is_final"] is True
    row = Reply.objects.get(pk=draft["id"])
    assert row.status == ReplyStatus.DRAFT
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED
    assert message.last_reply_at is None
    assert not MessageEvent.objects.filter(
        message=message, verb=MessageEvent.Verb.REPLIED
    ).exists()
    assert Notification.objects.filter(
        recipient=department_official.user,
        kind=NotificationKind.REPLY_AWAITING_SIGN_OFF,
        message=message,
    ).exists()
    assert not Notification.objects.filter(
        recipient=message.author, kind=NotificationKind.MESSAGE_REPLIED
    ).exists()


def test_the_draft_is_invisible_to_the_public_and_the_author(
    api_client, draft, message, other_citizen
):
    for reader in (None, message.author, other_citizen):
        data = detail(api_client, reader, message)
        assert data["replies"] == []
        assert "经核查" not in str(data)


def test_the_draft_is_visible_inside_the_department_and_to_moderators(
    api_client, draft, message, handler_user, department_official, moderator
):
    for reader in (handler_user, department_official.user, moderator):
        replies = detail(api_client, reader, message)["replies"]
        assert [(item["id"], item["status"]) for item in replies] == [
            (draft["id"], "draft")
        ]


def test_an_official_of_the_department_signs_off(
    api_client, draft, message, department_official
):
    response = sign_off(api_client, department_official.user, draft["id"])

    assert response.status_code == 200, response.content
    assert response.json()["id"] == draft["id"]
    assert response.json()["status"] == "published"
    assert response.json()["published"] is not None
    row = Reply.objects.get(pk=draft["id"])
    assert row.status == ReplyStatus.PUBLISHED
    assert row.signed_off_by == department_official.user
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED
    assert message.last_reply_at is not None
    assert Notification.objects.filter(
        recipient=message.author, kind=NotificationKind.MESSAGE_REPLIED
    ).exists()
    replies = detail(api_client, None, message)["replies"]
    assert [item["id"] for item in replies] == [draft["id"]]


def test_an_official_replies_without_sign_off(api_client, message, department_official):
    response = post(
        api_client,
        department_official.user,
        f"/api/v1/messages/{message.pk}/replies/",
        {"body": "已修复。", "final": True},
    )

    assert response.status_code == 201
    assert response.json()["status"] == "published"


def test_a_handler_cannot_sign_off(api_client, draft, handler_user):
    colleague = HandlerUserFactory(department=handler_user.department)

    for user in (handler_user, colleague):
        response = sign_off(api_client, user, draft["id"])
        assert response.status_code == 403
    assert Reply.objects.get(pk=draft["id"]).status == ReplyStatus.DRAFT


def test_a_moderator_cannot_sign_off(api_client, draft, moderator):
    assert sign_off(api_client, moderator, draft["id"]).status_code == 403
    assert Reply.objects.get(pk=draft["id"]).status == ReplyStatus.DRAFT


def test_signing_off_twice_is_409(api_client, draft, department_official):
    sign_off(api_client, department_official.user, draft["id"])

    response = sign_off(api_client, department_official.user, draft["id"])

    assert response.status_code == 409
    assert response.json()["code"] == "not_draft"


@pytest.mark.parametrize("reader", ["citizen", "stranger_official", "stranger_handler"])
def test_outsiders_do_not_find_the_draft(api_client, draft, reader):
    user = {
        "citizen": lambda: UserFactory(citizen=True),
        "stranger_official": lambda: (
            OfficialFactory(user=UserFactory(official=True)).user
        ),
        "stranger_handler": lambda: HandlerUserFactory(),
    }[reader]()

    assert sign_off(api_client, user, draft["id"]).status_code == 404
    assert Reply.objects.get(pk=draft["id"]).status == ReplyStatus.DRAFT


def test_an_official_of_another_department_cannot_sign_off_a_published_reply(
    api_client, draft, department_official
):
    sign_off(api_client, department_official.user, draft["id"])
    stranger = OfficialFactory(user=UserFactory(official=True))

    response = sign_off(api_client, stranger.user, draft["id"])

    assert response.status_code == 403


def test_anonymous_is_401(api_client, draft):
    api_client.force_authenticate(None)

    response = api_client.post(f"/api/v1/replies/{draft['id']}/sign-off/")

    assert response.status_code == 401


@pytest.mark.parametrize("reply_id", ["999999", "99999999999999999999999"])
def test_unknown_reply_is_404(api_client, department_official, reply_id):
    assert sign_off(api_client, department_official.user, reply_id).status_code == 404


def test_a_draft_interim_reply_is_signed_off_as_progress(
    api_client, handler_user, message, department_official
):
    draft = post(
        api_client,
        handler_user,
        f"/api/v1/messages/{message.pk}/replies/",
        {"body": "正在协调。"},
    ).json()
    assert draft["status"] == "draft"

    response = sign_off(api_client, department_official.user, draft["id"])

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED
    assert MessageEvent.objects.filter(
        message=message, verb=MessageEvent.Verb.INTERIM_REPLY
    ).exists()
