"""Read replicas for the public pages (``DATABASE_ROUTERS``).

A public board's load is reads by anonymous visitors. With
``DATABASE_REPLICA_URLS`` set, the pages that render for them (the board, a
message page, an official's page, the API list: whatever
``board.page_cache`` renders on a miss, and later search and statistics)
read from a replica picked at random, inside ``public_reads()``. Everything
else reads and writes on the primary: an action must see its own writes,
and a signed-in user their own message the moment it is saved, which a
replica a few hundred milliseconds behind would not show. An anonymous page
read from a replica that lags is at most as stale as the lag, and the page
cache's versions move only after the primary commits.
"""

import random
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_public_reads: ContextVar[bool] = ContextVar("zhitong_public_reads", default=False)


@contextmanager
def public_reads():
    """Reads in this block may go to a replica."""
    token = _public_reads.set(True)
    try:
        yield
    finally:
        _public_reads.reset(token)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "ZHITONG_READ_REPLICAS", []))


class ReplicaRouter:
    """Public reads to a replica; every write, and every other read, to the
    primary ("default"). Replicas are never migrated: they follow the
    primary."""

    def db_for_read(self, model, **hints):
        aliases = replica_aliases()
        if aliases and _public_reads.get():
            return random.choice(aliases)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's rows: objects from either relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
