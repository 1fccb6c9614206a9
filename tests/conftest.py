import pytest
from rest_framework.test import APIClient

from tests.factories import OfficialFactory, UserFactory


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
    from board import events

    sent = PushLog()
    monkeypatch.setattr(
        events, "group_send_now", lambda group, event: sent.append((group, event))
    )
    return sent


@pytest.fixture
def channel_listener():
    """Join a group on the real channel layer; returns a receive() for it."""
    import asyncio

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    joined = []

    def listen(group):
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(group, channel)
        joined.append((group, channel))

        async def receive():
            return await asyncio.wait_for(layer.receive(channel), timeout=2)

        return async_to_sync(receive)

    yield listen
    for group, channel in joined:
        async_to_sync(layer.group_discard)(group, channel)


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
    """

    TIMEOUT = 5  # seconds per receive; the test machines are busy

    def __init__(self, layer):
        self.layer = layer
        self.channels: dict[str, str] = {}

    def listen(self, *groups: str) -> None:
        from asgiref.sync import async_to_sync

        for group in groups:
            channel = async_to_sync(self.layer.new_channel)()
            async_to_sync(self.layer.group_add)(group, channel)
            self.channels[group] = channel

    def drain(self, group: str) -> list[dict]:
        import asyncio
        import uuid

        from asgiref.sync import async_to_sync

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

        return async_to_sync(collect)()

    def payloads(self, group: str, event_type: str | None = None) -> list[dict]:
        """Drain ``group``; the payloads (the frames clients get) of its events."""
        return [
            event["payload"]
            for event in self.drain(group)
            if event_type is None or event["type"] == event_type
        ]

    def close(self) -> None:
        from asgiref.sync import async_to_sync

        for group, channel in self.channels.items():
            async_to_sync(self.layer.group_discard)(group, channel)


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
