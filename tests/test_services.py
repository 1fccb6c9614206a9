"""The run uses the services it was asked for: PostgreSQL + Redis, or embedded.

With ZHITONG_REQUIRE_SERVICES=1 (the second run of .ci/run) these fail, never
skip, when PostgreSQL or Redis is not what the suite is talking to.
"""

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection

REQUIRE_SERVICES = os.environ.get("ZHITONG_REQUIRE_SERVICES") == "1"


def test_required_services_are_configured():
    if REQUIRE_SERVICES:
        assert os.environ.get("DATABASE_URL", "").startswith("postgres")
        assert os.environ.get("REDIS_URL", "").startswith("redis")
    else:
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"]


@pytest.mark.django_db
def test_database_is_the_configured_one():
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if connection.vendor == "postgresql":
        # Connections come from psycopg's pool, never CONN_MAX_AGE.
        assert settings.DATABASES["default"]["OPTIONS"]["pool"]
        assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
        # Django's backend, failing fast after the database is found down.
        assert settings.DATABASES["default"]["ENGINE"] == "config.postgresql"


def test_channel_layer_round_trip():
    layer = get_channel_layer()
    if not os.environ.get("REDIS_URL"):
        expected = "channels.layers.InMemoryChannelLayer"
    elif os.environ.get("CHANNEL_LAYER") == "core":
        expected = "channels_redis.core.RedisChannelLayer"
    else:
        expected = "board.realtime.channel_layer.BoundedRedisPubSubChannelLayer"
    backend = f"{type(layer).__module__}.{type(layer).__name__}"
    assert backend == expected

    async def round_trip():
        channel = await layer.new_channel()
        group = f"test.{uuid.uuid4().hex}"
        await layer.group_add(group, channel)
        await layer.group_send(group, {"type": "probe", "value": "你好"})
        received = await layer.receive(channel)
        await layer.group_discard(group, channel)
        return received

    assert async_to_sync(round_trip)() == {"type": "probe", "value": "你好"}


def test_cache_round_trip():
    key = f"probe-{uuid.uuid4().hex}"
    cache.set(key, "直通", 30)
    assert cache.get(key) == "直通"
    if os.environ.get("REDIS_URL"):
        assert type(caches["default"]).__name__ == "RedisCache"
