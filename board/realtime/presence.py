"""Presence: is a user connected right now? A counter per user in the cache,
kept alive by the socket's heartbeats; emails go only to users who are not."""

from collections.abc import Iterable

from django.core.cache import cache

ONLINE_SECONDS = 90


# --- Presence: is the user connected right now? ---


def _presence_key(user_id: int) -> str:
    return f"presence:{user_id}"


def presence_connect(user_id: int) -> int:
    """Count one more open socket of the user; the count, this one included
    (the per-account socket cap reads it)."""
    key = _presence_key(user_id)
    cache.add(key, 0, ONLINE_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, ONLINE_SECONDS)
        count = 1
    cache.touch(key, ONLINE_SECONDS)
    return count


def presence_touch(user_id: int) -> None:
    cache.touch(_presence_key(user_id), ONLINE_SECONDS)


def presence_disconnect(user_id: int) -> None:
    key = _presence_key(user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def is_online(user_id: int) -> bool:
    return (cache.get(_presence_key(user_id)) or 0) > 0


def online_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Which of these users have a socket open: one cache round trip."""
    keys = {_presence_key(user_id): user_id for user_id in user_ids}
    found = cache.get_many(list(keys))
    return {keys[key] for key, count in found.items() if (count or 0) > 0}
