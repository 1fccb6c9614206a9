"""The benchmark harness works (bench/suite.py, `make bench`): its reference
application serves the references without the project's middleware and the
project's pages with it, from the same gunicorn worker, and a short wrk run
of each gives figures. A smoke test, not a measure: 200 messages, 1 s each.
"""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from bench import suite
from tests.services import (
    REQUIRE_SERVICES,
    free_port,
    require_postgres_and_redis,
    restore_migration_data,
    server_process,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_reference_app_and_wrk_runs_give_figures(tmp_path):
    require_postgres_and_redis()
    if not shutil.which("wrk"):
        # .ci/run installs it; a run that asked for the services must have it.
        if REQUIRE_SERVICES:
            pytest.fail("ZHITONG_REQUIRE_SERVICES=1 but wrk is not installed")
        pytest.skip("needs wrk (apt-get install wrk)")
    restore_migration_data()
    call_command(
        "seed_demo", "--password", "smoke-bench-pw", "--messages", "200",
        stdout=StringIO(),
    )  # fmt: skip
    port = free_port()
    command = ["gunicorn", "bench.reference_app:application", "--workers", "1",
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    # The API list needs no collected static files; the page cache stays
    # off so that no page outlives the test in the shared Redis.
    env = {"RATE_LIMITS": "off", "ZHITONG_PAGE_CACHE_SECONDS": "0"}
    with server_process(port, command, env):
        # The floor renders the layout, which needs collected static files:
        # tests/test_bench_floor.py serves it in-process instead.
        suite.check_references(port, page="/api/v1/messages/", floor=False)
        runs = {
            path: suite.wrk(
                port, [path], name=path, workdir=tmp_path, seconds=1, connections=2
            )
            for path in ("/bench/board-like", "/bench/fixed", "/api/v1/messages/")
        }
    for path, figures in runs.items():
        assert figures["requests"] > 0, path
        assert figures["unexpected"] == 0, path
        assert figures["p99_ms"] > 0, path
