"""bench/export: stream the open data exports messages.csv and messages.jsonl
from a seeded database and show that memory stays constant.

Runs against a database that is already seeded and migrated (it seeds and
drops nothing). For each file it prints the rows and bytes sent, the
elapsed seconds, rows per second, and the process's peak RSS
(``ru_maxrss``) before and after: a constant-memory export leaves the peak
where the first thousand rows put it, whatever the number of rows.

By default the files are read from the generators the views send
(board/open_data/exports.py); ``--client`` goes through the whole view with
Django's test client instead (middleware, filters, StreamingHttpResponse).
``--rows N`` stops each file after N rows (all by default); ``--from``,
``--to``, ``--region`` and ``--category`` are the export's filters.

    .venv/bin/python bench/export.py \\
        --database-url postgres://postgres@127.0.0.1:5432/zhitong_x [--rows 1000000]
"""

import argparse
import json
import os
import resource
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ("csv", "jsonl")


def configure(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["EMAIL_BACKEND"] = "console"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # The bench reads as fast as it can: no rate limit applies.
    os.environ["RATE_LIMITS"] = "off"
    import django

    django.setup()
    from django.conf import settings

    settings.ZHITONG_RATE_LIMITS_ENABLED = False


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def counting_dataset(limit: int | None, rows: list[int]):
    """The messages dataset, counting its rows (and stopping after
    ``limit``), put where the view finds it."""
    import dataclasses

    from board.open_data import datasets

    original = datasets.MESSAGES

    def counted_rows(filters):
        for row in original.rows(filters):
            if limit is not None and rows[0] >= limit:
                return
            rows[0] += 1
            yield row

    dataset = dataclasses.replace(original, rows=counted_rows)
    datasets.DATASETS["messages"] = dataset
    return dataset


def blocks_from_generator(format_name: str, query: dict, dataset):
    """The file's blocks as the view sends them."""
    from board.open_data import exports

    blocks, _content_type = exports.export_stream(
        dataset, format_name, exports.ExportFilters(**query)
    )
    return blocks


def blocks_from_client(format_name: str, query: dict, dataset):
    """The file's blocks through the view."""
    from django.test import Client
    from django.urls import reverse

    params = {
        key: value
        for key, value in {
            "from": query.get("start"),
            "to": query.get("end"),
            "region": query.get("region_id"),
            "category": query.get("category_id"),
        }.items()
        if value is not None
    }
    response = Client().get(
        reverse("open_data:export", args=[dataset.name, format_name]), params
    )
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.content[:500]!r}")
    try:
        yield from response.streaming_content
    finally:
        response.close()


def run_one(format_name: str, query: dict, limit: int | None, via_client: bool):
    rows = [0]
    dataset = counting_dataset(limit, rows)
    size = 0
    peak_before = peak_rss_mib()
    rss_before = current_rss_mib()
    rss_max = rss_before or 0.0
    started = time.perf_counter()
    make = blocks_from_client if via_client else blocks_from_generator
    first_block = None
    for index, block in enumerate(make(format_name, query, dataset)):
        if first_block is None:
            first_block = time.perf_counter() - started
        size += len(block)
        if index % 64 == 0:
            rss_max = max(rss_max, current_rss_mib() or 0.0)
    elapsed = time.perf_counter() - started
    return {
        "file": f"messages.{format_name}",
        "via": "client" if via_client else "generator",
        "rows": rows[0],
        "bytes": size,
        "seconds": round(elapsed, 3),
        # The first block waits for the first chunk of rows (PostgreSQL
        # keeps a WITH HOLD cursor's result whole, on its side).
        "first_block_seconds": round(first_block or 0.0, 3),
        "rows_per_second": round(rows[0] / elapsed) if elapsed else None,
        "peak_rss_mib_before": round(peak_before, 1),
        "peak_rss_mib_after": round(peak_rss_mib(), 1),
        "rss_mib_before": round(rss_before, 1) if rss_before else None,
        "rss_mib_max_during": round(rss_max, 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=None, help="stop after N rows")
    parser.add_argument("--client", action="store_true", help="through the view")
    parser.add_argument("--from", dest="start", default=None)
    parser.add_argument("--to", dest="end", default=None)
    parser.add_argument("--region", type=int, default=None)
    parser.add_argument("--category", type=int, default=None)
    arguments = parser.parse_args(argv)
    configure(arguments.database_url)
    from datetime import date

    from board.models import Message

    query = {
        "start": date.fromisoformat(arguments.start) if arguments.start else None,
        "end": date.fromisoformat(arguments.end) if arguments.end else None,
        "region_id": arguments.region,
        "category_id": arguments.category,
    }
    public = Message.objects.public().count()
    print(f"public messages in the database: {public}")
    print(f"peak RSS at start: {peak_rss_mib():.1f} MiB")
    results = []
    for format_name in FORMATS:
        result = run_one(format_name, query, arguments.rows, arguments.client)
        results.append(result)
        print(
            f"{result['file']:<16} {result['rows']:>9} rows {result['bytes']:>12} B "
            f"{result['seconds']:>8.2f} s {result['rows_per_second'] or 0:>8} rows/s "
            f"(first block {result['first_block_seconds']:.2f} s)  "
            f"peak RSS {result['peak_rss_mib_before']:.1f} → "
            f"{result['peak_rss_mib_after']:.1f} MiB "
            f"(RSS during ≤ {result['rss_mib_max_during']:.1f} MiB)"
        )
    print(json.dumps({"public_messages": public, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
