"""Rules written once: a length limit is a model constant that the form, the
serializer and the action all refuse at, and a text that names a setting
follows the setting."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from board.actions import (
    follow_up_allowed,
    message_transfer,
    messages_auto_close,
    rating_submit,
    reply_create,
)
from board.errors import ValidationFailed
from board.forms import MessageForm, RatingForm, ReplyForm, TransferForm
from board.lifecycle import MessageStatus
from board.models import (
    FollowUpStatus,
    Message,
    MessageEvent,
    Rating,
    Reply,
    Transfer,
)
from board.serializers import (
    ExtendSerializer,
    RatingSubmitSerializer,
    ReplyCreateSerializer,
    TransferSerializer,
)
from tests.factories import (
    FollowUpFactory,
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SCORES = {"attitude": 2, "speed": 3, "resolved": 2}


def text(length: int) -> str:
    return "字" * length


@pytest.fixture
def handled(official):
    return RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED
    )


@pytest.fixture
def replied(handled, official):
    reply_create(message=handled, actor=official.user, body="已修复", final=True)
    handled.refresh_from_db()
    return handled


@pytest.fixture
def colleague(official):
    return OfficialFactory(user=UserFactory(official=True), region=official.region)


# --- (a) One limit, refused alike by the form, the serializer and the action ---


def reply_form(message, length):
    return ReplyForm({"kind": "final", "body": text(length)}), "body"


def reply_serializer(message, length):
    return ReplyCreateSerializer(data={"body": text(length)}), "body"


def rating_form(message, length):
    return RatingForm({**SCORES, "comment": text(length)}), "comment"


def rating_serializer(message, length):
    return RatingSubmitSerializer(data={**SCORES, "comment": text(length)}), "comment"


def transfer_form(message, length):
    target = OfficialFactory(region=message.region)
    data = {"target": f"o:{target.pk}", "reason": text(length)}
    return TransferForm(data, message=message), "reason"


def transfer_serializer(message, length):
    target = OfficialFactory(region=message.region)
    data = {"to_official": target.pk, "reason": text(length)}
    return TransferSerializer(data=data), "reason"


@pytest.mark.parametrize(
    ("build", "limit"),
    [
        (reply_form, Reply.BODY_MAX_LENGTH),
        (reply_serializer, Reply.BODY_MAX_LENGTH),
        (rating_form, Rating.COMMENT_MAX_LENGTH),
        (rating_serializer, Rating.COMMENT_MAX_LENGTH),
        (transfer_form, Transfer.REASON_MAX_LENGTH),
        (transfer_serializer, Transfer.REASON_MAX_LENGTH),
    ],
)
def test_forms_and_serializers_take_the_limit_and_refuse_one_more(
    handled, build, limit
):
    at_limit, _field = build(handled, limit)
    assert at_limit.is_valid(), at_limit.errors

    over, field = build(handled, limit + 1)
    assert over.is_valid() is False
    assert list(over.errors) == [field]
    assert str(limit) in str(over.errors[field][0])


def test_reply_create_refuses_one_character_more(handled, official):
    limit = Reply.BODY_MAX_LENGTH
    with pytest.raises(ValidationFailed) as refused:
        reply_create(
            message=handled, actor=official.user, body=text(limit + 1), final=True
        )
    assert refused.value.field == "body"
    assert str(limit) in refused.value.message
    assert Reply.objects.exists() is False


def test_rating_submit_refuses_one_character_more(replied):
    limit = Rating.COMMENT_MAX_LENGTH
    with pytest.raises(ValidationFailed) as refused:
        rating_submit(
            message=replied, actor=replied.author, comment=text(limit + 1), **SCORES
        )
    assert refused.value.field == "comment"
    assert str(limit) in refused.value.message
    assert Rating.objects.exists() is False

    rating = rating_submit(
        message=replied, actor=replied.author, comment=text(limit), **SCORES
    )
    assert len(rating.comment) == limit


def test_message_transfer_refuses_one_character_more(handled, official, colleague):
    limit = Transfer.REASON_MAX_LENGTH
    with pytest.raises(ValidationFailed) as refused:
        message_transfer(
            message=handled,
            actor=official.user,
            to_official=colleague,
            reason=text(limit + 1),
        )
    assert refused.value.field == "reason"
    assert str(limit) in refused.value.message
    assert Transfer.objects.exists() is False

    transfer = message_transfer(
        message=handled, actor=official.user, to_official=colleague, reason=text(limit)
    )
    assert len(transfer.reason) == limit


# --- (b) A text that names a setting follows it ---


def replied_days_ago(message, days):
    Message.objects.filter(pk=message.pk).update(
        last_reply_at=timezone.now() - timedelta(days=days)
    )
    message.refresh_from_db()


def test_the_follow_up_window_in_the_refusal_follows_the_setting(settings, replied):
    settings.ZHITONG_FOLLOW_UP_WINDOW_DAYS = 45
    replied_days_ago(replied, 44)
    assert follow_up_allowed(replied) == (True, "")

    replied_days_ago(replied, 46)
    with translation.override("en"):
        assert follow_up_allowed(replied) == (
            False,
            "Follow-ups are possible within 45 days of the reply.",
        )
    allowed, why = follow_up_allowed(replied)
    assert (allowed, "45" in why) == (False, True)

    settings.ZHITONG_FOLLOW_UP_WINDOW_DAYS = 1
    replied_days_ago(replied, 2)
    with translation.override("en"):
        assert follow_up_allowed(replied)[1] == (
            "Follow-ups are possible within 1 day of the reply."
        )


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (1, "A message can have at most 1 follow-up."),
        (3, "A message can have at most 3 follow-ups."),
    ],
)
def test_the_follow_up_limit_in_the_refusal_follows_the_setting(
    settings, replied, limit, expected
):
    settings.ZHITONG_MAX_FOLLOW_UPS = limit
    FollowUpFactory.create_batch(limit, message=replied, status=FollowUpStatus.ANSWERED)
    with translation.override("en"):
        assert follow_up_allowed(replied) == (False, expected)


def test_the_auto_close_note_follows_the_setting(settings):
    settings.ZHITONG_AUTO_CLOSE_DAYS = 20
    now = datetime(2026, 3, 20, 3, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    message = RoutedMessageFactory(
        status=MessageStatus.REPLIED, last_reply_at=now - timedelta(days=20)
    )
    waiting = RoutedMessageFactory(
        status=MessageStatus.REPLIED, last_reply_at=now - timedelta(days=19)
    )
    with translation.override("en"):
        assert messages_auto_close(now=now) == 1
    event = MessageEvent.objects.get(message=message)
    assert event.note == "Closed automatically 20 days after the reply."
    assert MessageEvent.objects.filter(message=waiting).exists() is False


def test_the_auto_close_note_in_chinese_names_the_days(settings):
    settings.ZHITONG_AUTO_CLOSE_DAYS = 20
    message = RoutedMessageFactory(
        status=MessageStatus.REPLIED,
        last_reply_at=timezone.now() - timedelta(days=21),
    )
    with translation.override("zh-hans"):
        messages_auto_close()
    note = MessageEvent.objects.get(message=message).note
    assert "20" in note
    assert "14" not in note


def test_help_texts_follow_the_settings(settings):
    settings.ZHITONG_MAX_EXTENSION_WORKING_DAYS = 10
    settings.ZHITONG_MAX_ATTACHMENTS = 1
    with translation.override("en"):
        assert str(ExtendSerializer().fields["working_days"].help_text) == (
            "1 to 10 working days; a deadline is extended once."
        )
        assert str(ReplyCreateSerializer().fields["attachments"].help_text) == (
            "Up to 1 JPEG, PNG or WebP image (multipart only)."
        )
        assert str(ReplyForm().fields["attachments"].help_text).startswith(
            "Up to 1 JPEG, PNG or WebP image, "
        )
        assert str(MessageForm().fields["attachments"].help_text).endswith(
            "each. Location data is removed."
        )
