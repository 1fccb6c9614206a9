"""Hostile input to the API answers a 4xx in JSON naming the problem, never a
500: ids no column holds, Unicode digits, JSON nested too deep, OPTIONS on
viewsets without a serializer, malformed ids and unknown routes."""

import json

import pytest

from board.lifecycle import MessageStatus
from board.models import Category, Notification, NotificationKind
from tests.factories import MessageFactory, ReplyFactory

pytestmark = pytest.mark.django_db

HUGE = 2**70


def deeply_nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- Ids no column holds ------------------------------------------------------


@pytest.mark.parametrize("ids", [[HUGE], [1, HUGE], [str(HUGE)]])
def test_read_with_an_id_too_large_is_400_naming_ids(api_client, citizen, ids):
    api_client.force_authenticate(citizen)

    response = api_client.post(
        "/api/v1/notifications/read/", {"ids": ids}, format="json"
    )

    assert response.status_code == 400
    assert "ids" in response.json()


def test_read_with_ids_still_marks_the_users_own(api_client, citizen):
    message = MessageFactory(author=citizen)
    notification = Notification.objects.create(
        recipient=citizen, kind=NotificationKind.MESSAGE_APPROVED, message=message
    )
    api_client.force_authenticate(citizen)

    response = api_client.post(
        "/api/v1/notifications/read/", {"ids": [notification.pk]}, format="json"
    )

    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("after", ["³", "²⁵", "-1"])
def test_catch_up_after_no_whole_number_is_400(api_client, citizen, after):
    api_client.force_authenticate(citizen)

    response = api_client.get("/api/v1/notifications/", {"after": after})

    assert response.status_code == 400
    assert list(response.json()) == ["after"]


@pytest.mark.parametrize("after", [str(HUGE), "9" * 5000])
def test_catch_up_after_every_id_is_empty(api_client, citizen, after):
    api_client.force_authenticate(citizen)

    response = api_client.get("/api/v1/notifications/", {"after": after})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_path_id_too_large_is_a_json_404(api_client):
    response = api_client.get(f"/api/v1/messages/{HUGE}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_follow_id_too_large_is_a_json_404(api_client, citizen):
    api_client.force_authenticate(citizen)

    response = api_client.post(f"/api/v1/messages/{'9' * 30}/follow/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# --- Unicode digits in the category filter ----------------------------------


@pytest.mark.parametrize("value", ["³", "١٢", "²⁵"])
def test_message_list_category_in_unicode_digits_is_400(api_client, value):
    response = api_client.get("/api/v1/messages/", {"category": value})

    assert response.status_code == 400
    assert "category" in response.json()


def test_inbox_category_in_unicode_digits_is_400(api_client, official):
    api_client.force_authenticate(official.user)

    response = api_client.get("/api/v1/inbox/", {"category": "³"})

    assert response.status_code == 400
    assert "category" in response.json()


def test_moderation_queue_category_in_unicode_digits_is_400(api_client, moderator):
    api_client.force_authenticate(moderator)

    response = api_client.get("/api/v1/moderation/queue/", {"category": "³"})

    assert response.status_code == 400
    assert "category" in response.json()


def test_category_by_ascii_id_still_filters(api_client):
    category = Category.objects.first()
    MessageFactory(status=MessageStatus.PUBLISHED, category=category)

    response = api_client.get("/api/v1/messages/", {"category": str(category.pk)})

    assert response.status_code == 200


# --- JSON nested too deep -----------------------------------------------------


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deep_json_to_the_token_endpoint_is_400(api_client, depth):
    response = api_client.post(
        "/api/v1/auth/token/",
        deeply_nested(depth),
        content_type="application/json",
    )

    assert response.status_code == 400
    # The message names the limit, in the request's language (Chinese here).
    assert "32" in response.json()["detail"]
    english = api_client.post(
        "/api/v1/auth/token/",
        deeply_nested(depth),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "nested deeper than 32 levels" in english.json()["detail"]


def test_deep_json_to_a_write_is_400_and_saves_nothing(api_client, citizen):
    api_client.force_authenticate(citizen)
    body = '{"title": "t", "body": ' + deeply_nested(100_000) + "}"

    response = api_client.post(
        "/api/v1/messages/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    assert citizen.messages.count() == 0


def test_json_at_the_depth_cap_is_parsed(api_client, citizen):
    api_client.force_authenticate(citizen)
    body = json.dumps({"ids": [1], "all": False, "x": json.loads(deeply_nested(31))})

    response = api_client.post(
        "/api/v1/notifications/read/", body, content_type="application/json"
    )

    assert response.status_code == 200


# --- OPTIONS, malformed ids and unknown routes --------------------------------


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/api/v1/messages/1/accept/", "citizen"),
        ("/api/v1/messages/1/replies/", "citizen"),
        ("/api/v1/messages/1/rating/", "citizen"),
        ("/api/v1/replies/1/sign-off/", "citizen"),
        ("/api/v1/moderation/replies/1/hide/", "moderator"),
    ],
)
def test_options_on_viewsets_without_a_serializer(api_client, request, url, role):
    api_client.force_authenticate(request.getfixturevalue(role))

    response = api_client.options(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("action", ["hide", "restore", "redact", "resolve-reports"])
def test_moderation_reply_route_with_a_word_for_an_id_is_json_404(
    api_client, moderator, action
):
    ReplyFactory()
    api_client.force_authenticate(moderator)

    response = api_client.post(
        f"/api/v1/moderation/replies/abc/{action}/", {}, format="json"
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/messages/abc/",
        "/api/v1/messages/1.5/withdraw/",
        "/api/v1/moderation/messages/null,null/notes/",
    ],
)
def test_unknown_api_routes_are_json_404(api_client, url):
    response = api_client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_unknown_pages_outside_the_api_stay_html(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_too_many_fields_under_the_api_is_a_json_400(api_client, citizen, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    api_client.force_authenticate(citizen)

    response = api_client.post(
        "/api/v1/notifications/read/", {"ids": list(range(1, 30))}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_moderator_can_still_hide_a_reply_by_its_id(api_client, moderator):
    reply = ReplyFactory(message=MessageFactory(status=MessageStatus.REPLIED))
    api_client.force_authenticate(moderator)

    response = api_client.post(
        f"/api/v1/moderation/replies/{reply.pk}/hide/",
        {"reason": "abuse"},
        format="json",
    )

    assert response.status_code != 404
