"""The databases: PostgreSQL through psycopg's pool when DATABASE_URL is set
(its read replicas too), else SQLite in var/. Part of config.settings.base."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Database ---
# PostgreSQL goes through psycopg's pool rather than CONN_MAX_AGE: under ASGI
# each thread keeps its own persistent connection until PostgreSQL refuses
# new clients.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # Faults (docs/security.md): with PostgreSQL down a request waits
        # DATABASE_POOL_TIMEOUT at most, then answers 503; connections are
        # checked before use (CONN_HEALTH_CHECKS) and a connection attempt
        # gives up after DATABASE_CONNECT_TIMEOUT.
        _options = _database.setdefault("OPTIONS", {})
        _options.setdefault(
            "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
        )
        _options["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "20")),
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "3")),
            # Retries back off doubling; giving up after 5 s lets the next
            # request start afresh, so a database back is used within seconds.
            "reconnect_timeout": 5,
        }
        _database["CONN_HEALTH_CHECKS"] = True
        # Django's backend, failing fast within a request that found the
        # database unreachable (config/postgresql/base.py).
        _database["ENGINE"] = "config.postgresql"
        # No parallel workers for the pages' small queries: starting them
        # cost the inbox's order query 7 of its 10 ms (docs/benchmarks.md).
        _parallel = int(os.environ.get("DATABASE_PARALLEL_WORKERS", "0"))
        _options.setdefault(
            "options", f"-c max_parallel_workers_per_gather={_parallel}"
        )
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")),
        # WAL lets readers proceed while a write is in progress.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
DATABASES = {"default": _database}
# Read replicas (board/replicas.py): comma-separated URLs of PostgreSQL
# replicas that anonymous readers' pages read from; the primary serves
# everything else. Each gets the primary's options (pool, timeouts).
ZHITONG_READ_REPLICAS = []
for _number, _url in enumerate(
    filter(None, os.environ.get("DATABASE_REPLICA_URLS", "").split(",")), start=1
):
    _replica = dj_database_url.parse(_url.strip(), conn_max_age=0)
    _replica["OPTIONS"] = {
        **_database.get("OPTIONS", {}),
        **_replica.get("OPTIONS", {}),
    }
    _replica["CONN_HEALTH_CHECKS"] = _database.get("CONN_HEALTH_CHECKS", False)
    if _replica["ENGINE"] == "django.db.backends.postgresql":
        _replica["ENGINE"] = _database["ENGINE"]
    DATABASES[f"replica{_number}"] = _replica
    ZHITONG_READ_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["board.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
