import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from board import filter_choices
from board.routing_model import routing_model_forget
from board.selectors.search import TERM_SAMPLE_CACHE_KEY
from moderation.context_processors import QUEUE_IS_BEHIND_CACHE_KEY
from tests.factories import MessageFactory, OfficialFactory, UserFactory


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request in English leaves English active in its thread (LocaleMiddleware
    activates it, nothing deactivates it); the next test starts from the
    site's language."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _queue_health_asked_afresh():
    """Whether reviews are late is kept in the cache for a minute, and every
    page reads the site notice while they are: a test that left "late"
    behind would add a query to the next page another test counts in the
    same worker. Each test starts without the answer."""
    cache.delete(QUEUE_IS_BEHIND_CACHE_KEY)


@pytest.fixture(autouse=True)
def _test_client_login_with_a_request(monkeypatch):
    """django-axes (the login lockout) refuses an ``authenticate()`` without a
    request; the test client's ``login()`` passes none, so give it one, as
    django-axes' documentation does in tests."""
    from django.http import HttpRequest
    from django.test import Client

    login = Client.login

    def login_with_request(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_request)


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True)


@pytest.fixture
def other_citizen(db):
    return UserFactory(citizen=True)


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True)


@pytest.fixture
def official(db):
    """An official who receives messages, with a user account."""
    return OfficialFactory(user=UserFactory(official=True))


@pytest.fixture
def official_user(official):
    return official.user


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def moderator2(db):
    return UserFactory(moderator=True)


class PushLog(list):
    """(group, event) pairs pushed to the channel layer after commit."""

    def types(self) -> list[tuple[str, str]]:
        return [(group, event["type"]) for group, event in self]

    def payloads(self, group: str, event_type: str) -> list[dict]:
        return [
            event["payload"]
            for sent_group, event in self
            if sent_group == group and event["type"] == event_type
        ]


@pytest.fixture
def pushes(monkeypatch):
    """Record what the actions push after commit instead of sending it."""
    from board.realtime import events

    sent = PushLog()
    monkeypatch.setattr(
        events, "group_send_now", lambda group, event: sent.append((group, event))
    )
    return sent


@pytest.fixture
def handling_department(db):
    """A department whose officials and staff work a shared inbox."""
    from tests.factories import DepartmentFactory

    return DepartmentFactory()


@pytest.fixture
def department_official(handling_department):
    """An official of ``handling_department``, with a user account."""
    return OfficialFactory(
        user=UserFactory(official=True),
        region=handling_department.region,
        department=handling_department,
    )


@pytest.fixture
def handler_user(handling_department):
    """Department staff (role "handler") of ``handling_department``."""
    from tests.factories import HandlerUserFactory

    return HandlerUserFactory(department=handling_department)


class GroupTap:
    """Channels joined to groups on the real channel layer, read back in order.

    ``listen(group)`` joins a new channel to ``group``; ``drain(group)`` returns
    every event the group received since the last drain. It sends a marker to
    the channel and reads up to it, so nothing is left behind and no test waits
    for a timeout to prove that nothing more came.

    The channels live in an event loop of the tap's own, running in a thread
    for the tap's life: with the Redis pub/sub layer a channel is a
    subscription of the loop that made it, and hears nothing once that loop
    is gone.
    """

    TIMEOUT = 5  # seconds per receive; the test machines are busy

    def __init__(self, layer):
        import asyncio
        import threading

        self.layer = layer
        self.channels: dict[str, str] = {}
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="group-tap", daemon=True
        )
        self.thread.start()

    def _run(self, coroutine):
        import asyncio

        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return future.result(self.TIMEOUT * 4)

    def listen(self, *groups: str) -> None:
        async def join(group):
            channel = await self.layer.new_channel()
            await self.layer.group_add(group, channel)
            return channel

        for group in groups:
            self.channels[group] = self._run(join(group))
            # The round trip of a marker proves the subscriptions are live.
            self.drain(group)

    def drain(self, group: str) -> list[dict]:
        import asyncio
        import uuid

        channel = self.channels[group]
        token = uuid.uuid4().hex

        async def collect():
            await self.layer.send(channel, {"type": "test.marker", "token": token})
            received = []
            while True:
                event = await asyncio.wait_for(
                    self.layer.receive(channel), timeout=self.TIMEOUT
                )
                if event == {"type": "test.marker", "token": token}:
                    return received
                received.append(event)

        return self._run(collect())

    def payloads(self, group: str, event_type: str | None = None) -> list[dict]:
        """Drain ``group``; the payloads (the frames clients get) of its events."""
        return [
            event["payload"]
            for event in self.drain(group)
            if event_type is None or event["type"] == event_type
        ]

    def close(self) -> None:
        async def leave():
            for group, channel in self.channels.items():
                await self.layer.group_discard(group, channel)

        try:
            self._run(leave())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
            # channels-redis hooks close() to flush its layer for this loop
            # (its connections and the subscriber task).
            self.loop.close()


@pytest.fixture
def group_tap(settings):
    """A ``GroupTap`` on the configured channel layer.

    With REDIS_URL the layer is channels_redis, shared with every other test
    run on the machine; a prefix of this test's own keeps their events (to
    ``user.1``, say) out of this test's groups.
    """
    import copy
    import uuid

    from channels.layers import get_channel_layer

    if "redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"].lower():
        layers = copy.deepcopy(settings.CHANNEL_LAYERS)
        layers["default"].setdefault("CONFIG", {})["prefix"] = (
            f"zhitong-test-{uuid.uuid4().hex[:12]}"
        )
        settings.CHANNEL_LAYERS = layers
    tap = GroupTap(get_channel_layer())
    yield tap
    tap.close()


# --- Search and routing (board/selectors/search.py, board/routing_model.py) ---


@pytest.fixture
def post(db, django_capture_on_commit_callbacks):
    """Create a message (or reply) and let its search document be written,
    as it is when the creating transaction commits."""
    cache.delete(TERM_SAMPLE_CACHE_KEY)

    def create(factory=MessageFactory, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return factory(**fields)

    return create


@pytest.fixture
def model_dir(settings, tmp_path):
    """A routing model directory of the test's own, no model loaded."""
    settings.ROUTING_MODEL_DIR = tmp_path / "routing"
    routing_model_forget()
    yield settings.ROUTING_MODEL_DIR
    routing_model_forget()


# --- The caches of pages and their parts (board/page_cache.py) ---


@pytest.fixture
def page_cache_on(settings):
    settings.ZHITONG_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data_kept(settings):
    """Each process keeps the reference data's option lists and rows
    (board/filter_choices.py), from a new version; the tests' settings
    read them afresh every time."""
    settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 300
    cache.delete(filter_choices.VERSION_KEY)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what the actions leave for after the commit (the version bumps)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
