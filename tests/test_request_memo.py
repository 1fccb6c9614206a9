"""What a request reads from the cache once (board/request_memo.py): the
page cache's versions, the filter lists' version, the queue's health. A
request still reads its own changes, and the next request reads afresh."""

import pytest
from django.core.cache import cache
from django.test import Client

from board import filter_choices, page_cache, request_memo
from moderation.context_processors import queue_is_behind
from tests.factories import MessageFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys of every cache read, as they are made."""
    keys = []
    get, get_many = cache.get, cache.get_many
    inside_get_many = []

    def counted_get(key, *args, **kwargs):
        # The local-memory cache's get_many calls get: one read, not two.
        if not inside_get_many:
            keys.append(key)
        return get(key, *args, **kwargs)

    def counted_get_many(many, *args, **kwargs):
        keys.extend(many)
        inside_get_many.append(True)
        try:
            return get_many(many, *args, **kwargs)
        finally:
            inside_get_many.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    return keys


def test_a_page_rendered_afresh_reads_each_version_once(
    page_cache_on, settings, cache_reads
):
    settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 300
    MessageFactory(region=RegionFactory())
    # Computed by an earlier request (a first get_or_set reads twice).
    queue_is_behind()
    cache_reads.clear()

    response = Client().get("/")

    assert response["X-Page-Cache"] == "miss"
    # The middleware's key, the view's, the list fragment's and the site
    # notice's each need the versions: one read between them.
    versions = [key for key in cache_reads if key.startswith("pages:version:")]
    assert sorted(versions) == ["pages:version:lists", "pages:version:reference"]
    assert cache_reads.count(filter_choices.VERSION_KEY) == 1
    assert cache_reads.count("moderation.queue_is_behind") == 1


def test_the_next_request_reads_the_versions_again(page_cache_on, cache_reads):
    MessageFactory()
    Client().get("/")
    cache_reads.clear()

    second = Client().get("/")

    assert second["X-Page-Cache"] == "hit"
    assert "pages:version:lists" in cache_reads


def test_a_request_reads_the_versions_it_bumps(page_cache_on):
    with request_memo.request_scope():
        before = page_cache._versions([page_cache.LISTS])
        assert page_cache._versions([page_cache.LISTS]) == before
        page_cache._bump_now([page_cache.LISTS])
        after = page_cache._versions([page_cache.LISTS])
    assert after != before
    # What another request reads is what the cache has.
    assert page_cache._versions([page_cache.LISTS]) == after


def test_without_a_scope_every_ask_reads(page_cache_on, cache_reads):
    page_cache._versions([page_cache.LISTS])
    page_cache._versions([page_cache.LISTS])
    assert cache_reads.count("pages:version:lists") == 2


def test_a_version_changed_by_another_process_shows_in_the_next_request(
    page_cache_on,
):
    with request_memo.request_scope():
        first = page_cache._versions([page_cache.REFERENCE])
        # Another process bumps it: this request keeps its snapshot.
        cache.set(page_cache.VERSION_PREFIX + page_cache.REFERENCE, "elsewhere")
        assert page_cache._versions([page_cache.REFERENCE]) == first
    with request_memo.request_scope():
        assert page_cache._versions([page_cache.REFERENCE]) == ["elsewhere"]


@pytest.mark.parametrize("path", ["/", "/api/v1/messages/"])
def test_a_stored_page_is_one_cache_read(path, page_cache_on, monkeypatch):
    """The copy is read with the versions and the queue's health: a hit
    is one round trip to Redis, and so is a 304 (the board's from the
    middleware, the API list's from its view)."""
    MessageFactory()
    first = Client().get(path)
    queue_is_behind()  # kept a minute, as a page's context made it
    calls, inside = [], []

    def counted(name, real):
        # The local-memory cache's get_many calls get: one read, not many.
        def call(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "get_or_set", "add", "set"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))

    hit = Client().get(path)
    not_modified = Client().get(path, headers={"If-None-Match": first["ETag"]})

    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == first.content
    assert not_modified.status_code == 304
    assert calls == ["get_many", "get_many"]


def test_a_stored_copy_of_other_versions_is_not_served(page_cache_on, commit):
    """The URL's one copy names the key it was made under: after a change
    the copy is made again, in its place."""
    message = MessageFactory(title="旧标题")
    Client().get("/")

    with commit():
        message.title = "新标题"
        message.save()
    after = Client().get("/")
    again = Client().get("/")

    assert after["X-Page-Cache"] == "miss"
    assert "新标题" in after.content.decode()
    assert again["X-Page-Cache"] == "hit"
    assert again.content == after.content
