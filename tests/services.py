"""Helpers for tests that need the real services (PostgreSQL, Redis) and
real server processes."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
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


def server_env() -> dict:
    """The environment of a production-like worker using the test database."""
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The test process's own (throwaway) key: production refuses the
        # keys written in the repository (docs/security.md).
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_BACKEND": "console",
        "DATABASE_POOL_MIN_SIZE": "1",
        "DATABASE_POOL_MAX_SIZE": "4",
    }


@contextmanager
def server_process(port: int, command: list[str]):
    """A server process on a port, using the test database; its log goes to
    var/test-logs/ for when a test fails."""
    logs = ROOT / "var" / "test-logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = open(logs / f"worker-{port}.log", "ab")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=server_env(),
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


def asgi_worker(port: int):
    """One ASGI worker process (daphne): pages and WebSockets."""
    return server_process(
        port, ["daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    )


def uvicorn_worker(port: int):
    """One uvicorn worker process, as production runs for /ws/."""
    return server_process(
        port,
        ["uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--ws-per-message-deflate", "false"],
    )  # fmt: skip


def wsgi_worker(port: int):
    """One WSGI worker process (gunicorn): pages only, as in production."""
    return server_process(
        port,
        ["gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "config.wsgi:application"],
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
