"""No page reads a large table whole, on PostgreSQL with 20,000 messages:
the public board under every filter and both orders, first page
and a page after a cursor; the API's list; an official's page; the message
page, anonymous and as its author; every tab and filter of the moderation
queue with its counts; the inbox of an official and of department staff.

``tests/query_plans.py`` loads the data (seed_demo's builders and the rows
the pages read besides messages), requests the pages through the test client
and keeps each request's SQL, so the plans are of the queries the code runs
today. Each distinct query is planned with ``EXPLAIN (FORMAT JSON)``; a
``Seq Scan`` node on any table not listed in ``SMALL_TABLES`` fails the
test, naming the pages, the query and its plan. ``bench/query_plans.py``
runs the same at a million messages with ``EXPLAIN ANALYZE``; what to do
when this fails is in docs/benchmarks.md, "Query plans".

20,000 is the smallest size tried at which dropping any index these pages
rely on makes a plan read its table instead, the same indexes as at 40,000
(docs/benchmarks.md).
"""

import time

import pytest

from tests.query_plans import (
    MEANINGFUL_ROWS,
    capture_pages,
    explain_pages,
    explain_text,
    load_plan_data,
    table_rows,
)
from tests.services import require_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

MESSAGES = 20_000


def describe(plans) -> str:
    tables = {table for plan in plans for table in plan.seq_scans}
    rows = table_rows(tables)
    parts = []
    for plan in plans:
        notes = [
            f"{table} ({rows.get(table, 0):,} rows"
            + (
                ", perhaps too few to judge: give it more rows in load_plan_data"
                if rows.get(table, 0) < MEANINGFUL_ROWS
                else ""
            )
            + ")"
            for table in plan.seq_scans
        ]
        pages = "; ".join(plan.pages[:5])
        if len(plan.pages) > 5:
            pages += f"; and {len(plan.pages) - 5} more pages"
        parts.append(
            f"Seq Scan on {', '.join(notes)}\npages: {pages}\n"
            f"{plan.readable_sql()}\n{explain_text(plan.sql, plan.params)}"
        )
    return "\n\n".join(parts)


def test_no_page_reads_a_large_table_whole():
    require_postgres("query plans are PostgreSQL's")
    started = time.monotonic()
    load_plan_data(MESSAGES)
    loaded = time.monotonic()
    pages = capture_pages()
    plans = explain_pages(pages)
    print(
        f"{MESSAGES:,} messages loaded in {loaded - started:.1f} s; "
        f"{len(pages)} pages, {len(plans)} distinct queries planned in "
        f"{time.monotonic() - loaded:.1f} s"
    )

    assert [page.name for page in pages if page.status_code != 200] == []
    assert len(pages) > 100
    failures = [plan for plan in plans if plan.seq_scans]
    if failures:
        pytest.fail(describe(failures), pytrace=False)
