"""The author may edit or withdraw a message while it awaits review, and only then."""

import pytest

from board.actions import MessageDraft, message_edit, message_withdraw
from board.errors import InvalidTransition, NotAllowed
from board.lifecycle import EDITABLE_STATUSES, MessageStatus
from board.models import MessageEvent
from tests.factories import MessageFactory, png_upload

pytestmark = pytest.mark.django_db


def draft_from(message, **changes):
    values = {
        "region": message.region,
        "category": message.category,
        "kind": message.kind,
        "title": message.title,
        "body": message.body,
        "addressee_official": message.addressee_official,
        "is_public": message.is_public,
    }
    values.update(changes)
    return MessageDraft(**values)


def test_author_edits_pending_message(citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PENDING)
    message_edit(
        message=message,
        actor=citizen,
        draft=draft_from(message, title="新标题", body="*重要*的内容"),
    )
    message.refresh_from_db()
    assert message.title == "新标题"
    assert message.body_html == "<p><em>重要</em>的内容</p>\n"
    assert message.status == MessageStatus.PENDING
    assert MessageEvent.objects.filter(message=message, verb="edited").count() == 1


def test_edit_by_someone_else_is_refused(citizen, other_citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PENDING)
    with pytest.raises(NotAllowed):
        message_edit(message=message, actor=other_citizen, draft=draft_from(message))


def test_published_message_cannot_be_edited(citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PUBLISHED)
    with pytest.raises(InvalidTransition) as caught:
        message_edit(
            message=message, actor=citizen, draft=draft_from(message, title="x")
        )
    assert caught.value.code == "not_editable"
    message.refresh_from_db()
    assert message.title != "x"


def test_author_withdraws_pending_message(citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PENDING)
    message_withdraw(message=message, actor=citizen, note="已自行解决")
    message.refresh_from_db()
    assert message.status == MessageStatus.WITHDRAWN
    event = MessageEvent.objects.get(message=message, verb="withdrawn")
    assert (event.from_status, event.to_status, event.note) == (
        "pending",
        "withdrawn",
        "已自行解决",
    )


@pytest.mark.parametrize(
    "status",
    [s for s in MessageStatus.values if s not in EDITABLE_STATUSES],
)
def test_withdraw_after_review_is_an_illegal_transition(citizen, status):
    message = MessageFactory(author=citizen, status=status)
    with pytest.raises(InvalidTransition):
        message_withdraw(message=message, actor=citizen)
    message.refresh_from_db()
    assert message.status == status
    assert not MessageEvent.objects.filter(message=message).exists()


def test_withdraw_by_someone_else_is_refused(citizen, other_citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PENDING)
    with pytest.raises(NotAllowed):
        message_withdraw(message=message, actor=other_citizen)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_a_photo_removed_while_editing_is_deleted_with_its_file(
    citizen, django_capture_on_commit_callbacks
):
    message = MessageFactory(author=citizen, status=MessageStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        message_edit(
            message=message,
            actor=citizen,
            draft=draft_from(message),
            new_images=[png_upload("a.png"), png_upload("b.png")],
        )
    removed, kept = message.attachments.order_by("pk")
    storage = removed.image.storage
    with django_capture_on_commit_callbacks(execute=True):
        message_edit(
            message=message,
            actor=citizen,
            draft=draft_from(message),
            remove_attachment_ids=[removed.pk],
        )
    assert list(message.attachments.all()) == [kept]
    assert storage.exists(removed.image.name) is False
    assert storage.exists(kept.image.name) is True
