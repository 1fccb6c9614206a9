"""Pushed events keep a client's state equal to a fresh fetch (Zulip's event
tests): after every action, what a client built from the frames it received
through the channel layer is what it would get by asking again."""

import pytest

from board.actions import (
    message_accept,
    message_edit,
    message_submit,
    notifications_mark_read,
    rating_submit,
    reply_create,
)
from board.lifecycle import MessageStatus
from board.models import Message, Notification
from board.realtime.events import MODERATION_QUEUE_GROUP, message_page_group, user_group
from moderation.actions import (
    message_approve,
    message_request_changes,
    queue_item_claim,
    queue_item_release,
)
from moderation.selectors import queue_counts, queue_items
from tests.factories import MessageDraftFactory

pytestmark = pytest.mark.django_db

SATISFIED = {"attitude": 5, "speed": 5, "resolved": 5}
QUEUE_FRAME_KEYS = {"type", "op", "message_id", "status", "claimed_by"}


class NotificationClient:
    """A client's notification state: frames by id, and the bell's count."""

    def __init__(self, page: dict):
        self.frames = {frame["id"]: frame for frame in page["results"]}
        self.unread = page["unread"]

    def apply(self, event: dict) -> None:
        payload = event["payload"]
        if event["type"] == "notification.created":
            assert payload["type"] == "notification"
            assert payload["id"] not in self.frames, "pushed twice"
            assert all(payload["id"] > known for known in self.frames), "id order"
            self.frames[payload["id"]] = payload
            self.unread += 1
        elif event["type"] == "notification.read":
            assert payload["type"] == "unread"
            self.unread = payload["count"]
        else:
            raise AssertionError(f"unexpected event {event!r}")

    def state(self) -> list[tuple]:
        return summary(self.frames.values())


class QueueClient:
    """A moderator's pending queue: message id -> who holds it ("" if free)."""

    def __init__(self, pending: dict[int, str]):
        self.pending = dict(pending)

    def apply(self, event: dict) -> None:
        assert event["type"] == "queue.changed"
        frame = event["payload"]
        # Ids and status only: a queue frame never carries a message's text.
        assert set(frame) == QUEUE_FRAME_KEYS
        assert frame["type"] == "queue"
        message_id, op = frame["message_id"], frame["op"]
        if op == "resolved" or frame["status"] != MessageStatus.PENDING:
            self.pending.pop(message_id, None)
        elif op == "arrived" or op == "released":
            self.pending[message_id] = ""
        elif op == "claimed":
            self.pending[message_id] = frame["claimed_by"]
        else:
            assert op == "edited"


def summary(frames) -> list[tuple]:
    return sorted(
        (frame["id"], frame["kind"], frame["message_id"], frame["title"], frame["url"])
        for frame in frames
    )


def pending_queue() -> dict[int, str]:
    return {
        message.pk: str(message.claimed_by) if message.claimed_by_id else ""
        for message in queue_items("pending")
    }


@pytest.fixture
def fetch(api_client):
    def fetch(user) -> dict:
        api_client.force_authenticate(user)
        response = api_client.get("/api/v1/notifications/", {"after": 0})
        assert response.status_code == 200
        assert response.json()["more"] is False
        return response.json()

    return fetch


def test_author_and_moderators_stay_consistent_through_a_messages_life(
    citizen,
    other_citizen,
    moderator,
    moderator2,
    official,
    group_tap,
    fetch,
    django_capture_on_commit_callbacks,
):
    author = citizen
    group_tap.listen(user_group(author.pk), MODERATION_QUEUE_GROUP)
    client = NotificationClient(fetch(author))
    queue = QueueClient(pending_queue())
    assert client.frames == {}
    box = {}

    def message():
        return Message.objects.get(pk=box["message"].pk)

    def other():
        return Message.objects.get(pk=box["other"].pk)

    def submit():
        box["message"] = message_submit(
            author=author, draft=MessageDraftFactory(addressee_official=official)
        )

    def submit_other():
        box["other"] = message_submit(
            author=other_citizen,
            draft=MessageDraftFactory(addressee_official=official, title="另一条"),
        )

    def edit_other():
        draft = MessageDraftFactory(addressee_official=official, title="改过的")
        message_edit(message=other(), actor=other_citizen, draft=draft)

    def mark_some_read():
        first_two = sorted(client.frames)[:2]
        assert notifications_mark_read(user=author, ids=first_two) == 2

    steps = [
        # (what happens, the author's new kinds, the queue's ops)
        (submit, [], ["arrived"]),
        (submit_other, [], ["arrived"]),
        (lambda: queue_item_claim(message=message(), actor=moderator), [], ["claimed"]),
        (
            lambda: queue_item_claim(message=other(), actor=moderator2),
            [],
            ["claimed"],
        ),
        (
            lambda: queue_item_release(message=message(), actor=moderator),
            [],
            ["released"],
        ),
        (
            lambda: queue_item_claim(message=message(), actor=moderator2),
            [],
            ["claimed"],
        ),
        (
            lambda: message_request_changes(
                message=other(), actor=moderator2, note="请写明地址。"
            ),
            [],
            ["resolved"],
        ),
        (edit_other, [], ["arrived"]),
        (
            lambda: message_approve(message=message(), actor=moderator2),
            ["message.approved"],
            ["resolved"],
        ),
        (
            lambda: message_accept(message=message(), actor=official.user),
            ["message.accepted"],
            [],
        ),
        (
            lambda: reply_create(
                message=message(), actor=official.user, body="正在处理。", final=False
            ),
            ["message.interim_reply"],
            [],
        ),
        (
            lambda: reply_create(
                message=message(), actor=official.user, body="已修好。", final=True
            ),
            ["message.replied"],
            [],
        ),
        (
            lambda: rating_submit(message=message(), actor=author, **SATISFIED),
            ["message.closed"],
            [],
        ),
        (mark_some_read, [], []),
        (lambda: notifications_mark_read(user=author), [], []),
    ]

    for number, (action, new_kinds, queue_ops) in enumerate(steps, 1):
        known = set(client.frames)
        with django_capture_on_commit_callbacks(execute=True):
            action()

        for event in group_tap.drain(user_group(author.pk)):
            client.apply(event)
        queue_events = group_tap.drain(MODERATION_QUEUE_GROUP)
        for event in queue_events:
            queue.apply(event)

        fresh = fetch(author)
        assert client.state() == summary(fresh["results"]), f"step {number}"
        assert client.unread == fresh["unread"], f"step {number}"
        assert [
            client.frames[pk]["kind"] for pk in sorted(set(client.frames) - known)
        ] == new_kinds, f"step {number}"
        assert queue.pending == pending_queue(), f"step {number}"
        assert len(queue.pending) == queue_counts()["pending"], f"step {number}"
        assert [event["payload"]["op"] for event in queue_events] == queue_ops, (
            f"step {number}"
        )

    assert message().status == MessageStatus.CLOSED
    assert client.unread == 0
    assert len(client.frames) == 5
    assert queue.pending == {box["other"].pk: ""}


def test_a_public_messages_page_hears_its_status_and_replies(
    citizen, moderator, official, group_tap, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_submit(
            author=citizen, draft=MessageDraftFactory(addressee_official=official)
        )
    group_tap.listen(message_page_group(message.pk))

    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=message, actor=moderator)
        message_accept(message=message, actor=official.user)
        reply = reply_create(
            message=message, actor=official.user, body="已修好。", final=True
        )

    frames = group_tap.payloads(message_page_group(message.pk), "message.updated")
    assert [(f["op"], f["status"]) for f in frames] == [
        ("status", "published"),
        ("status", "accepted"),
        ("status", "replied"),
        ("reply", "replied"),
    ]
    assert frames[-1]["reply_id"] == reply.pk


def test_a_private_messages_events_never_reach_its_page_group(
    citizen, moderator, official, group_tap, fetch, django_capture_on_commit_callbacks
):
    def committed(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    message = committed(
        lambda: message_submit(
            author=citizen,
            draft=MessageDraftFactory(addressee_official=official, is_public=False),
        )
    )
    page = message_page_group(message.pk)
    group_tap.listen(page, user_group(citizen.pk))
    client = NotificationClient({"results": [], "unread": 0})

    for action in [
        lambda: message_approve(message=message, actor=moderator),
        lambda: message_accept(message=message, actor=official.user),
        lambda: reply_create(
            message=message, actor=official.user, body="正在处理。", final=False
        ),
        lambda: reply_create(
            message=message, actor=official.user, body="已处理。", final=True
        ),
        lambda: rating_submit(message=message, actor=citizen, **SATISFIED),
    ]:
        committed(action)
        assert group_tap.drain(page) == []
        # The author still hears of every step, on their own group.
        for event in group_tap.drain(user_group(citizen.pk)):
            client.apply(event)
        assert client.state() == summary(fetch(citizen)["results"])

    assert [frame["kind"] for frame in client.frames.values()] == [
        "message.approved",
        "message.accepted",
        "message.interim_reply",
        "message.replied",
        "message.closed",
    ]
    assert set(
        Notification.objects.exclude(recipient=citizen).values_list("kind", flat=True)
    ) == {"inbox.new_message"}
