"""Django's PostgreSQL backend, failing fast once the database is found
unreachable.

A worker waits at most DATABASE_POOL_TIMEOUT for a connection from psycopg's
pool, then answers 503 (board/api/common.py). A request that lost the
database half-way would wait that long again at each later attempt to get
one: Django's ``atomic()`` reconnects to restore autocommit after a failed
rollback, a task run in-process on commit reads again, then the answer's own
reads. Three such waits made a 9-second 503 where 3 seconds were promised
(tests/test_fault_database_restart.py). So after an attempt to get a
connection fails, this thread's attempts in the next second fail at once
with the same error: long enough for the rest of a request to give up,
short enough that a database back up is used straight away.

Written here rather than taken from a library: psycopg_pool has no such
mode, and a circuit breaker package would wrap the same ten lines.
"""

import time

from django.db import OperationalError
from django.db.backends.postgresql import base

FAIL_FAST_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    # Django keeps one wrapper per alias and thread: the window is the
    # thread's own, as the request it serves is.
    unreachable_until = 0.0

    def get_new_connection(self, conn_params):
        if time.monotonic() < self.unreachable_until:
            raise OperationalError(
                "The database was unreachable a moment ago; not waiting again."
            )
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError:
            # Connection refused, timed out, or the pool's wait ran out
            # (psycopg_pool.PoolTimeout is one of psycopg's).
            self.unreachable_until = time.monotonic() + FAIL_FAST_SECONDS
            raise
