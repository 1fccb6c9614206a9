"""bench/profile_page: where one page's time goes, in-process under cProfile.

    .venv/bin/python bench/profile_page.py /me/messages/ --user benchwriter
    .venv/bin/python bench/profile_page.py "/?category=3&kind=complaint" -n 50
    .venv/bin/python bench/profile_page.py /moderation/ --user moderator \\
        --database zhitong_bench_suite_100000 --sort cumulative
    .venv/bin/python bench/profile_page.py --spread board -n 300

Reads a database bench/suite.py seeded and kept (BENCH_KEEP=1; by default
``zhitong_bench_suite_1000000``) with the page server's settings (DEBUG off,
Redis database 8 as the cache); ``--user`` signs that user in with a session
cookie, as the suite does. After three warm-up requests it profiles ``-n``
requests through Django's test client (the whole middleware stack, no
server) and prints the time per request, the queries per request and their
share of it, and the functions that cost most.

``--spread PAGE`` times misses instead: the cache emptied, each of the
first ``-n`` of the suite's spread URLs for that anonymous page
(bench/suite_data.py: "board", "API list", "message page" …) is asked once,
without the profiler (with it: ``--profile-spread``); it prints the mean,
p50 and p95 and the queries' share.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import suite  # noqa: E402


class QueryTimer:
    def __init__(self):
        self.count, self.seconds, self.by_sql = 0, 0.0, {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            self.count += 1
            self.seconds += seconds
            self.by_sql[sql] = self.by_sql.get(sql, 0.0) + seconds

    def slowest(self, requests: int, count: int = 5) -> str:
        ranked = sorted(self.by_sql.items(), key=lambda item: -item[1])[:count]
        return "\n".join(
            f"{seconds / requests * 1000:8.1f} ms  {sql[:400]}"
            for sql, seconds in ranked
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/")
    parser.add_argument("--spread", help="time misses over this page's spread URLs")
    parser.add_argument("--user", help="username to sign in (default: anonymous)")
    parser.add_argument("--database", default="zhitong_bench_suite_1000000")
    parser.add_argument("-n", type=int, default=20, help="requests profiled")
    parser.add_argument("--sort", default="tottime", help="pstats order")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--queries", action="store_true", help="also the slowest queries, each"
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="time the requests without the profiler (its overhead is about 2x)",
    )
    parser.add_argument(
        "--callers", help="also who calls the functions matching this pattern"
    )
    parser.add_argument(
        "--callees", help="also what the functions matching this pattern call"
    )
    parser.add_argument(
        "--profile-spread",
        action="store_true",
        help="with --spread: also profile the misses (their times then include"
        " the profiler's overhead)",
    )
    args = parser.parse_args()
    if not args.database.startswith("zhitong_bench_"):
        sys.exit("Profile a benchmark database (zhitong_bench_…), not another one.")
    os.environ.update(suite.server_env(suite.POSTGRES + args.database))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if args.spread:
        profile = cProfile.Profile() if args.profile_spread else None
        spread(client, connection, args.spread, args.n, profile)
        if profile is not None:
            print_profile(profile, args)
        return
    if args.user:
        import suite_data

        from board.models import User

        user = User.objects.get(username=args.user)
        client.cookies["sessionid"] = suite_data.session_cookie(user)
    for _ in range(3):
        status = client.get(args.path).status_code
    if status != 200:
        sys.exit(f"{args.path} answered {status}")
    timer = QueryTimer()
    profile = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        if not args.plain:
            profile.enable()
        for _ in range(args.n):
            client.get(args.path)
        profile.disable()
    elapsed = (time.perf_counter() - started) / args.n
    how = "without" if args.plain else "under"
    print(
        f"{args.path} as {args.user or 'anonymous'}: {elapsed * 1000:.1f} ms a request"
        f" {how} the profiler; {timer.count / args.n:.0f} queries,"
        f" {timer.seconds / args.n * 1000:.1f} ms in them"
    )
    if args.queries:
        print(f"Slowest queries, ms a request:\n{timer.slowest(args.n)}\n")
    if not args.plain:
        print_profile(profile, args)


def print_profile(profile, args) -> None:
    output = io.StringIO()
    stats = pstats.Stats(profile, stream=output)
    stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)
    if args.callees:
        stats.print_callees(args.callees)
    print(output.getvalue())


def spread(client, connection, page: str, count: int, profile=None) -> None:
    """Each of the first ``count`` spread URLs once, the cache emptied first;
    under ``profile`` when given."""
    import suite_data
    from django.core.cache import cache

    paths = suite_data.anonymous_paths()[page]["spread"][:count]
    cache.clear()
    timer = QueryTimer()
    times = []
    with connection.execute_wrapper(timer), RedisCommands() as misses:
        for path in paths:
            started = time.perf_counter()
            if profile is not None:
                profile.enable()
            status = client.get(path).status_code
            if profile is not None:
                profile.disable()
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                sys.exit(f"{path} answered {status}")
    times.sort()
    count = len(times)
    mean, p50, p95 = sum(times) / count, times[count // 2], times[int(count * 0.95)]
    in_queries = timer.seconds / count * 1000
    print(
        f"{page}, {count} misses: mean {mean:.1f} ms, p50 {p50:.1f} ms,"
        f" p95 {p95:.1f} ms; {timer.count / count:.1f} queries,"
        f" {in_queries:.1f} ms in them a request"
    )
    # The same URLs again: each a hit now.
    with RedisCommands() as hits:
        for path in paths:
            client.get(path)
    print(
        f"Redis commands a request: {misses.count / count:.1f} a miss,"
        f" {hits.count / count:.1f} a hit"
    )
    print(f"Slowest queries, ms a request:\n{timer.slowest(len(times))}")


class RedisCommands:
    """Counts the commands redis-py sends (a pipeline's count as one), for
    the capacity model's Redis operations a page (bench/capacity.py)."""

    def __enter__(self):
        import redis

        self.count = 0
        self.client = redis.Redis
        self.original = self.client.execute_command

        def counted(client, *args, **options):
            self.count += 1
            return self.original(client, *args, **options)

        self.client.execute_command = counted
        return self

    def __exit__(self, *exc):
        self.client.execute_command = self.original


if __name__ == "__main__":
    main()
