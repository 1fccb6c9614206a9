"""Playwright driving Debian's Chromium; never a downloaded browser."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make for their fixtures are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Per module, not per session: while sync_playwright is open its event loop
# runs in the test thread, and a test of another module that calls
# async_to_sync (the sockets' tests) would fail after it in the same
# process (pytest tests/ as one run).
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "apt-get install chromium (see .ci/run)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """A fresh browser context (its own cookies) per call, Chinese by default."""
    contexts = []

    def make(locale="zh-CN"):
        context = browser.new_context(
            locale=locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


# --- A live ASGI server (HTTP and WebSockets) in this process ---------------
#
# pytest-django's ``live_server`` speaks WSGI only. ``asgi_live_server`` runs
# the project's ASGI application under Daphne, in a thread of the test process,
# so it uses the test database and, on the embedded run, the same in-memory
# channel layer as the test: a reply posted through its HTTP reaches the
# sockets it serves. Daphne's Twisted reactor cannot be restarted, so the
# server lives for the session; each test gets it through a function-scoped
# fixture that also gives the test a channel-layer prefix of its own on Redis.

import asyncio  # noqa: E402
import contextvars  # noqa: E402
import copy  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
import warnings  # noqa: E402

# The in-memory SQLite test database lives in the test thread's connection.
# Code run for a request of the live server (in whichever thread asgiref
# picks) is given that very connection, as Django's LiveServerThread does.
_SHARED_CONNECTIONS = contextvars.ContextVar("asgi_live_connections", default=None)


def _share_connections(original_getitem):
    def getitem(self, alias):
        shared = _SHARED_CONNECTIONS.get()
        if shared is not None and alias in shared:
            return shared[alias]
        return original_getitem(self, alias)

    return getitem


class AsgiLiveServer:
    host = "127.0.0.1"

    def __init__(self, shared_connections: dict):
        self.shared_connections = shared_connections
        self.server = None
        self.loop = None
        self.error = None
        self.thread = threading.Thread(
            target=self._run, name="asgi-live-server", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def application(self):
        from config.asgi import application

        shared = self.shared_connections or None
        # One shared SQLite connection cannot hold two transactions at once:
        # HTTP requests (the only ones that write in transactions) take turns.
        # Sockets only read, and are not held up by a slow page.
        http_turns = asyncio.Lock() if shared else None

        async def app(scope, receive, send):
            token = _SHARED_CONNECTIONS.set(shared)
            try:
                if http_turns is not None and scope["type"] == "http":
                    async with http_turns:
                        await application(scope, receive, send)
                else:
                    await application(scope, receive, send)
            finally:
                _SHARED_CONNECTIONS.reset(token)

        return app

    def _run(self):
        try:
            from daphne.endpoints import build_endpoint_description_strings
            from daphne.server import Server
            from twisted.internet import reactor

            self.loop = reactor._asyncioEventloop
            self.server = Server(
                application=self.application(),
                endpoints=build_endpoint_description_strings(host=self.host, port=0),
                signal_handlers=False,
                verbosity=0,
            )
            self.server.run()
        except BaseException as error:  # reported to the test by start()
            self.error = error

    def start(self, timeout: float = 15.0) -> None:
        show_warning = warnings.showwarning  # Twisted's log takes it over
        for connection in self.shared_connections.values():
            connection.inc_thread_sharing()
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not (self.server and self.server.listening_addresses):
            if self.error is not None or not self.thread.is_alive():
                raise RuntimeError(f"Daphne did not start: {self.error!r}")
            if time.monotonic() > deadline:
                raise TimeoutError("Daphne did not start listening")
            time.sleep(0.02)
        warnings.showwarning = show_warning
        self.port = self.server.listening_addresses[0][1]

    def run_coroutine(self, coroutine, timeout: float = 10.0):
        """Run a coroutine on the server's event loop, from the test thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def settle(self, timeout: float = 5.0) -> bool:
        """Wait until every request and socket the server had is finished."""

        async def busy() -> int:
            return sum(
                1
                for details in list(self.server.connections.values())
                if "application_instance" in details
                and not details["application_instance"].done()
            )

        deadline = time.monotonic() + timeout
        while self.run_coroutine(busy()):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> None:
        from twisted.internet import reactor

        if self.thread.is_alive():
            reactor.callFromThread(self.server.stop)
            self.thread.join(timeout=15)
        for connection in self.shared_connections.values():
            connection.dec_thread_sharing()


@pytest.fixture(scope="session")
def _asgi_live_server_session(django_db_setup):
    from django.db import connections
    from django.db.utils import ConnectionHandler

    shared = {
        connection.alias: connection
        for connection in connections.all()
        if connection.vendor == "sqlite" and connection.is_in_memory_db()
    }
    patch = pytest.MonkeyPatch()
    patch.setattr(
        ConnectionHandler,
        "__getitem__",
        _share_connections(ConnectionHandler.__getitem__),
    )
    server = AsgiLiveServer(shared)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        patch.undo()


@pytest.fixture
def asgi_live_server(_asgi_live_server_session, transactional_db, settings):
    """Daphne serving config.asgi (HTTP and WebSockets) at ``.url``."""
    from channels.layers import channel_layers

    server = _asgi_live_server_session
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, server.host]
    if "redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"].lower():
        # The machine's Redis is shared with other test runs: groups such as
        # ``user.1`` of theirs must not reach this test's browsers.
        layers = copy.deepcopy(settings.CHANNEL_LAYERS)
        layers["default"].setdefault("CONFIG", {})["prefix"] = (
            f"zhitong-live-{uuid.uuid4().hex[:12]}"
        )
        settings.CHANNEL_LAYERS = layers
    yield server
    # The browsers are closed by now (``new_page`` is torn down first); let
    # their sockets finish before the database is flushed under them.
    server.settle()
    layer = channel_layers.backends.get("default")
    close_pools = getattr(layer, "close_pools", None)
    if close_pools is not None:
        # channels_redis: the layer's connections live on the server's loop.
        server.run_coroutine(close_pools())


# --- pytest-django's WSGI live server, settled before the flush -------------
#
# Signed-in pages keep calling the server after a test's last step: the bell
# retries its socket (which the WSGI server answers with a 404 after reading
# the session's user). On the embedded run the server thread shares the test's
# SQLite connection, and a flush that runs while such a request still reads
# ``board_user`` fails with "database table is locked". So the test waits, once
# its browsers are closed, until the server has no connection left.


class _RequestsInFlight:
    def __init__(self, httpd):
        self.count = 0
        self.lock = threading.Lock()
        process_request = httpd.process_request
        process_request_thread = httpd.process_request_thread

        # Counted when accepted (in the server's thread), before the request's
        # own thread starts, so there is no moment when it is not counted.
        def counted_process_request(request, client_address):
            with self.lock:
                self.count += 1
            try:
                process_request(request, client_address)
            except BaseException:
                self.done()
                raise

        def counted_process_request_thread(request, client_address):
            try:
                process_request_thread(request, client_address)
            finally:
                self.done()

        httpd.process_request = counted_process_request
        httpd.process_request_thread = counted_process_request_thread

    def done(self):
        with self.lock:
            self.count -= 1

    def wait_until_none(self, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True


@pytest.fixture
def live_server(live_server, transactional_db):
    """pytest-django's live server, idle again before the database is flushed.

    Set up after ``transactional_db`` and before ``new_page`` (every test names
    ``live_server`` first), so its teardown runs once the browsers are closed
    and before the flush.
    """
    httpd = live_server.thread.httpd  # the server lives for the session
    if not hasattr(httpd, "requests_in_flight"):
        httpd.requests_in_flight = _RequestsInFlight(httpd)
    yield live_server
    # Said here rather than as the flush's "database table is locked".
    assert httpd.requests_in_flight.wait_until_none(), (
        "the live server still had connections 5 s after the browsers closed"
    )
