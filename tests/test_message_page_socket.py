"""/ws/messages/{id}/: live status of public message pages, nothing else."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from board.actions import message_withdraw
from board.lifecycle import MessageStatus
from board.realtime.events import message_page_group, message_status_event
from config.asgi import application
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://127.0.0.1")]


def connect(message_id, headers=ORIGIN):
    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/messages/{message_id}/", headers=headers
        )
        connected, code = await communicator.connect()
        return communicator, connected, code

    return async_to_sync(run)()


def test_public_page_receives_status_changes():
    message = MessageFactory(status=MessageStatus.PUBLISHED)
    message.status = MessageStatus.ACCEPTED
    event = message_status_event(message)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/messages/{message.pk}/", headers=ORIGIN
        )
        connected, _code = await communicator.connect()
        assert connected is True
        try:
            await get_channel_layer().group_send(message_page_group(message.pk), event)
            return await communicator.receive_json_from(timeout=2)
        finally:
            await communicator.disconnect()

    assert async_to_sync(run)() == {
        "type": "message",
        "op": "status",
        "message_id": message.pk,
        "status": "accepted",
        "status_label": "已受理",
    }


@pytest.mark.parametrize(
    ("status", "is_public"),
    [("pending", True), ("rejected", True), ("published", False)],
)
def test_private_or_unpublished_message_has_no_live_channel(status, is_public):
    message = MessageFactory(status=status, is_public=is_public)
    communicator, connected, code = connect(message.pk)
    assert connected is False
    assert code == 4404


def test_unknown_message_is_refused():
    _communicator, connected, _code = connect(987654)
    assert connected is False


def test_foreign_origin_is_refused():
    message = MessageFactory()
    _communicator, connected, _code = connect(
        message.pk, headers=[(b"origin", b"https://evil.example")]
    )
    assert connected is False


def test_transition_of_a_private_message_is_never_pushed(
    citizen, django_capture_on_commit_callbacks
):
    message = MessageFactory(author=citizen, status="pending")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_withdraw(message=message, actor=citizen)
    assert callbacks == []
