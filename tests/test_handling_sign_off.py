"""Sign-off: staff replies in a department that requires it stay drafts until
one of the department's officials signs them (reply_sign_off)."""

import pytest

from board.actions import reply_create, reply_sign_off
from board.errors import InvalidTransition, NotAllowed
from board.lifecycle import MessageStatus
from board.models import (
    MessageEvent,
    Notification,
    NotificationKind,
    Reply,
    ReplyStatus,
)
from tests.factories import (
    DepartmentFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_department(handling_department):
    handling_department.requires_sign_off = True
    handling_department.save()
    return handling_department


@pytest.fixture
def accepted(signing_department, department_official):
    return RoutedMessageFactory(
        region=signing_department.region,
        addressee_official=department_official,
        status=MessageStatus.ACCEPTED,
    )


@pytest.fixture
def draft(accepted, handler_user):
    return reply_create(
        message=accepted, actor=handler_user, body="经核查，已修复。", final=True
    )


def test_a_staff_reply_waits_for_sign_off(
    accepted,
    department_official,
    handler_user,
    pushes,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = reply_create(
            message=accepted, actor=handler_user, body="经核查，已修复。", final=True
        )
    draft.refresh_from_db()
    assert (draft.status, draft.is_final, draft.published_at) == (
        ReplyStatus.DRAFT,
        True,
        None,
    )
    assert draft.signed_off_by is None
    assert Reply.objects.published().exists() is False
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.ACCEPTED
    assert accepted.last_reply_at is None
    assert MessageEvent.objects.exists() is False

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        department_official.user,
        NotificationKind.REPLY_AWAITING_SIGN_OFF,
        {"reply_id": draft.pk},
    )
    # Nothing reaches the author or the public page.
    assert [group for group, _event in pushes] == [
        f"user.{department_official.user_id}"
    ]


def test_every_official_of_the_department_is_asked(
    signing_department, accepted, handler_user, department_official
):
    second = OfficialFactory(
        user=UserFactory(official=True),
        department=signing_department,
        region=signing_department.region,
    )
    reply_create(message=accepted, actor=handler_user, body="进展", final=False)
    asked = Notification.objects.filter(kind=NotificationKind.REPLY_AWAITING_SIGN_OFF)
    assert {n.recipient for n in asked} == {department_official.user, second.user}


def test_an_interim_staff_reply_is_a_draft_too(accepted, handler_user):
    reply = reply_create(message=accepted, actor=handler_user, body="进展", final=False)
    assert reply.status == ReplyStatus.DRAFT
    assert MessageEvent.objects.exists() is False


def test_an_officials_own_reply_needs_no_sign_off(accepted, department_official):
    reply = reply_create(
        message=accepted, actor=department_official.user, body="已修复", final=True
    )
    assert reply.status == ReplyStatus.PUBLISHED
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.REPLIED


def test_staff_of_a_department_without_sign_off_publish_at_once(
    department_official, handler_user
):
    message = RoutedMessageFactory(
        addressee_official=department_official, status=MessageStatus.ACCEPTED
    )
    reply = reply_create(message=message, actor=handler_user, body="已修复", final=True)
    assert reply.status == ReplyStatus.PUBLISHED
    assert (
        Notification.objects.filter(
            kind=NotificationKind.REPLY_AWAITING_SIGN_OFF
        ).exists()
        is False
    )


def test_an_official_of_the_department_signs_off_and_the_reply_is_published(
    accepted, draft, department_official, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply_sign_off(reply=draft, actor=department_official.user)
    draft.refresh_from_db()
    assert (draft.status, draft.signed_off_by) == (
        ReplyStatus.PUBLISHED,
        department_official.user,
    )
    assert draft.published_at is not None
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.REPLIED
    assert accepted.last_reply_at == draft.published_at

    event = MessageEvent.objects.get(message=accepted)
    assert (event.verb, event.actor, event.from_status) == (
        MessageEvent.Verb.REPLIED,
        department_official.user,
        "accepted",
    )
    to_author = Notification.objects.get(recipient=accepted.author)
    assert (to_author.kind, to_author.payload) == (
        NotificationKind.MESSAGE_REPLIED,
        {"reply_id": draft.pk},
    )
    page = pushes.payloads(f"message.{accepted.pk}", "message.updated")
    assert [(p["op"], p["status"]) for p in page] == [
        ("status", "replied"),
        ("reply", "replied"),
    ]
    assert page[1]["reply_id"] == draft.pk


def test_an_official_signs_off_a_reply_to_a_message_for_the_department(
    signing_department, department_official, handler_user
):
    message = RoutedMessageFactory(
        region=signing_department.region,
        addressee_official=None,
        addressee_department=signing_department,
        status=MessageStatus.ACCEPTED,
    )
    draft = reply_create(message=message, actor=handler_user, body="已修复", final=True)
    reply_sign_off(reply=draft, actor=department_official.user)
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_staff_and_outsiders_may_not_sign_off(
    accepted, draft, handler_user, moderator, official
):
    other_department = DepartmentFactory()
    outsider = OfficialFactory(
        user=UserFactory(official=True),
        department=other_department,
        region=other_department.region,
    )
    for actor in (handler_user, outsider.user, official.user, moderator):
        with pytest.raises(NotAllowed):
            reply_sign_off(reply=draft, actor=actor)
    draft.refresh_from_db()
    assert draft.status == ReplyStatus.DRAFT
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.ACCEPTED


def test_a_published_reply_cannot_be_signed_off(draft, department_official):
    reply_sign_off(reply=draft, actor=department_official.user)
    with pytest.raises(InvalidTransition) as caught:
        reply_sign_off(reply=draft, actor=department_official.user)
    assert caught.value.code == "not_draft"
    assert MessageEvent.objects.filter(verb=MessageEvent.Verb.REPLIED).count() == 1


def test_a_final_draft_is_refused_once_the_message_was_answered(
    accepted, draft, department_official
):
    reply_create(
        message=accepted, actor=department_official.user, body="已修复", final=True
    )
    with pytest.raises(InvalidTransition):
        reply_sign_off(reply=draft, actor=department_official.user)
    draft.refresh_from_db()
    assert draft.status == ReplyStatus.DRAFT
