"""bench/capacity: the capacity model of docs/scaling.md, recomputed from a
`make bench` run.

    .venv/bin/python bench/capacity.py            # the newest var/bench/suite-*.jsonl
    .venv/bin/python bench/capacity.py RUN.jsonl --views-per-hour 5000000 --cdn
    .venv/bin/python bench/capacity.py FULL.jsonl RERUN.jsonl  # RERUN's figures win

Reads the figures the suite printed (requests per second of each page on
2 page workers, cached and not; posting; sockets' memory; the followers'
fan-out of the realtime benchmark) and works out, for a deployment of the
given size, how many page and ASGI worker processes (one per core) it
needs, and how many Redis and PostgreSQL operations per second it puts on
the services. Every assumption is a flag with its default printed beside
the result, so the table can be redone for another country, province or
city. Prints Markdown.
"""

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from suite_report import came_back, mostly_misses  # noqa: E402

# Redis commands of one anonymous page, counted by `bench/profile_page.py
# --spread PAGE -n 200` (2026-12-05 19:00, after page_cache.Copy). Served
# from the cache: one MGET of the versions, the queue-health flag and the
# page.
REDIS_OPS_PER_CACHED_PAGE = 1
# Rendered afresh: the board 11 (its fragment, the figures, the cards' row
# cache, storing itself twice), a message page 6, the API list 2; their
# mean, rounded up.
REDIS_OPS_PER_RENDERED_PAGE = 7


def newest_run() -> Path:
    runs = sorted((ROOT / "var" / "bench").glob("suite-*.jsonl"))
    if not runs:
        sys.exit("no var/bench/suite-*.jsonl: run `make bench` first")
    return runs[-1]


def load(*paths: Path) -> dict:
    """The figures of these runs; a later run's figure of a page, posting,
    memory or realtime replaces an earlier one's (a short rerun of one page
    over a full run), and the first run's description stands for all."""
    figures = {"pages": {}, "posting": {}, "memory": {}, "realtime": None}
    for path in paths:
        _load_run(path, figures)
    return figures


def _load_run(path: Path, figures: dict) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        kind = row.get("kind")
        if kind == "meta":
            figures.setdefault("meta", row)
        elif kind == "page":
            figures["pages"][(row["group"], row["page"], row["mode"])] = row
        elif kind == "posting":
            figures["posting"][row["mode"]] = row
        elif kind == "memory":
            figures["memory"].update(row)
        elif kind == "realtime":
            figures["realtime"] = row


def per_worker(rate: float, workers: int) -> float:
    return rate / max(workers, 1)


def mean(values: list[float]) -> float:
    """The rate of an even mix of these pages: the harmonic mean of their
    rates (each request of the mix costs 1/rate of a worker's second), not
    the arithmetic one, which a single fast page would dominate."""
    values = [value for value in values if value]
    return len(values) / sum(1 / value for value in values) if values else 0.0


def model(figures: dict, args) -> list[tuple[str, str, str]]:
    """(quantity, value, where it comes from) rows."""
    workers = figures.get("meta", {}).get("page_workers", 2)
    pages = figures["pages"]
    anonymous = [row for key, row in pages.items() if key[0] == "anonymous"]
    hit_rate = mean([r["requests_per_s"] for r in anonymous if r["mode"] == "warm"])
    miss_rate = mean(
        [
            r["requests_per_s"]
            for r in anonymous
            if r["mode"] == "spread" and mostly_misses(r) and not came_back(r)
        ]
    )
    signed = [row for key, row in pages.items() if key[0] == "signed in"]
    signed_rate = mean([r["requests_per_s"] for r in signed])
    hit_per_worker = per_worker(hit_rate, workers)
    miss_per_worker = per_worker(miss_rate, workers)
    signed_per_worker = per_worker(signed_rate, workers)

    views_per_s = args.views_per_hour / 3600
    anonymous_views = views_per_s * args.anonymous_share
    signed_views = views_per_s - anonymous_views
    if args.cdn:
        # A CDN answers the anonymous hits itself (revalidating with the
        # ETag, which the page workers answer with a 304 from the versions).
        origin_hits = anonymous_views * args.hit_ratio * args.cdn_revalidate_share
    else:
        origin_hits = anonymous_views * args.hit_ratio
    misses = anonymous_views * (1 - args.hit_ratio)
    page_workers = (
        origin_hits / max(hit_per_worker, 1e-9)
        + misses / max(miss_per_worker, 1e-9)
        + signed_views / max(signed_per_worker, 1e-9)
    )
    page_workers = math.ceil(page_workers / args.headroom)

    messages_per_s = args.messages_per_day / 86400 * args.peak_factor
    posting = figures["posting"].get("2 conn.", {})
    posting_per_worker = per_worker(posting.get("requests_per_s", 0), 2)
    posting_workers = messages_per_s / max(posting_per_worker, 1e-9)

    memory = figures["memory"]
    kib_per_socket = memory.get("kib_per_socket") or 50
    asgi_idle_mib = (memory.get("asgi_worker_idle_kib") or 110_000) / 1024
    sockets_per_worker = args.sockets_per_worker
    asgi_workers = math.ceil(args.live_viewers / sockets_per_worker)
    socket_memory_gib = (
        args.live_viewers * kib_per_socket / 1024 / 1024
        + asgi_workers * asgi_idle_mib / 1024
    )

    realtime = figures["realtime"] or {}
    followers = realtime.get("followers", 1000)
    notified_s = (realtime.get("followers_case") or {}).get("all_notified_s", {})
    deliveries_per_s = followers / notified_s["median"] if notified_s else 0.0

    redis_ops = (
        origin_hits * REDIS_OPS_PER_CACHED_PAGE
        + misses * REDIS_OPS_PER_RENDERED_PAGE
        + signed_views * 2
    )
    rows = [
        ("page views per second at peak", f"{views_per_s:,.0f}", "--views-per-hour"),
        (
            "anonymous / signed in",
            f"{anonymous_views:,.0f} / {signed_views:,.0f}",
            "--anonymous-share",
        ),
        (
            "served from the page cache at the origin",
            f"{origin_hits:,.0f}/s",
            "--hit-ratio" + (", --cdn" if args.cdn else ""),
        ),
        ("rendered afresh", f"{misses:,.0f}/s", "--hit-ratio"),
        (
            "one page worker: cached / rendered / signed in",
            f"{hit_per_worker:,.0f} / {miss_per_worker:,.0f} / "
            f"{signed_per_worker:,.0f} requests/s",
            "make bench: anonymous warm, spread; signed in (÷ page workers)",
        ),
        (
            "page worker processes (one per core)",
            f"{page_workers:,}",
            f"at {args.headroom:.0%} of measured capacity (--headroom)",
        ),
        (
            "new messages per second at peak",
            f"{messages_per_s:.2f}",
            "--messages-per-day × --peak-factor",
        ),
        (
            "share of one page worker that posting takes",
            f"{posting_workers:.3f}",
            "make bench: posting a message (API), 2 conn.",
        ),
        (
            "ASGI worker processes for live viewers",
            f"{asgi_workers:,}",
            f"{args.live_viewers:,} sockets ÷ {sockets_per_worker:,} per worker "
            "(--sockets-per-worker)",
        ),
        (
            "their memory",
            f"{socket_memory_gib:,.1f} GiB",
            f"{kib_per_socket:.0f} KiB per socket, {asgi_idle_mib:.0f} MiB per idle "
            "worker (make bench: memory)",
        ),
        (
            "notifications delivered per second, measured",
            f"{deliveries_per_s:,.0f}",
            "bench/realtime: followers all notified (2 ASGI workers)",
        ),
        (
            "Redis operations per second (cache)",
            f"{redis_ops:,.0f}",
            f"{REDIS_OPS_PER_CACHED_PAGE} per cached page,"
            f" {REDIS_OPS_PER_RENDERED_PAGE} per rendered, 2 per signed-in page",
        ),
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "runs",
        nargs="*",
        type=Path,
        help="suite runs (JSON lines); a later run's figures replace an earlier"
        " one's (default: the newest run)",
    )
    parser.add_argument("--views-per-hour", type=float, default=5_000_000)
    parser.add_argument("--anonymous-share", type=float, default=0.95)
    parser.add_argument("--hit-ratio", type=float, default=0.9)
    parser.add_argument("--cdn", action="store_true")
    parser.add_argument("--cdn-revalidate-share", type=float, default=0.1)
    parser.add_argument("--headroom", type=float, default=0.6)
    parser.add_argument("--messages-per-day", type=float, default=50_000)
    parser.add_argument("--peak-factor", type=float, default=5)
    parser.add_argument("--live-viewers", type=int, default=100_000)
    parser.add_argument("--sockets-per-worker", type=int, default=10_000)
    args = parser.parse_args()
    paths = args.runs or [newest_run()]
    figures = load(*paths)
    meta = figures.get("meta", {})
    named = " with ".join(
        f"`{path.relative_to(ROOT) if path.is_absolute() else path}`" for path in paths
    )
    print(
        f"From {named} "
        f"({meta.get('messages', '?'):,} messages, {meta.get('date', '?')}, "
        f"commit {meta.get('commit', '?')})\n"
    )
    print("| quantity | value | from |")
    print("|---|---|---|")
    for quantity, value, source in model(figures, args):
        print(f"| {quantity} | {value} | {source} |")


if __name__ == "__main__":
    main()
