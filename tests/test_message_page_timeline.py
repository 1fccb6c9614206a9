"""The message page shows its timeline without reading who acted: the
public sees what happened and when, never the moderator's or official's
account (the API names roles, the moderation page names accounts)."""

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
