"""config/postgresql: once a connection could not be had, the same thread's
next attempts within a second fail at once, so that a request that lost the
database answers 503 after one wait, not one per later read."""

import psycopg_pool
import pytest
from django.db import OperationalError
from django.db.backends.postgresql import base as django_postgresql

from board.api.common import is_database_unavailable
from config.postgresql import base as fail_fast


class Pool:
    """Stands for psycopg's pool behind Django's backend: each attempt to
    get a connection is counted, and times out while ``down``."""

    def __init__(self):
        self.attempts = 0
        self.down = True

    def get_new_connection(self, conn_params):
        self.attempts += 1
        if self.down:
            raise psycopg_pool.PoolTimeout("couldn't get a connection after 3.00 sec")
        return "a connection"


@pytest.fixture
def pool(monkeypatch):
    pool = Pool()
    monkeypatch.setattr(
        django_postgresql.DatabaseWrapper, "get_new_connection", pool.get_new_connection
    )
    return pool


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(fail_fast.time, "monotonic", lambda: now[0])
    return now


def wrapper():
    return fail_fast.DatabaseWrapper({"OPTIONS": {}}, alias="probe")


def test_after_a_failed_attempt_the_next_fails_at_once(pool, clock):
    database = wrapper()
    with pytest.raises(psycopg_pool.PoolTimeout):
        database.get_new_connection({})
    clock[0] += 0.5
    with pytest.raises(OperationalError) as failed:
        database.get_new_connection({})
    # The pool was not asked again; the error still answers 503.
    assert pool.attempts == 1
    assert is_database_unavailable(failed.value)


def test_after_the_window_the_pool_is_asked_again(pool, clock):
    database = wrapper()
    with pytest.raises(psycopg_pool.PoolTimeout):
        database.get_new_connection({})
    clock[0] += fail_fast.FAIL_FAST_SECONDS
    pool.down = False
    assert database.get_new_connection({}) == "a connection"
    assert database.get_new_connection({}) == "a connection"
    assert pool.attempts == 3


def test_another_thread_s_connection_still_waits_for_the_pool(pool, clock):
    # Django keeps a wrapper per thread: one request's failure is its own.
    first, second = wrapper(), wrapper()
    with pytest.raises(psycopg_pool.PoolTimeout):
        first.get_new_connection({})
    pool.down = False
    assert second.get_new_connection({}) == "a connection"
    assert pool.attempts == 2
