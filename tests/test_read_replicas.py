"""The read-replica router (board/replicas.py), with two database aliases:
anonymous readers' pages read from the replica, everything else and every
write from the primary. The test settings' "replica" mirrors the test
database, so both see the same rows."""

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from board.models import Message
from board.replicas import ReplicaRouter, public_reads
from moderation.context_processors import QUEUE_IS_BEHIND_CACHE_KEY
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def _one_replica(settings):
    settings.ZHITONG_READ_REPLICAS = ["replica"]
    # The site notice's queue health is read once a minute from the primary
    # (a moderation figure, not a public read): known here, so that it does
    # not show up among the pages' queries.
    cache.set(QUEUE_IS_BEHIND_CACHE_KEY, False)
    yield
    # The replica alias has connections (and on PostgreSQL a pool) of its
    # own: closed, or the test database could not be dropped at the end.
    replica = connections["replica"]
    replica.close()
    if hasattr(replica, "close_pool"):
        replica.close_pool()


def queries_on_each(request):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = request()
    return response, primary, replica


def message_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "board_message" in q["sql"]]


@pytest.mark.parametrize(
    "path",
    ["/", "/api/v1/messages/", "/messages/{id}/", "/officials/{official}/"],
    ids=["board", "api list", "message page", "official page"],
)
def test_anonymous_pages_read_from_the_replica(path, settings):
    message = MessageFactory(title="江州大道路灯不亮")
    url = path.format(id=message.pk, official=message.addressee_official_id)

    response, primary, replica = queries_on_each(lambda: Client().get(url))

    assert response.status_code == 200
    assert "江州大道路灯不亮" in response.content.decode()
    assert message_queries(replica)
    assert not message_queries(primary)


def test_cached_pages_are_rendered_from_the_replica(settings):
    settings.ZHITONG_PAGE_CACHE_SECONDS = 300
    MessageFactory()
    _response, primary, replica = queries_on_each(lambda: Client().get("/?kind=x"))
    assert message_queries(replica)
    assert not message_queries(primary)


def test_signed_in_readers_read_from_the_primary():
    citizen = UserFactory(citizen=True)
    MessageFactory(author=citizen)
    client = Client()
    client.force_login(citizen)

    for path in ("/", "/me/messages/"):
        response, primary, replica = queries_on_each(lambda p=path: client.get(p))
        assert response.status_code == 200
        assert message_queries(primary)
        assert not replica.captured_queries


def test_writes_go_to_the_primary_even_inside_public_reads():
    router = ReplicaRouter()
    with public_reads():
        assert router.db_for_read(Message) == "replica"
        assert router.db_for_write(Message) == "default"
    assert router.db_for_read(Message) == "default"
    assert router.allow_migrate("replica", "board") is False
    assert router.allow_migrate("default", "board") is True


def test_without_replicas_everything_reads_from_the_primary(settings):
    settings.ZHITONG_READ_REPLICAS = []
    MessageFactory()
    _response, primary, replica = queries_on_each(lambda: Client().get("/"))
    assert message_queries(primary)
    assert not replica.captured_queries
