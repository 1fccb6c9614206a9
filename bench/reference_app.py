"""The page benchmark's WSGI application: the project's pages, and beside
them the references that bench/suite.py compares them with.

    gunicorn bench.reference_app:application --workers 2 ...

``/bench/…`` goes to Django's own WSGI handler with no middleware at all
(no sessions, authentication, CSRF, locale, security headers, page cache)
and this module's URLs; everything else goes to ``config.wsgi``'s
application, middleware and all. Both run in the same worker processes of
the same server, so a page's ratio to a reference says how much the
project adds, whatever the machine:

- ``GET /bench/fixed``: a constant HTML page (the board-like page's size),
  the most a Django view can serve on this server;
- ``GET /bench/board-like``: one indexed query of 20 rows (public messages,
  newest first, walking the partial index ``message_board_order``) and a
  small template of those rows;
- ``GET /bench-in-layout/board-like``: the same query and rows in the
  site's layout (base.html, its context processors), through the
  project's middleware, never cached: the floor of any page of the site
  that renders afresh. A page that misses the cache cannot be faster than
  this, whatever it leaves out;
- ``POST /bench/insert?author=<id>``: a bare insert of the row the API's
  message submission writes (the same JSON body), without the sanitizer,
  the pre-screen, the timeline, the reference counter's lock or the events.

A reference response carries none of the project's headers (its
Content-Security-Policy, X-Frame-Options); bench/suite.py checks that before
measuring.
"""

import itertools
import json
import os
from datetime import datetime
from pathlib import Path

import django
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template import Context, Engine, engines
from django.urls import path
from django.utils import timezone
from django.utils.html import escape

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from board.lifecycle import MessageStatus  # noqa: E402 (models need the set-up)
from board.models import Message  # noqa: E402
from config import urls as project_urls  # noqa: E402
from config.wsgi import application as project_application  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent / "templates"
PREFIX = "/bench/"
IN_LAYOUT_PREFIX = "/bench-in-layout/"
ENGINE = Engine(dirs=[str(TEMPLATES)])
BOARD_SIZE = 20
# Unique references for the bare inserts: the process and a counter.
_references = itertools.count(1)


def board_like_rows():
    return (
        Message.objects.public()
        .order_by("-published_at", "-id")
        .only("id", "reference", "title", "status", "published_at")[:BOARD_SIZE]
    )


def board_like(request):
    template = ENGINE.get_template("board_like.html")
    return HttpResponse(template.render(Context({"messages": board_like_rows()})))


IN_LAYOUT = engines["django"].from_string(
    (TEMPLATES / "board_like_in_layout.html").read_text()
)


def board_like_in_layout(request):
    # Not "messages": the layout's flash messages go by that name.
    return HttpResponse(IN_LAYOUT.render({"rows": board_like_rows()}, request))


def _fixed_page() -> bytes:
    """The board-like page with placeholder rows, rendered once."""
    at = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.get_fixed_timezone(480))
    rows = [
        Message(
            pk=number,
            reference=f"ZT-2026-{number:06d}",
            title="关于小区门口路灯长期不亮的问题",
            status=MessageStatus.PUBLISHED,
            published_at=at,
        )
        for number in range(1, BOARD_SIZE + 1)
    ]
    template = ENGINE.get_template("board_like.html")
    return template.render(Context({"messages": rows})).encode()


FIXED_PAGE = _fixed_page()


def fixed(request):
    return HttpResponse(FIXED_PAGE)


def bare_insert(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    data = json.loads(request.body)
    now = timezone.now()
    body = data["body"]
    message = Message(
        reference=f"B{os.getpid()}-{next(_references)}",
        author_id=int(request.GET["author"]),
        addressee_official_id=data.get("addressee_official"),
        addressee_department_id=data.get("addressee_department"),
        region_id=data["region"],
        category_id=data["category"],
        kind=data["kind"],
        title=data["title"],
        body=body,
        body_html="".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n") if p),
        is_public=data.get("is_public", True),
        status=MessageStatus.PENDING,
        submitted_for_review_at=now,
    )
    message.save()
    return HttpResponse(
        json.dumps({"id": message.pk}), status=201, content_type="application/json"
    )


urlpatterns = [
    path("bench/fixed", fixed),
    path("bench/board-like", board_like),
    path("bench/insert", bare_insert),
]


class ReferenceHandler(WSGIHandler):
    """Django's WSGI handler without any middleware, resolving this module's
    URLs: request set-up, URL resolution, the request signals (which give
    the database connection back to the pool) and the response, nothing
    else."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)

    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)


reference_application = ReferenceHandler()


class InLayoutHandler(WSGIHandler):
    """Django's WSGI handler with the project's middleware (as
    ``config.wsgi``'s), resolving ``IN_LAYOUT_URLCONF``: the floor, and the
    project's URLs that its layout links to."""

    def get_response(self, request):
        request.urlconf = IN_LAYOUT_URLCONF
        return super().get_response(request)


class IN_LAYOUT_URLCONF:  # noqa: N801 (a URLconf: a module or any object)
    # The project's URLs too: the layout's links reverse them.
    urlpatterns = [
        path("bench-in-layout/board-like", board_like_in_layout),
        *project_urls.urlpatterns,
    ]


in_layout_application = InLayoutHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(IN_LAYOUT_PREFIX):
        return in_layout_application(environ, start_response)
    if environ.get("PATH_INFO", "").startswith(PREFIX):
        return reference_application(environ, start_response)
    return project_application(environ, start_response)
