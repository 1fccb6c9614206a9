"""bench/board_render: how long the board (``/``) takes to render, in-process.

Seeds a SQLite database with ``seed_demo --messages N`` (default 2,000) and a
province's worth of extra counties, so that the filter lists have about a
thousand options as in production (``--counties``), then renders the board
view through ``RequestFactory`` N times per case and prints milliseconds per
request (mean, median, p95) and queries per request (the usual count; the
site notice's check runs once a minute) as JSON:

- anonymous and signed-in (a citizen), in Chinese and in English, with the
  page cache off (``ZHITONG_PAGE_CACHE_SECONDS=0``) and the filter lists
  cached as deployed (board/filter_choices.py), and once without them;
- ``filter_form_*``: rendering the filter form's fields alone: as deployed,
  with the lists read each time, and through Django's own ``Select``
  templates, as before board/forms/widgets.py.

``--sqlite PATH`` keeps the database in PATH and reuses it when it exists, so
a before/after comparison reads the same rows; without it the database lives
in a temporary directory. Runs in a few minutes at most.

    .venv/bin/python bench/board_render.py [--requests 200] [--sqlite PATH]
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(sqlite_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["SQLITE_PATH"] = str(sqlite_path)
    # Production-like: DEBUG off (a fresh key: the settings refuse public
    # ones), no services, and the anonymous page cache off.
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["EMAIL_BACKEND"] = "console"
    os.environ["ZHITONG_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # The static files' manifest exists only after collectstatic; URLs of
    # the unhashed names cost the same to build.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }
    ).enable()


def seed(messages: int, counties: int) -> None:
    from django.core.management import call_command

    from board.models import Category, Department, Official, Region

    call_command("migrate", verbosity=0)
    call_command("seed_demo", password=secrets.token_urlsafe(9), messages=messages)
    # Extra counties under the demo's cities, each with its departments and
    # two officials: the filter lists of a real province.
    cities = list(Region.objects.filter(level=Region.Level.CITY))
    department_names = list(
        Department.objects.filter(region=cities[0]).values_list("name", "name_en")
    )
    for number in range(counties):
        city = cities[number % len(cities)]
        county, _created = Region.objects.get_or_create(
            code=f"99{number:04d}",
            defaults={
                "name": f"测试县{number}",
                "name_en": f"Test County {number}",
                "level": Region.Level.COUNTY,
                "parent": city,
            },
        )
        for name, name_en in department_names:
            Department.objects.get_or_create(
                region=county, name=name, defaults={"name_en": name_en}
            )
        for role, role_en in (("县长", "Head"), ("县委书记", "Party Secretary")):
            Official.objects.get_or_create(
                name=f"测试{number}{role}",
                region=county,
                defaults={"title": role, "title_en": f"{role_en} of {county}"},
            )
    counts = {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "officials": Official.objects.filter(is_active=True).count(),
        "categories": Category.objects.count(),
    }
    print(json.dumps({"seeded": counts}), file=sys.stderr)


def timed(function, requests: int) -> dict:
    from django.db import connection, reset_queries

    function()  # warm: templates, translations, per-process caches
    connection.force_debug_cursor = True
    times, queries = [], []
    try:
        for _ in range(requests):
            reset_queries()
            start = time.perf_counter()
            function()
            times.append((time.perf_counter() - start) * 1000)
            queries.append(len(connection.queries))
    finally:
        connection.force_debug_cursor = False
    times.sort()
    return {
        "mean_ms": round(statistics.fmean(times), 2),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "queries": statistics.mode(queries),
    }


def cases():
    from django import forms
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.test import RequestFactory
    from django.test.utils import override_settings
    from django.utils import translation

    from board.forms import BoardFilterForm
    from board.models import Region, User
    from board.views.board import board_index

    factory = RequestFactory()
    citizen = User.objects.get(username="citizen")
    region = Region.objects.filter(level=Region.Level.CITY).first()
    uncached = override_settings(ZHITONG_FILTER_CHOICES_CACHE_SECONDS=0)

    def board(user, language, query=None):
        def render():
            request = factory.get("/", query or {})
            request.user = user
            request.session = SessionStore()
            request._messages = FallbackStorage(request)
            with translation.override(language):
                response = board_index(request)
            assert response.status_code == 200, response.status_code
            return response

        return render

    def filter_form(language, *, django_widgets=False):
        def render():
            with translation.override(language):
                form = BoardFilterForm({"region": str(region.pk)})
                if django_widgets:
                    # How the form rendered before board/forms/widgets.py.
                    for field in form.fields.values():
                        field.widget = forms.Select(choices=field.choices)
                form.is_valid()
                return "".join(str(field) for field in form)

        return render

    def without_cache(function):
        def render():
            with uncached:
                return function()

        return render

    return {
        "anonymous_zh": board(AnonymousUser(), "zh-hans"),
        "anonymous_en": board(AnonymousUser(), "en"),
        "citizen_zh": board(citizen, "zh-hans"),
        "citizen_zh_filtered": board(citizen, "zh-hans", {"region": region.pk}),
        "citizen_zh_lists_uncached": without_cache(board(citizen, "zh-hans")),
        "filter_form_zh": filter_form("zh-hans"),
        "filter_form_zh_lists_uncached": without_cache(filter_form("zh-hans")),
        "filter_form_zh_django_widgets": without_cache(
            filter_form("zh-hans", django_widgets=True)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--counties", type=int, default=70)
    parser.add_argument("--sqlite", type=Path, help="Keep (and reuse) the database.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        path = args.sqlite or Path(workdir) / "board_render.sqlite3"
        is_seeded = path.exists()
        configure(path)
        if not is_seeded:
            seed(args.messages, args.counties)
        from board.forms import BoardFilterForm

        options = sum(
            len(field.field.choices) for field in BoardFilterForm() if field.field
        )
        results = {
            name: timed(function, args.requests) for name, function in cases().items()
        }
        print(json.dumps({"filter_options": options, "results": results}, indent=2))


if __name__ == "__main__":
    main()
