"""The page benchmark's floor (bench/reference_app.py): the board-like
reference's rows in the site's layout, through the project's middleware,
rendered afresh on every request. bench/suite.py measures it once a run
beside the references, as the most any page that misses the cache can
reach; its row in the tables judges nothing."""

import io
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import get_urlconf
from django.utils import timezone

from bench import suite, suite_report
from board.lifecycle import MessageStatus
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


def wsgi_get(application, path: str) -> tuple[str, dict, bytes]:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }  # fmt: skip
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    # As Django's test client does: the request signals must not close the
    # test's connection, which holds its transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            # As a WSGI server does: closing sends request_finished, which
            # resets the URLconf the handler set for this thread. Left set,
            # the next test's reverse() would resolve in the benchmark's.
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_the_floor_lists_the_board_like_rows_in_the_layout_with_the_middleware():
    from bench import reference_app

    for _ in range(21):
        MessageFactory(status=MessageStatus.PUBLISHED, published_at=timezone.now())

    status, headers, body = wsgi_get(reference_app.application, suite.IN_LAYOUT)
    assert status == "200 OK"
    # The project's middleware ran (its headers), and no page cache answered.
    assert all(name in headers for name in suite.PROJECT_HEADERS)
    assert "X-Page-Cache" not in headers
    page = body.decode()
    assert page.count("<li>") == 20
    assert 'class="site-footer"' in page and 'class="site-header"' in page
    # Its rows are not taken for the layout's flash messages.
    assert 'class="flash-list"' not in page

    # The references beside it still skip the middleware.
    status, headers, body = wsgi_get(reference_app.application, "/bench/board-like")
    assert status == "200 OK"
    assert not any(name in headers for name in suite.PROJECT_HEADERS)
    assert body.count(b"<li>") == 20
    # Neither handler's URLconf outlives its request.
    assert get_urlconf() is None


def test_the_floor_row_is_a_reference_not_a_verdict():
    reference = {"requests_per_s": 500.0, "p99_ms": 30.0}
    floor = {
        "kind": "page", "group": "anonymous",
        "page": "board-like in the site's layout", "mode": "floor", "paths": 1,
        "requests_per_s": 250.0, "p50_ms": 20.0, "p99_ms": 90.0,
        "board_like": reference, "fixed": {**reference, "requests_per_s": 5000.0},
        "target": {},
    }  # fmt: skip
    assert suite_report.page_verdict(floor) == ("– (a reference)", None)
    row = suite_report.pages_table([floor])[2]
    assert "| 0.50 | 0.05 | – (a reference) | – |" in row
