"""PostgreSQL restarted under load: while it is down every request gets a
fast 503 with Retry-After (a page, or JSON under /api/), afterwards requests
succeed again within seconds, and nothing is half-saved.

The database is a private cluster of the test's own (tests/services.py,
``private_postgres``): the shared one is never stopped. A real server process
serves a stream of board-page GETs and message POSTs from three threads while
the cluster is stopped (``pg_ctl stop -m immediate``) and started again.
"""

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from statistics import median

import pytest

from tests.services import (
    asgi_worker,
    django_json,
    free_port,
    manage,
    private_postgres,
    require_postgres_binaries,
    wsgi_worker,
)

pytestmark = pytest.mark.services

# How long the database stays down; a request then waits at most
# DATABASE_POOL_TIMEOUT (3 s) for a connection before its 503.
DOWN_SECONDS = 12
# At worst one attempt to connect times out (DATABASE_CONNECT_TIMEOUT, 3 s)
# and the request then waits out the pool (3 s) before its 503.
FAST_ENOUGH_SECONDS = 7
RECOVERY_SECONDS = 10
RETRY_AFTER = "10"
API_DETAIL = "The service is briefly unavailable. Try again in a few seconds."

SETUP = """
import json
from django.conf import settings
from django.test import Client
from knox.models import AuthToken
from board.models import Category
from tests.factories import OfficialFactory, RegionFactory, UserFactory
official = OfficialFactory(region=RegionFactory(parent=RegionFactory()))
citizen = UserFactory(citizen=True)
_instance, token = AuthToken.objects.create(user=citizen)
browser = Client()
browser.force_login(citizen)
cookie = browser.cookies[settings.SESSION_COOKIE_NAME]
print(json.dumps({
    "cookie": f"{cookie.key}={cookie.value}",
    "token": token,
    "official": official.pk,
    "region": official.region_id,
    "category": Category.objects.get(slug="transport").pk,
}))
"""

STORED = """
import json
from board.models import Message, MessageEvent, ReferenceSequence
print(json.dumps({
    "messages": list(Message.objects.values("pk", "title", "reference")),
    "submitted": list(
        MessageEvent.objects.filter(verb="submitted")
        .values_list("message_id", flat=True)
    ),
    "numbers_handed_out": sum(
        ReferenceSequence.objects.values_list("last_value", flat=True)
    ),
}))
"""


@dataclass
class Answer:
    stream: str
    started: float
    finished: float
    status: int | str
    headers: dict
    body: bytes
    title: str = ""

    @property
    def seconds(self) -> float:
        return self.finished - self.started

    @property
    def is_success(self) -> bool:
        return self.status in (200, 201)


def send(request: urllib.request.Request) -> tuple[int | str, dict, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError as error:  # reset, refused, timed out: never acceptable
        return repr(error), {}, b""


class Load:
    """Threads sending requests, each answer kept with its timing."""

    def __init__(self, base_url: str, account: dict, prefix: str):
        self.base_url = base_url
        self.account = account
        self.prefix = prefix
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.counter = 0

    def page(self):
        # Signed in: an anonymous visitor may get the board from the page
        # cache, which needs no database (board/page_cache.py).
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1)
            f"{self.base_url}/",
            headers={"Accept-Language": "en", "Cookie": self.account["cookie"]},
        )
        return request, ""

    def post(self):
        with self.lock:
            self.counter += 1
            title = f"{self.prefix} {self.counter:04d}"
        body = json.dumps(
            {
                "addressee_official": self.account["official"],
                "region": self.account["region"],
                "category": self.account["category"],
                "kind": "complaint",
                "title": title,
                "body": f"第 {self.counter} 条：路灯已经坏了两周，晚上很黑。",
                "is_public": True,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1)
            f"{self.base_url}/api/v1/messages/",
            data=body,
            headers={
                "Authorization": f"Token {self.account['token']}",
                "Content-Type": "application/json",
                "Accept-Language": "en",
            },
            method="POST",
        )
        return request, title

    def stream(self, name: str, make_request):
        while not self.done.is_set():
            request, title = make_request()
            started = time.monotonic()
            status, headers, body = send(request)
            answer = Answer(
                name, started, time.monotonic(), status, headers, body, title
            )
            with self.lock:
                self.answers.append(answer)
            time.sleep(0.05)

    def of(self, name: str) -> list[Answer]:
        with self.lock:
            return [answer for answer in self.answers if answer.stream == name]


STREAMS = ("page", "api-1", "api-2")


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def steady_since(answers: list[Answer], moment: float, in_a_row: int = 3) -> bool:
    """The last ``in_a_row`` answers, all sent after ``moment``, succeeded."""
    last = [answer for answer in answers if answer.started >= moment][-in_a_row:]
    return len(last) == in_a_row and all(answer.is_success for answer in last)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A private, migrated cluster, the environment of a worker on it, and
    a citizen's session cookie and API token there."""
    require_postgres_binaries()
    with private_postgres() as cluster:
        env = {
            "DATABASE_URL": cluster.url,
            # Only the database is under test: in-memory layer and cache.
            "REDIS_URL": "",
            "RATE_LIMITS": "off",
            "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        }
        with ThreadPoolExecutor(2) as pool:
            steps = [
                pool.submit(manage, "migrate", "--noinput", env=env),
                pool.submit(manage, "collectstatic", "--noinput", env=env),
            ]
            for step in steps:
                step.result()
        yield cluster, env, django_json(SETUP, env=env)


@pytest.mark.parametrize(
    "server",
    [
        pytest.param(asgi_worker, id="daphne"),
        # As production serves pages and the API: gunicorn's sync workers.
        pytest.param(
            lambda port, env: wsgi_worker(port, env, workers=3), id="gunicorn"
        ),
    ],
)
def test_database_restart_gives_fast_503s_then_recovers_whole(
    database, server, request
):
    cluster, env, account = database
    port = free_port()
    prefix = f"fault-{port}"
    load = Load(f"http://127.0.0.1:{port}", account, prefix)
    with server(port, env):
        threads = [
            threading.Thread(target=load.stream, args=("page", load.page)),
            threading.Thread(target=load.stream, args=("api-1", load.post)),
            threading.Thread(target=load.stream, args=("api-2", load.post)),
        ]
        for thread in threads:
            thread.start()
        try:
            assert wait_for(
                lambda: all(steady_since(load.of(s), 0) for s in STREAMS), 20
            ), "the worker did not serve requests before the fault"
            stop_began = time.monotonic()
            cluster.stop()
            stopped = time.monotonic()
            time.sleep(DOWN_SECONDS)
            start_began = time.monotonic()
            cluster.start()
            up = time.monotonic()
            recovered = wait_for(
                lambda: all(steady_since(load.of(s), up) for s in STREAMS), 30
            )
        finally:
            load.done.set()
            for thread in threads:
                thread.join(timeout=30)
    answers = sorted(load.answers, key=lambda answer: answer.started)

    # Nothing but successes and 503s: no 500, no reset, no hang.
    odd = [(a.stream, a.status, round(a.seconds, 2)) for a in answers]
    assert {a.status for a in answers} <= {200, 201, 503}, odd

    # While the database was down: 503s only.
    down = [a for a in answers if a.started >= stopped and a.finished <= start_began]
    assert {a.stream for a in down} == set(STREAMS), odd
    assert [a.status for a in down] == [503] * len(down)
    # Every 503 (those cut off by the stop too): fast, with Retry-After, and
    # the page or the JSON error.
    unavailable = [a for a in answers if a.status == 503]
    slowest = max(a.seconds for a in unavailable)
    # Each slow 503 with when it began and ended, seconds from the stop's
    # start: a request cut off by the stop and one sent while the database
    # was down take different paths.
    slow = [
        (a.stream, round(a.seconds, 2), round(a.started - stop_began, 2),
         round(a.finished - stop_began, 2))
        for a in unavailable
        if a.seconds >= FAST_ENOUGH_SECONDS
    ]  # fmt: skip
    assert slowest < FAST_ENOUGH_SECONDS, (slow, stopped - stop_began, odd)
    for answer in unavailable:
        assert answer.headers.get("Retry-After") == RETRY_AFTER
        if answer.stream == "page":
            assert answer.headers["Content-Type"].startswith("text/html")
            page = answer.body.decode()
            assert '<html lang="en">' in page
            assert "cannot reach its database" in page
        else:
            assert answer.headers["Content-Type"] == "application/json"
            assert json.loads(answer.body) == {
                "detail": API_DETAIL,
                "code": "service_unavailable",
            }

    # Back within seconds of the database.
    assert recovered, odd
    first_success = {
        s: min(a.finished for a in load.of(s) if a.started >= up and a.is_success)
        for s in STREAMS
    }
    recovery = {s: round(first_success[s] - up, 2) for s in STREAMS}
    assert max(recovery.values()) < RECOVERY_SECONDS, recovery

    # Nothing half-saved: every accepted message is stored whole, every
    # refused one left nothing. A POST cut off mid-flight by the stop may
    # have committed or not (the answer was lost with the connection).
    posts = [a for a in answers if a.title]
    accepted = {a.title for a in posts if a.status == 201}
    in_doubt = {
        a.title
        for a in posts
        if a.status != 201 and a.started < stopped and a.finished > stop_began
    }
    stored = django_json(STORED, env=env)
    messages = stored["messages"]
    ours = {m["title"] for m in messages if m["title"].startswith(prefix)}
    assert accepted <= ours
    assert ours - accepted <= in_doubt
    assert sorted(stored["submitted"]) == sorted(m["pk"] for m in messages)
    references = [m["reference"] for m in messages]
    assert all(references)
    assert len(set(references)) == len(references)
    assert stored["numbers_handed_out"] == len(messages)

    refused = [a for a in posts if a.status == 503]
    print(
        f"\n{request.node.callspec.id}: {len(answers)} requests; database down "
        f"{DOWN_SECONDS} s: {len(unavailable)} answers 503 (median "
        f"{median(a.seconds for a in unavailable):.2f} s, slowest "
        f"{slowest:.2f} s), none else; back {min(recovery.values()):.2f}–"
        f"{max(recovery.values()):.2f} s after PostgreSQL was up (first "
        f"success per stream); POSTs: {len(accepted)} got 201 and are stored "
        f"whole, {len(refused)} got 503 ({len(in_doubt)} of them cut off by "
        f"the stop, {len(ours - accepted)} of those stored); "
        f"{len(messages)} messages in the database, each with its timeline "
        f"event and reference, no number missing."
    )
