"""Helpers for tests that need the real services (PostgreSQL, Redis) and
real server processes."""

import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = os.environ.get("ZHITONG_REQUIRE_SERVICES") == "1"
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]


def require_postgres(why: str) -> None:
    """Skip on the embedded run (SQLite); fail when the run asked for the
    services. ``why`` says what needs PostgreSQL."""
    if connection.vendor == "postgresql":
        return
    if REQUIRE_SERVICES:
        pytest.fail("ZHITONG_REQUIRE_SERVICES=1 but the database is not PostgreSQL")
    pytest.skip(f"{why} (run with DATABASE_URL)")


def require_postgres_and_redis():
    """Skip on the embedded run; fail when the run asked for the services."""
    have = connection.vendor == "postgresql" and bool(os.environ.get("REDIS_URL"))
    if have:
        return
    if REQUIRE_SERVICES:
        pytest.fail("ZHITONG_REQUIRE_SERVICES=1 but PostgreSQL/Redis are not in use")
    pytest.skip("needs PostgreSQL and Redis (run with DATABASE_URL and REDIS_URL)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def server_env(env: dict | None = None) -> dict:
    """The environment of a production-like worker using the test database;
    ``env`` adds or overrides variables (another ``DATABASE_URL``, …)."""
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The test process's own (throwaway) key: production refuses the
        # keys written in the repository (docs/security.md).
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_BACKEND": "console",
        "DATABASE_POOL_MIN_SIZE": "1",
        "DATABASE_POOL_MAX_SIZE": "4",
        # As in config/settings/test.py: the officials these tests create
        # sign in by API token or session cookie, with no second factor.
        "ZHITONG_STAFF_SECOND_FACTOR": "0",
        **(env or {}),
    }


@contextmanager
def server_process(port: int, command: list[str], env: dict | None = None):
    """A server process on a port, using the test database (or what ``env``
    says); its log goes to var/test-logs/ for when a test fails."""
    logs = ROOT / "var" / "test-logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = open(logs / f"worker-{port}.log", "ab")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=server_env(env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def asgi_worker(port: int, env: dict | None = None):
    """One ASGI worker process (daphne): pages and WebSockets."""
    return server_process(
        port,
        ["daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        env,
    )


def uvicorn_worker(port: int):
    """One uvicorn worker process, as production runs for /ws/."""
    return server_process(
        port,
        ["uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--ws-per-message-deflate", "false"],
    )  # fmt: skip


def wsgi_worker(port: int, env: dict | None = None, workers: int = 1):
    """A WSGI server (gunicorn, sync workers): pages only, as in production."""
    return server_process(
        port,
        ["gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "config.wsgi:application"],
        env,
    )  # fmt: skip


def redis_stop() -> None:
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"],
        capture_output=True,
        check=False,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", 6379)) != 0:
                return
        time.sleep(0.1)
    raise TimeoutError("Redis did not stop")


def redis_start() -> None:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 6379)) == 0:
            return
    subprocess.run(REDIS_START, check=True, capture_output=True)
    wait_for_port(6379)


def manage(*args: str, env: dict | None = None, timeout: float = 60) -> str:
    """``manage.py`` in a process of its own, as a worker would run it (the
    test database, or what ``env`` says); its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def django_json(code: str, env: dict | None = None):
    """Run ``code`` in ``manage.py shell`` against that database; it ends by
    printing one JSON value, returned here."""
    lines = manage("shell", "--no-imports", "-c", code, env=env).strip().splitlines()
    return json.loads(lines[-1])


# --- A PostgreSQL cluster of the test's own ---

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def require_postgres_binaries() -> None:
    """Skip without PostgreSQL's server programs; fail when the run asked for
    the services."""
    as_root = os.geteuid() == 0
    if (POSTGRES_BIN / "initdb").exists() and (not as_root or shutil.which("runuser")):
        return
    reason = f"needs PostgreSQL's initdb and pg_ctl in {POSTGRES_BIN}"
    if REQUIRE_SERVICES:
        pytest.fail(f"ZHITONG_REQUIRE_SERVICES=1 but the test {reason}")
    pytest.skip(reason)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb in a temporary folder, trust
    authentication, 127.0.0.1 on a free port) that a test may stop and start;
    the shared cluster is never touched. PostgreSQL refuses to run as root,
    so as root its programs run as the ``postgres`` user."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/zhitong"

    def _run(self, program: str, *args: str) -> None:
        command = [str(POSTGRES_BIN / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync")  # fmt: skip

    def start(self) -> None:
        # fsync off: a killed server loses nothing the OS already holds.
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off"
        )
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log,
                  "-w", "-t", "30", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop at once, as a crash would: no checkpoint, clients cut off."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def create_database(self) -> None:
        with psycopg.connect(
            f"postgres://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as server:
            server.execute("CREATE DATABASE zhitong")


@contextmanager
def private_postgres():
    """A started private cluster with an empty database ``zhitong``."""
    folder = Path(tempfile.mkdtemp(prefix="zhitong-postgres-"))
    cluster = PrivatePostgres(folder)
    try:
        cluster.init()
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError):  # not running
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def restore_migration_data() -> None:
    """The roles and categories the data migration made: a test with
    ``transaction=True`` empties every table when it ends, so a later one
    that seeds demo data (which expects them) puts them back first."""
    importlib.import_module("board.migrations.0002_roles_and_categories").create(
        apps, None
    )
