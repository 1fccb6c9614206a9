"""POST /api/v1/messages/ as multipart: up to three images."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from board.models import Category, Message, MessageAttachment
from tests.factories import OfficialFactory, png_upload

pytestmark = pytest.mark.django_db

CREATE_URL = "/api/v1/messages/"


@pytest.fixture
def form(citizen, api_client):
    api_client.force_authenticate(citizen)
    official = OfficialFactory()
    return {
        "addressee_official": official.pk,
        "region": official.region_id,
        "category": Category.objects.get(slug="environment").pk,
        "kind": "complaint",
        "title": "河道有垃圾",
        "body": "河边堆满了垃圾。",
    }


def post(api_client, form):
    return api_client.post(CREATE_URL, form, format="multipart")


def test_images_are_attached(api_client, form):
    form["attachments"] = [png_upload("a.png", (40, 30)), png_upload("b.png", (8, 8))]

    response = post(api_client, form)

    assert response.status_code == 201, response.content
    message = Message.objects.get()
    attachments = list(message.attachments.all())
    assert len(attachments) == 2
    assert response.json()["attachments"] == [
        {
            "id": attachment.pk,
            "url": reverse("board:attachment", args=[attachment.pk]),
            "width": attachment.width,
            "height": attachment.height,
            "content_type": "image/png",
            "hidden_from_public": False,
        }
        for attachment in attachments
    ]
    assert [(a.width, a.height) for a in attachments] == [(40, 30), (8, 8)]


def test_multipart_without_images(api_client, form):
    response = post(api_client, form)

    assert response.status_code == 201
    assert response.json()["attachments"] == []


def test_is_public_defaults_to_true_in_multipart(api_client, form):
    response = post(api_client, form)

    assert response.json()["is_public"] is True


def test_is_public_false_in_multipart(api_client, form):
    form["is_public"] = "false"

    response = post(api_client, form)

    assert response.json()["is_public"] is False


def test_text_disguised_as_jpeg_is_400(api_client, form):
    fake = SimpleUploadedFile(
        "photo.jpg", b"just some text, not an image", content_type="image/jpeg"
    )
    form["attachments"] = [png_upload(), fake]

    response = post(api_client, form)

    assert response.status_code == 400
    assert "attachments" in response.json()
    assert Message.objects.count() == 0
    assert MessageAttachment.objects.count() == 0


def test_more_than_three_images_is_400(api_client, form):
    form["attachments"] = [png_upload(f"{index}.png") for index in range(4)]

    response = post(api_client, form)

    assert response.status_code == 400
    assert "attachments" in response.json()
    assert Message.objects.count() == 0


def test_three_images_are_fine(api_client, form):
    form["attachments"] = [png_upload(f"{index}.png") for index in range(3)]

    response = post(api_client, form)

    assert response.status_code == 201
    assert len(response.json()["attachments"]) == 3


def test_empty_file_is_400(api_client, form):
    form["attachments"] = [SimpleUploadedFile("empty.png", b"")]

    response = post(api_client, form)

    assert response.status_code == 400
    assert "attachments" in response.json()
    assert Message.objects.count() == 0


def test_bad_field_with_images_saves_nothing(api_client, form):
    form["title"] = "长" * 61
    form["attachments"] = [png_upload()]

    response = post(api_client, form)

    assert response.status_code == 400
    assert "title" in response.json()
    assert MessageAttachment.objects.count() == 0
