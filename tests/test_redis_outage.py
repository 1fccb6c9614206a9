"""Redis down: posting, moderating and replying still succeed, notifications
are stored, and a client catches up once Redis is back."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from board.models import Message, Notification
from config.asgi import application
from tests.factories import CategoryFactory, OfficialFactory, UserFactory
from tests.services import redis_start, redis_stop, require_postgres_and_redis
from tests.test_notification_socket import session_cookie

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_work_goes_on_while_redis_is_down_and_clients_catch_up(
    client, citizen, moderator
):
    require_postgres_and_redis()
    official = OfficialFactory(user=UserFactory(official=True))
    CategoryFactory(slug="transport")
    try:
        redis_stop()
        # A citizen posts, a moderator approves, the official accepts and replies.
        client.force_login(citizen)
        response = client.post(
            reverse("board:compose"),
            {
                "region": official.region.pk,
                "addressee": f"o:{official.pk}",
                "category": CategoryFactory(slug="transport").pk,
                "kind": "complaint",
                "title": "公交站台损坏",
                "body": "站台顶棚损坏，雨天无法候车。",
                "is_public": "1",
                "accepts_guidelines": "on",
            },
        )
        assert response.status_code == 302
        message = Message.objects.get()
        client.force_login(moderator)
        response = client.post(
            f"/api/v1/moderation/messages/{message.pk}/approve/",
            content_type="application/json",
        )
        assert response.status_code == 200
        client.force_login(official.user)
        assert client.post(f"/api/v1/messages/{message.pk}/accept/").status_code == 200
        response = client.post(
            f"/api/v1/messages/{message.pk}/replies/",
            {"body": "已安排维修。", "final": True},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert client.get(message.get_absolute_url()).status_code == 200
        stored = list(
            Notification.objects.filter(recipient=citizen)
            .order_by("pk")
            .values_list("pk", "kind")
        )
        assert [kind for _pk, kind in stored] == [
            "message.approved",
            "message.accepted",
            "message.replied",
        ]
    finally:
        redis_start()

    cookie = session_cookie(citizen)

    async def catch_up():
        socket = WebsocketCommunicator(
            application,
            "/ws/notifications/",
            headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", cookie)],
        )
        connected, _code = await socket.connect(timeout=10)
        assert connected
        await socket.send_json_to({"type": "resume", "after": 0})
        frames = []
        while True:
            frame = await socket.receive_json_from(timeout=10)
            frames.append(frame)
            if frame["type"] == "unread":
                break
        await socket.disconnect()
        return frames

    frames = async_to_sync(catch_up)()
    assert [f["id"] for f in frames if f["type"] == "notification"] == [
        pk for pk, _kind in stored
    ]
    assert frames[-1] == {"type": "unread", "count": 3}
