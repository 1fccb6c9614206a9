"""Search never finds what the reader may not see: it narrows the reader's
queryset, and the index holds only what the public reads of a message."""

import pytest
from django.core.cache import cache

from board.lifecycle import MessageStatus
from board.models import Message, ReplyStatus
from board.selectors.search import (
    TERM_SAMPLE_CACHE_KEY,
    search_highlight,
    search_messages,
    similar_messages,
)
from moderation.actions import (
    message_approve,
    message_hide,
    message_redact,
    message_restore,
    reply_hide,
    reply_redact,
    reply_restore,
)
from moderation.selectors import queue_items
from tests.factories import MessageFactory, PendingMessageFactory, ReplyFactory

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    {"status": MessageStatus.PENDING},
    {"status": MessageStatus.CHANGES_REQUESTED},
    {"status": MessageStatus.REJECTED},
    {"status": MessageStatus.WITHDRAWN},
    {"status": MessageStatus.HIDDEN},
    {"status": MessageStatus.REPLIED, "is_public": False},
]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed (the index follows)."""
    cache.delete(TERM_SAMPLE_CACHE_KEY)

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def public_search(text: str) -> list[Message]:
    # As the board asks: on PostgreSQL the index then hands over only the
    # documents it holds as public, a copy kept by triggers (migration 0024).
    return list(search_messages(Message.objects.public(), text, public_only=True))


@pytest.mark.parametrize(
    "fields", NOT_PUBLIC, ids=lambda f: "-".join(map(str, f.values()))
)
def test_public_search_finds_no_message_the_public_may_not_see(committed, fields):
    hidden = committed(MessageFactory, title="井盖丢失无人管", **fields)

    assert public_search("井盖") == []
    assert similar_messages("井盖丢失") == []
    # The text is in the index all the same: a reader who may see the
    # message finds it.
    assert list(search_messages(Message.objects.all(), "井盖")) == [hidden]


def test_the_moderation_queue_finds_pending_messages(committed):
    pending = committed(MessageFactory, title="井盖丢失", status=MessageStatus.PENDING)
    committed(MessageFactory, title="井盖松动")

    assert list(search_messages(queue_items("pending"), "井盖")) == [pending]


def test_a_message_is_found_once_approved(committed, moderator):
    message = committed(PendingMessageFactory, title="井盖丢失")
    assert public_search("井盖") == []

    committed(message_approve, message=message, actor=moderator)

    assert public_search("井盖") == [message]
    assert [found for found, _score in similar_messages("井盖丢失")] == [message]


def test_a_hidden_message_is_found_again_once_restored(committed, moderator):
    message = committed(MessageFactory, title="井盖丢失")
    assert public_search("井盖") == [message]

    committed(message_hide, message=message, actor=moderator, reason="abusive")
    assert public_search("井盖") == []

    committed(message_restore, message=message, actor=moderator)
    assert public_search("井盖") == [message]


def test_redacted_words_are_neither_found_nor_shown(committed, moderator):
    message = committed(
        MessageFactory,
        title="井盖丢失",
        body="请联系王小明，井盖在幸福路口。",
    )
    assert public_search("王小明") == [message]

    committed(
        message_redact,
        message=message,
        actor=moderator,
        title="井盖丢失",
        body="请联系***，井盖在幸福路口。",
    )
    message.refresh_from_db()

    assert public_search("王小明") == []
    assert public_search("幸福路") == [message]
    snippet = search_highlight(message.shown_body, "王小明 幸福路")
    assert "王小明" not in snippet
    assert "<mark>幸福路</mark>" in snippet


def test_only_published_replies_are_searched(committed, moderator):
    message = committed(MessageFactory, title="井盖丢失")
    committed(
        ReplyFactory, message=message, body="草稿：已联系市政", status=ReplyStatus.DRAFT
    )
    assert public_search("市政") == []

    reply = committed(ReplyFactory, message=message, body="市政养护中心已补装井盖")
    assert public_search("养护") == [message]

    committed(reply_hide, reply=reply, actor=moderator, reason="abusive")
    assert public_search("养护") == []

    committed(reply_restore, reply=reply, actor=moderator)
    assert public_search("养护") == [message]

    committed(reply_redact, reply=reply, actor=moderator, body="有关部门已补装井盖")
    assert public_search("养护") == []
    assert public_search("有关部门") == [message]


def test_a_save_that_changes_no_text_leaves_the_index_alone(
    committed, django_assert_num_queries
):
    message = committed(MessageFactory, title="井盖丢失")
    message.support_count = 3
    with django_assert_num_queries(1):
        committed(message.save, update_fields=["support_count"])
