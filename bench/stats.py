"""bench/stats: the statistics page and API on a seeded database.

Runs against a database that is already seeded and migrated (it seeds and
drops nothing; ``make bench`` with BENCH_KEEP=1 leaves one). In-process,
through Django's test client and the whole middleware stack, it times:

- ``recount``: counting one day's summary rows again (what a handling
  action's commit costs), for days spread over the seeded year;
- ``rebuild`` (with ``--rebuild``): ``rebuild_statistics`` in full;
- the pages and API calls below, uncached (no page cache, figures summed
  from the summary rows on every request) and cached (an anonymous reader
  served by the page cache, local memory here, Redis in production);
- ``reference``: a bare Django view returning a fixed page of the same size,
  added to the URLconf for the run, through the same stack.

Prints p50/p95/max in milliseconds and each p95 beside the reference's,
then the same as JSON.

    .venv/bin/python bench/stats.py \\
        --database-url postgres://postgres@127.0.0.1:5432/zhitong_x [-n 100]
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP = 5


def configure(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["EMAIL_BACKEND"] = "console"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["RATE_LIMITS"] = "off"
    import django

    django.setup()


def add_reference_view(size: int) -> str:
    """A bare view with a fixed page of ``size`` bytes at /bench-reference/."""
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    from config import urls

    body = ("<!DOCTYPE html><title>reference</title>" + "x" * size)[:size]
    urls.urlpatterns.append(
        path("bench-reference/", lambda request: HttpResponse(body))
    )
    clear_url_caches()
    return "/bench-reference/"


def timed(client, url: str, n: int) -> list[float]:
    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("-n", type=int, default=100, help="requests per case")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    configure(args.database_url)

    from datetime import timedelta

    from django.core.management import call_command

    # Pages name their static files through the hashed manifest.
    call_command("collectstatic", "--noinput", verbosity=0)

    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from board.models import DailyFigures, Department, Message, Official, Region
    from board.statistics import figures_count_day, statistics_rebuild

    report: dict = {
        "messages": Message.objects.count(),
        "summary_rows": DailyFigures.objects.count(),
    }
    print(
        f"{report['messages']:,} messages, {report['summary_rows']:,} daily "
        "summary rows"
    )
    if args.rebuild:
        started = time.perf_counter()
        rebuilt = statistics_rebuild()
        report["rebuild_s"] = round(time.perf_counter() - started, 1)
        print(f"rebuild_statistics: {report['rebuild_s']} s, {rebuilt}")

    today = timezone.localdate()
    days = [today - timedelta(days=offset) for offset in range(3, 363, 18)]
    recounts = []
    for day in days:
        started = time.perf_counter()
        figures_count_day(day)
        recounts.append((time.perf_counter() - started) * 1000)
    report["recount_ms"] = summary(recounts)
    print(f"recount one day: {report['recount_ms']} ms over {len(days)} days")

    department = Department.objects.order_by("pk").first()
    official = Official.objects.order_by("pk").first()
    province = Region.objects.filter(parent=None).order_by("pk").first()
    cases = {
        "page by region": "/stats/",
        "page by department": "/stats/?by=department",
        "page by official, sorted": "/stats/?by=official&sort=median_final_days",
        "page of a department": f"/stats/?by=department&id={department.pk}",
        "page of an official": f"/stats/?by=official&id={official.pk}",
        "page, last year's span": "/stats/?by=department&period=custom"
        f"&from={today - timedelta(days=364)}&to={today}",
        "API by official": "/api/v1/stats/?by=official",
        "API trend of the province": f"/api/v1/stats/trend/?by=region&id={province.pk}",
        "CSV ranking": "/stats/export.csv?by=official&table=ranking",
    }
    # As behind the TLS proxy: production redirects plain HTTP.
    client = Client(secure=True)
    sample = client.get("/stats/?by=department")
    reference = add_reference_view(len(sample.content))
    results = {}
    for mode, seconds in (("uncached", 0), ("cached", 300)):
        with override_settings(
            ZHITONG_PAGE_CACHE_SECONDS=seconds,
            CACHES={
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            },
        ):
            cache.clear()
            reference_times = summary(timed(client, reference, args.n))
            results[(mode, "reference")] = reference_times
            for name, url in cases.items():
                results[(mode, name)] = summary(timed(client, url, args.n))

    print()
    print(f"{'case':<28} {'mode':<9} {'p50':>7} {'p95':>7} {'max':>7}  p95/ref")
    for (mode, name), figures in results.items():
        ratio = figures["p95"] / results[(mode, "reference")]["p95"]
        print(
            f"{name:<28} {mode:<9} {figures['p50']:>7} {figures['p95']:>7} "
            f"{figures['max']:>7}  {ratio:5.1f}x"
        )
    report["cases"] = {f"{mode}: {name}": v for (mode, name), v in results.items()}
    report["page_cache_seconds_default"] = settings.ZHITONG_PAGE_CACHE_SECONDS
    print()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
