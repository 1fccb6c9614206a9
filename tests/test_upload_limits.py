"""Uploads cost bounded work: the request size is capped before parsing, and
an image with too many pixels, or too many for its bytes, is refused from its
header without being decoded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFile

from board.errors import ValidationFailed
from board.images import process_image
from board.models import Category, Message
from tests.factories import OfficialFactory, png_upload

pytestmark = pytest.mark.django_db

CREATE_URL = "/api/v1/messages/"


def png(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def mostly_uniform(mode: str, size: tuple[int, int]) -> Image.Image:
    image = Image.new(mode, size, "white")
    ImageDraw.Draw(image).rectangle((10, 10, 200, 120), fill="black")
    return image


@pytest.fixture
def never_decoded(monkeypatch):
    """Fail the test if an image's pixel data is decoded."""

    def load(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


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


def test_a_tiny_40_megapixel_png_is_refused_without_decoding(never_decoded):
    upload = png(mostly_uniform("L", (8000, 5000)), "bomb.png")
    assert upload.size < 100_000

    with pytest.raises(ValidationFailed) as caught:
        process_image(upload)

    assert caught.value.field == "attachments"
    assert caught.value.code == "too_many_pixels"
    assert "24" in caught.value.message


def test_many_pixels_in_few_bytes_are_refused_without_decoding(never_decoded):
    # 20 megapixels, under the ceiling, in a few kilobytes.
    upload = png(mostly_uniform("L", (5000, 4000)), "flat.png")

    with pytest.raises(ValidationFailed) as caught:
        process_image(upload)

    assert caught.value.field == "attachments"
    assert caught.value.code == "too_dense"
    assert "flat.png" in caught.value.message


def test_a_normal_photo_still_passes():
    # 2400 x 1800 (4.3 MP, above the density check's floor) of noise, as
    # detailed as a photo.
    photo = Image.effect_noise((2400, 1800), 60).convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85)
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), "image/jpeg")

    result = process_image(upload)

    assert (result.width, result.height) == (2400, 1800)


def test_a_plain_screenshot_still_passes():
    # A phone screenshot of a mostly empty page: few bytes, but few pixels.
    result = process_image(png(mostly_uniform("RGB", (1170, 2532)), "shot.png"))

    assert (result.width, result.height) == (1170, 2532)


def test_the_api_names_the_field_for_a_pixel_bomb(api_client, form):
    form["attachments"] = [png(mostly_uniform("L", (8000, 5000)), "bomb.png")]

    response = api_client.post(CREATE_URL, form, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_pixels"
    assert "bomb.png" in response.json()["attachments"][0]
    assert Message.objects.exists() is False


@pytest.fixture
def parsing(monkeypatch):
    """Record whether a multipart body was parsed."""
    calls = []
    original = MultiPartParser.parse

    def parse(self):
        calls.append(True)
        return original(self)

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    return calls


def test_an_oversized_api_request_gets_413_before_parsing(
    api_client, form, settings, parsing
):
    settings.ZHITONG_MAX_REQUEST_BYTES = 20_000
    form["attachments"] = [
        SimpleUploadedFile("big.png", b"\x89PNG" + bytes(30_000), "image/png")
    ]

    response = api_client.post(CREATE_URL, form, format="multipart")

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert response.json()["limit"] == 20_000
    assert parsing == []
    assert Message.objects.exists() is False


def test_a_request_under_the_cap_is_parsed(api_client, form, settings, parsing):
    settings.ZHITONG_MAX_REQUEST_BYTES = 20_000
    form["attachments"] = [png_upload("small.png")]

    response = api_client.post(CREATE_URL, form, format="multipart")

    assert response.status_code == 201, response.content
    assert parsing == [True]


def test_an_oversized_page_post_gets_413_from_its_declared_length(
    client, citizen, settings, parsing
):
    client.force_login(citizen)
    settings.ZHITONG_MAX_REQUEST_BYTES = 20_000

    response = client.post(
        reverse("board:compose"), {"title": "x"}, CONTENT_LENGTH="20001"
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert parsing == []


def test_the_default_cap_is_every_attachment_at_its_largest_plus_the_form(settings):
    assert settings.ZHITONG_MAX_REQUEST_BYTES == (
        settings.ZHITONG_MAX_ATTACHMENTS * settings.ZHITONG_MAX_ATTACHMENT_BYTES
        + 1024 * 1024
    )
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= (
        settings.ZHITONG_MAX_ATTACHMENTS + 2
    )


def test_more_file_parts_than_allowed_are_a_400_not_a_500(api_client, form):
    form["attachments"] = [png_upload(f"{index}.png") for index in range(10)]

    response = api_client.post(CREATE_URL, form, format="multipart")

    assert response.status_code == 400
    assert Message.objects.exists() is False
