"""The message page reads what it shows: its timeline without who acted
(the public sees what happened and when; the API names roles, the
moderation page accounts), and of its author the masked name alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from board.models import MessageEvent
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_timeline_is_read_without_its_actors(client):
    message = MessageFactory()
    moderator = UserFactory(moderator=True, username="mod-liu")
    MessageEvent.objects.create(
        message=message, verb=MessageEvent.Verb.PUBLISHED, actor=moderator
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(message.get_absolute_url())
    assert response.status_code == 200
    events = [q["sql"] for q in queries if 'FROM "board_messageevent"' in q["sql"]]
    assert len(events) == 1
    assert "JOIN" not in events[0]
    page = response.content.decode()
    with translation.override("zh-hans"):
        assert str(MessageEvent.Verb.PUBLISHED.label) in page
    assert "mod-liu" not in page


@pytest.mark.parametrize("reader", ["anonymous", "author"])
def test_the_author_s_account_is_read_for_the_masked_name_only(client, reader):
    author = UserFactory(display_name="王小明")
    message = MessageFactory(author=author)
    if reader == "author":
        client.force_login(author)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(message.get_absolute_url())
    assert response.status_code == 200
    read = [q["sql"] for q in queries if 'FROM "board_message"' in q["sql"]]
    assert read and '"board_user"."display_name"' in read[0]
    assert not any('"board_user"."password"' in sql for sql in read)
    assert not any('"board_user"."email"' in sql for sql in read)
    assert "王**" in response.content.decode()
