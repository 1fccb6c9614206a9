"""PATCH /api/v1/messages/{id}/: the author changes a message awaiting review."""

import pytest

from board.actions import MessageDraft, message_submit
from board.lifecycle import MessageStatus
from board.models import Category, MessageEvent
from tests.factories import (
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    png_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(citizen):
    official = OfficialFactory()
    return message_submit(
        author=citizen,
        draft=MessageDraft(
            region=official.region,
            category=Category.objects.get(slug="health"),
            kind="inquiry",
            title="医院挂号",
            body="网上挂号总是失败。",
            addressee_official=official,
            contact_phone="138 0000 0000",
        ),
        images=[png_upload("a.png"), png_upload("b.png")],
    )


def patch(api_client, user, message, data, format="json"):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.patch(f"/api/v1/messages/{message.pk}/", data, format=format)


def test_author_edits_given_fields(api_client, citizen, pending):
    response = patch(api_client, citizen, pending, {"title": "医院网上挂号失败"})

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "医院网上挂号失败"
    pending.refresh_from_db()
    assert pending.title == "医院网上挂号失败"
    assert pending.body == "网上挂号总是失败。"
    assert pending.kind == "inquiry"
    assert pending.contact_phone == "138 0000 0000"
    assert pending.status == MessageStatus.PENDING
    assert [event["verb"] for event in response.json()["timeline"]] == [
        "submitted",
        "edited",
    ]
    assert MessageEvent.objects.filter(
        message=pending, verb=MessageEvent.Verb.EDITED, actor=citizen
    ).exists()


def test_body_html_follows_the_body(api_client, citizen, pending):
    response = patch(api_client, citizen, pending, {"body": "**紧急** 请处理"})

    assert "<strong>紧急</strong>" in response.json()["body_html"]


def test_switch_to_a_department(api_client, citizen, pending):
    department = DepartmentFactory(region=pending.region)

    response = patch(
        api_client, citizen, pending, {"addressee_department": department.pk}
    )

    assert response.status_code == 200, response.content
    pending.refresh_from_db()
    assert pending.addressee_department == department
    assert pending.addressee_official is None


def test_add_and_remove_attachments(api_client, citizen, pending):
    first, second = pending.attachments.all()

    response = patch(
        api_client,
        citizen,
        pending,
        {"remove_attachments": [first.pk], "attachments": [png_upload("c.png")]},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    ids = [item["id"] for item in response.json()["attachments"]]
    assert len(ids) == 2
    assert first.pk not in ids
    assert second.pk in ids


def test_too_many_attachments_in_total_is_400(api_client, citizen, pending):
    response = patch(
        api_client,
        citizen,
        pending,
        {"attachments": [png_upload("c.png"), png_upload("d.png")]},
        format="multipart",
    )

    assert response.status_code == 400
    assert "attachments" in response.json()
    assert pending.attachments.count() == 2


def test_bad_input_is_400_and_changes_nothing(api_client, citizen, pending):
    response = patch(api_client, citizen, pending, {"title": "长" * 61, "kind": "x"})

    assert response.status_code == 400
    assert {"title", "kind"} <= set(response.json())
    pending.refresh_from_db()
    assert pending.title == "医院挂号"
    assert not MessageEvent.objects.filter(verb=MessageEvent.Verb.EDITED).exists()


def test_addressee_outside_region_is_400(api_client, citizen, pending):
    response = patch(
        api_client, citizen, pending, {"addressee_official": OfficialFactory().pk}
    )

    assert response.status_code == 400
    assert "addressee_official" in response.json()


def test_anonymous_is_401(api_client, pending):
    assert patch(api_client, None, pending, {"title": "x"}).status_code == 401


def test_other_citizen_is_404(api_client, other_citizen, pending):
    response = patch(api_client, other_citizen, pending, {"title": "改了"})

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.title == "医院挂号"


def test_moderator_is_403(api_client, moderator, pending):
    response = patch(api_client, moderator, pending, {"title": "改了"})

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.title == "医院挂号"


def test_author_cannot_edit_once_published(api_client, citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PUBLISHED)

    response = patch(api_client, citizen, message, {"title": "改了"})

    assert response.status_code == 409
    assert "status" in response.json()
    message.refresh_from_db()
    assert message.title != "改了"


def test_put_is_not_allowed(api_client, citizen, pending):
    api_client.force_authenticate(citizen)

    response = api_client.put(
        f"/api/v1/messages/{pending.pk}/", {"title": "x"}, format="json"
    )

    assert response.status_code == 405


def test_edit_answering_a_change_request_goes_back_to_review(api_client, citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.CHANGES_REQUESTED)

    response = patch(api_client, citizen, message, {"body": "补充了地址：文一路。"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.body == "补充了地址：文一路。"
