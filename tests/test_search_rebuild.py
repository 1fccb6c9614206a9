"""rebuild_search_index writes every document afresh; seed_demo leaves an
index that matches its messages."""

import io

import pytest
from django.core.management import CommandError, call_command

from board.models import Message, SearchDocument
from board.selectors.search import search_messages
from board.text_terms import index_terms
from tests.factories import MessageFactory, ReplyFactory

pytestmark = pytest.mark.django_db


def rebuild(**options) -> str:
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out, **options)
    return out.getvalue()


def test_the_command_rebuilds_the_index_from_scratch():
    # Written outside a committed transaction: no document yet.
    lamp = MessageFactory(title="路灯不亮", body="幸福路的路灯坏了")
    ReplyFactory(message=lamp, body="已更换灯泡")
    others = [MessageFactory(title=f"井盖丢失{n}", body="") for n in range(4)]
    SearchDocument.objects.create(message=others[0], title_terms="stale")
    assert list(search_messages(Message.objects.all(), "路灯")) == []

    output = rebuild(batch_size=2)

    assert SearchDocument.objects.count() == 5
    assert "Indexed 5 messages in" in output
    document = SearchDocument.objects.get(message=lamp)
    assert document.title_terms.split() == index_terms("路灯不亮")
    assert document.reply_terms.split() == index_terms("已更换灯泡")
    assert list(search_messages(Message.objects.all(), "灯泡")) == [lamp]
    assert set(search_messages(Message.objects.all(), "井盖")) == set(others)


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="--batch-size"):
        rebuild(batch_size=0)


def test_seed_demo_leaves_an_index_of_its_messages(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "seed_demo", messages=120, password="pw-Test-123", stdout=io.StringIO()
        )

    assert SearchDocument.objects.count() == Message.objects.count() == 120
    message = Message.objects.public().last()
    word = index_terms(message.title)[0]
    found = list(search_messages(Message.objects.public(), word))
    assert message in found
    for other in found:
        replies = " ".join(other.replies.published().values_list("body", flat=True))
        assert word in index_terms(f"{other.shown_title} {other.shown_body} {replies}")
