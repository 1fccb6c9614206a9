"""bench/query_plans: the plans of the busiest pages at a million messages.

    .venv/bin/python bench/query_plans.py                  # 1,000,000 messages
    .venv/bin/python bench/query_plans.py --messages 200000
    .venv/bin/python bench/query_plans.py --keep           # keep the database
    .venv/bin/python bench/query_plans.py --reuse          # plan a kept one

Creates the PostgreSQL database of ``BENCH_DATABASE_URL`` (default
``zhitong_bench_plans`` on 127.0.0.1; it refuses a name that exists rather
than drop someone's database), migrates it and fills it as
``tests/test_query_plans.py`` does, with seed_demo's builders and the side
rows of ``tests/query_plans.py`` (about 7 minutes a million messages). Then
it requests every page and filter the test covers, runs ``EXPLAIN (ANALYZE,
BUFFERS)`` on each distinct query and prints, per page: its queries, the
slowest one's top plan node and time, and any large table read whole (Seq
Scan). It drops the database at the end unless ``--keep`` or ``--reuse``.
Exits 1 when a plan reads a large table whole.
"""

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhitong_bench_plans"
)
# The test settings: no page cache, local memory for the cache, tasks
# in-process, no second factor to sign staff in with.
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("PGOPTIONS", "--client-min-messages=warning")

import django  # noqa: E402


def server_arguments() -> tuple[list[str], str]:
    url = urlsplit(DATABASE_URL)
    arguments = ["-U", url.username or "postgres", "-h", url.hostname or "127.0.0.1"]
    arguments += ["-p", str(url.port or 5432)]
    return arguments, url.path.lstrip("/")


def create_database() -> None:
    arguments, name = server_arguments()
    created = subprocess.run(["createdb", *arguments, name], check=False)
    if created.returncode != 0:
        sys.exit(f"Database {name} exists; choose another in BENCH_DATABASE_URL.")


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    arguments, name = server_arguments()
    subprocess.run(["dropdb", "--if-exists", *arguments, name], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse", action="store_true", help="plan a database kept by --keep"
    )
    options = parser.parse_args()
    if not options.reuse:
        create_database()
    django.setup()
    # django-axes logs every sign-in of the test client.
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.core.management.base import OutputWrapper
    from django.db import connection
    from django.test.utils import setup_test_environment

    from tests import query_plans

    # The test client's host, and the rendered context the pages' cursors
    # are read from.
    setup_test_environment()
    try:
        if not options.reuse:
            call_command("migrate", verbosity=0)
            started = time.monotonic()
            query_plans.load_plan_data(
                options.messages, stdout=OutputWrapper(sys.stdout)
            )
            print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)
        print(f"PostgreSQL {connection.cursor().connection.info.server_version}")
        rows = query_plans.table_rows(
            ["board_message", "board_messageevent", "board_reply",
             "board_notification", "board_messageattachment", "board_messagefollow",
             "board_user", "django_session"]
        )  # fmt: skip
        print("rows: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()))
        started = time.monotonic()
        pages = query_plans.capture_pages()
        plans = query_plans.explain_pages(pages, analyze=True)
        print(f"{len(pages)} pages, {len(plans)} distinct queries planned and run "
              f"in {time.monotonic() - started:.0f} s\n")  # fmt: skip
        return report(pages, plans)
    finally:
        if not (options.keep or options.reuse):
            drop_database()


def report(pages, plans) -> int:
    by_query = {(plan.sql, repr(plan.params)): plan for plan in plans}
    print(f"{'page':<72} {'q':>3} {'ms':>8}  slowest query's top node (ms)  seq scan")
    failures = 0
    for page in pages:
        page_plans = [by_query[(sql, repr(params))] for sql, params in page.queries]
        scans = sorted({table for plan in page_plans for table in plan.seq_scans})
        failures += bool(scans)
        total = sum(plan.execution_ms for plan in page_plans)
        slowest = max(page_plans, key=lambda plan: plan.execution_ms)
        print(
            f"{page.name[:72]:<72} {len(page_plans):>3} {total:>8.1f}  "
            f"{slowest.top} ({slowest.execution_ms:.1f})  {', '.join(scans) or '-'}"
        )
    print(f"\n{failures} of {len(pages)} pages read a large table whole.")
    for plan in plans:
        if plan.seq_scans:
            print(f"\nSeq Scan on {', '.join(plan.seq_scans)} in {plan.pages[0]}:")
            print(plan.sql)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
