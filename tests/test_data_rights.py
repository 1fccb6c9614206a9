"""A citizen's data rights: the download of everything about the account,
and deleting it (moderation.actions.data_rights, the "My data" page)."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.utils import translation

from board.actions import (
    follow_up_submit,
    message_follow,
    notify,
    rating_submit,
    reply_create,
)
from board.errors import NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    MessageEvent,
    MessageFollow,
    Notification,
    NotificationKind,
    User,
)
from moderation.actions import account_delete, account_export, message_report
from moderation.models import AuditEvent, AuditVerb
from tests.factories import (
    TEST_PASSWORD,
    MessageFactory,
    PendingMessageFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(citizen, other_citizen, official):
    """The citizen's messages (answered, rated, asked again; pending; a
    private one), a follow, a notification and a report; and another
    citizen's private message and notification that must stay out."""
    citizen.display_name = "王小明"
    citizen.save()
    answered = RoutedMessageFactory(
        author=citizen,
        addressee_official=official,
        status=MessageStatus.ACCEPTED,
        title="路灯坏了",
        contact_phone="13912345678",
    )
    reply_create(message=answered, actor=official.user, body="已修复", final=True)
    answered.refresh_from_db()
    rating_submit(message=answered, actor=citizen, attitude=2, speed=2, resolved=1)
    follow_up_submit(message=answered, actor=citizen, body="还是不亮")
    pending = PendingMessageFactory(author=citizen, title="井盖丢了")
    private = MessageFactory(
        author=other_citizen,
        is_public=False,
        title="Someone else's private message",
        contact_phone="13800000000",
    )
    followed = MessageFactory(author=other_citizen, title="A public message")
    message_follow(message=followed, user=citizen)
    notify(
        recipient=other_citizen, kind=NotificationKind.MESSAGE_APPROVED, message=private
    )
    message_report(message=followed, reporter=citizen, reason="广告")
    return {
        "answered": answered,
        "pending": pending,
        "private": private,
        "followed": followed,
    }


def test_export_contains_the_users_data(citizen, history):
    data = account_export(user=citizen)

    assert data["account"]["email"] == citizen.email
    assert data["account"]["display_name"] == "王小明"
    assert citizen.email in [a["email"] for a in data["account"]["email_addresses"]]
    by_reference = {m["reference"]: m for m in data["messages"]}
    answered = by_reference[history["answered"].reference]
    assert answered["title"] == "路灯坏了"
    assert answered["contact_phone"] == "13912345678"
    assert [reply["body"] for reply in answered["replies"]] == ["已修复"]
    assert [f["body"] for f in answered["follow_ups"]] == ["还是不亮"]
    assert answered["ratings"][0]["attitude"] == 2
    assert answered["timeline"], "the timeline is included"
    assert history["pending"].reference in by_reference
    assert [f["reference"] for f in data["follows"]] == [history["followed"].reference]
    assert [r["reason"] for r in data["reports"]] == ["广告"]
    assert data["notifications"], "the user's notifications are included"


def test_export_has_nothing_private_of_others(citizen, history, official):
    text = json.dumps(account_export(user=citizen), ensure_ascii=False)

    assert "Someone else's private message" not in text
    assert "13800000000" not in text
    # Staff are named by role only.
    assert official.user.username not in text
    assert official.user.email not in text


def test_export_is_audited(citizen):
    account_export(user=citizen)

    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_EXPORTED)
    assert (event.actor, event.target_type, event.target_id) == (
        citizen,
        "user",
        str(citizen.pk),
    )


def test_delete_erases_personal_data_and_keeps_public_messages(
    citizen, history, django_capture_on_commit_callbacks
):
    status_before = history["answered"].status
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=citizen, password=TEST_PASSWORD)

    citizen.refresh_from_db()
    assert citizen.email == ""
    assert citizen.display_name == ""
    assert citizen.username == f"deleted-{citizen.pk}"
    assert citizen.is_active is False
    assert citizen.has_usable_password() is False
    assert citizen.deleted_at is not None
    assert list(citizen.groups.all()) == []
    with translation.override("en"):
        assert str(citizen) == "Deleted user"
    assert EmailAddress.objects.filter(user=citizen).exists() is False
    assert Notification.objects.filter(recipient=citizen).exists() is False
    assert MessageFollow.objects.filter(user=citizen).exists() is False

    answered = history["answered"]
    answered.refresh_from_db()
    assert answered.author_id == citizen.pk
    assert answered.status == status_before
    assert answered.is_on_public_board is True
    assert answered.contact_phone == ""

    pending = history["pending"]
    pending.refresh_from_db()
    assert pending.status == MessageStatus.WITHDRAWN
    assert pending.events.filter(verb=MessageEvent.Verb.WITHDRAWN).exists()

    followed = history["followed"]
    followed.refresh_from_db()
    assert followed.support_count == 0
    # The other citizen's data is untouched.
    history["private"].refresh_from_db()
    assert history["private"].contact_phone == "13800000000"


def test_delete_is_audited(citizen):
    account_delete(user=citizen, password=TEST_PASSWORD)

    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_DELETED)
    assert (event.actor_id, event.target_type, event.target_id) == (
        citizen.pk,
        "user",
        str(citizen.pk),
    )
    # The trail keeps no personal data of the erased account.
    assert event.extra == {}


def test_wrong_password_changes_nothing(citizen):
    with pytest.raises(ValidationFailed) as error:
        account_delete(user=citizen, password="wrong")

    assert error.value.field == "password"
    citizen.refresh_from_db()
    assert citizen.is_active is True
    assert citizen.deleted_at is None
    assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_DELETED).exists() is False


@pytest.mark.parametrize("role", ["moderator", "official", "admin"])
def test_staff_accounts_are_not_deleted_here(role):
    user = UserFactory(**{role: True})

    with pytest.raises(NotAllowed):
        account_delete(user=user, password=TEST_PASSWORD)

    user.refresh_from_db()
    assert user.is_active is True


def test_deleted_user_cannot_log_in(client, citizen):
    username, email = citizen.username, citizen.email
    account_delete(user=citizen, password=TEST_PASSWORD)

    for login in (username, email):
        response = client.post(
            "/accounts/login/", {"login": login, "password": TEST_PASSWORD}
        )
        assert SESSION_KEY not in client.session
        assert response.status_code == 200  # the form again, with an error


# --- The "My data" page ---


def test_page_offers_download_and_deletion(client, citizen):
    client.force_login(citizen)

    page = client.get("/me/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "/me/data/export/" in page
    assert "/me/data/delete/" in page
    assert 'type="password"' in page


def test_page_download_is_a_json_file(client, citizen):
    client.force_login(citizen)

    response = client.post("/me/data/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["account"]["username"] == citizen.username


def test_page_delete_logs_out(client, citizen, history):
    client.force_login(citizen)

    response = client.post("/me/data/delete/", {"password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/me/deleted/"
    assert SESSION_KEY not in client.session
    assert client.get("/me/data/").status_code == 302  # to the login page
    assert User.objects.get(pk=citizen.pk).deleted_at is not None


def test_page_delete_with_wrong_password_is_a_400(client, citizen):
    client.force_login(citizen)

    response = client.post(
        "/me/data/delete/", {"password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "The password is not correct." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.is_active is True


def test_other_sessions_end_with_the_deletion(client, citizen):
    other_device = type(client)()
    other_device.force_login(citizen)
    client.force_login(citizen)

    client.post("/me/data/delete/", {"password": TEST_PASSWORD})

    assert other_device.get("/me/data/").status_code == 302
