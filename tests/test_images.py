"""Attachments are checked by content and re-encoded without metadata."""

import io
import re
import struct
import warnings
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageOps
from PIL.PngImagePlugin import PngInfo

from board.errors import ValidationFailed
from board.images import (
    MAX_IMAGE_PIXELS,
    ProcessedImage,
    process_image,
    validate_attachment_count,
)

ORIENTATION = 0x0112
MAKE = 0x010F
GPS_IFD = 0x8825
RED = (255, 0, 0)
BLUE = (0, 0, 255)
SECRET = b"SecretSerial-4711"


def _upload(data: bytes, name: str, content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = SECRET.decode()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 50.0)
    return exif


def _half_red_half_blue(width: int = 40, height: int = 20, mode: str = "RGB"):
    """Left half red, right half blue, so a rotation can be seen."""
    image = Image.new(mode, (width, height), BLUE)
    image.paste(Image.new(mode, (width // 2, height), RED), (0, 0))
    return image


def _encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _jpeg_with_metadata(orientation: int | None = 6) -> bytes:
    data = _encode(
        _half_red_half_blue(),
        "JPEG",
        exif=_exif(orientation),
        comment=SECRET,
        xmp=b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>",
    )
    # The fixture really carries what must be removed.
    with Image.open(io.BytesIO(data)) as source:
        assert source.getexif().get(ORIENTATION) == orientation
        assert source.getexif().get_ifd(GPS_IFD)[1] == "N"
    assert SECRET in data
    return data


def _open_result(result: ProcessedImage) -> tuple[bytes, Image.Image]:
    result.content.seek(0)
    data = result.content.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def _assert_no_metadata(data: bytes, image: Image.Image):
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert "xmp" not in image.info
    assert "XML:com.adobe.xmp" not in image.info
    assert "icc_profile" not in image.info
    assert "comment" not in image.info
    assert SECRET not in data
    assert b"Exif" not in data


def _assert_refused(upload, code: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        process_image(upload)
    assert caught.value.field == "attachments"
    assert caught.value.code == code
    assert upload.name in caught.value.message
    return caught.value


def _close(expected, actual, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(expected, actual, strict=True))


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares huge dimensions but holds almost no data."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return (
            struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


# Accepted formats


def test_jpeg_is_reencoded_without_exif_gps_xmp_or_comment():
    result = process_image(_upload(_jpeg_with_metadata(orientation=None), "a.jpg"))

    data, image = _open_result(result)
    assert image.format == "JPEG"
    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == (40, 20) == image.size
    _assert_no_metadata(data, image)


def test_jpeg_orientation_is_applied_before_exif_is_dropped():
    result = process_image(_upload(_jpeg_with_metadata(orientation=6), "rotated.jpg"))

    data, image = _open_result(result)
    # Orientation 6 means "rotate 90° clockwise to display": a 40x20 photo
    # is shown 20x40 with its left (red) half on top.
    assert (result.width, result.height) == (20, 40) == image.size
    assert _close(RED, image.convert("RGB").getpixel((10, 5)))
    assert _close(BLUE, image.convert("RGB").getpixel((10, 35)))
    _assert_no_metadata(data, image)


def test_png_is_reencoded_without_text_icc_or_exif():
    info = PngInfo()
    info.add_text("Author", SECRET.decode())
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = _encode(
        _half_red_half_blue(mode="RGBA"),
        "PNG",
        pnginfo=info,
        icc_profile=icc,
        exif=_exif(),
    )
    assert SECRET in source

    result = process_image(_upload(source, "drawing.png", "image/png"))

    data, image = _open_result(result)
    assert image.format == "PNG"
    assert result.content_type == "image/png"
    assert image.mode == "RGBA"
    assert (result.width, result.height) == (40, 20)
    assert "Author" not in image.info
    _assert_no_metadata(data, image)
    assert image.getpixel((0, 0)) == (*RED, 255)


def test_webp_is_reencoded_without_exif():
    source = _encode(_half_red_half_blue(), "WEBP", exif=_exif(), quality=90)
    with Image.open(io.BytesIO(source)) as original:
        assert "exif" in original.info

    result = process_image(_upload(source, "photo.webp", "image/webp"))

    data, image = _open_result(result)
    assert image.format == "WEBP"
    assert result.content_type == "image/webp"
    assert (result.width, result.height) == (40, 20)
    _assert_no_metadata(data, image)


@pytest.mark.parametrize(
    ("image_format", "content_type", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("WEBP", "image/webp", "webp"),
    ],
)
def test_result_is_named_randomly_with_the_right_extension_and_size(
    image_format, content_type, extension
):
    source = _encode(_half_red_half_blue(), image_format)

    first = process_image(_upload(source, "../../etc/passwd.gif"))
    second = process_image(_upload(source, "../../etc/passwd.gif"))

    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", first.content.name)
    assert first.content.name != second.content.name
    assert first.content_type == content_type
    assert first.size == len(first.content.read()) == first.content.size


def test_type_comes_from_content_not_name_or_client_content_type():
    source = _encode(_half_red_half_blue(), "PNG")

    result = process_image(_upload(source, "photo.jpg", content_type="image/jpeg"))

    assert result.content_type == "image/png"
    assert result.content.name.endswith(".png")
    assert Image.open(result.content).format == "PNG"


def test_animated_webp_keeps_its_first_frame():
    frames = [Image.new("RGB", (16, 16), colour) for colour in (RED, BLUE, (0, 255, 0))]
    source = _encode(
        frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100
    )
    with Image.open(io.BytesIO(source)) as original:
        assert original.n_frames == 3

    result = process_image(_upload(source, "anim.webp"))

    _, image = _open_result(result)
    assert getattr(image, "n_frames", 1) == 1
    assert _close(RED, image.convert("RGB").getpixel((8, 8)))


def test_animated_png_keeps_its_first_frame():
    frames = [Image.new("RGB", (16, 16), colour) for colour in (RED, BLUE)]
    source = _encode(
        frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100
    )
    with Image.open(io.BytesIO(source)) as original:
        assert original.n_frames == 2

    result = process_image(_upload(source, "anim.png"))

    _, image = _open_result(result)
    assert getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((8, 8)) == RED


def test_multi_picture_jpeg_from_a_phone_is_accepted_as_jpeg():
    first, second = Image.new("RGB", (16, 16), RED), Image.new("RGB", (8, 8), BLUE)
    source = _encode(first, "MPO", save_all=True, append_images=[second])
    with Image.open(io.BytesIO(source)) as original:
        assert original.format == "MPO"

    result = process_image(_upload(source, "portrait.jpg"))

    _, image = _open_result(result)
    assert image.format == "JPEG"
    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == (16, 16)


def test_palette_png_with_transparency_becomes_rgba():
    image = Image.new("P", (10, 10), 0)
    image.putpalette([*RED, *BLUE] + [0, 0, 0] * 254)
    image.paste(1, (5, 0, 10, 10))
    source = _encode(image, "PNG", transparency=0)

    result = process_image(_upload(source, "palette.png"))

    _, processed = _open_result(result)
    assert processed.mode == "RGBA"
    assert processed.getpixel((0, 0))[3] == 0
    assert processed.getpixel((9, 0)) == (*BLUE, 255)


def test_cmyk_jpeg_becomes_rgb():
    source = _encode(Image.new("CMYK", (10, 10), (0, 255, 255, 0)), "JPEG")

    result = process_image(_upload(source, "print.jpg"))

    _, image = _open_result(result)
    assert image.mode == "RGB"
    assert _close(RED, image.getpixel((5, 5)))


def test_orientation_8_is_applied_and_not_left_for_browsers_to_apply_again():
    # exif_transpose on the result is a no-op: no orientation is left.
    result = process_image(_upload(_jpeg_with_metadata(orientation=8), "r.jpg"))

    _, image = _open_result(result)
    assert ImageOps.exif_transpose(image).size == image.size == (20, 40)


# Refused files


def test_gif_is_refused():
    source = _encode(Image.new("RGB", (10, 10), RED), "GIF")

    error = _assert_refused(_upload(source, "cat.gif", "image/gif"), "unsupported_type")

    assert "JPEG" in error.message and "WebP" in error.message


def test_text_file_named_like_a_photo_is_refused():
    upload = _upload(b"just some text, not a photo\n" * 10, "photo.jpg")

    _assert_refused(upload, "unsupported_type")


def test_pdf_is_refused():
    upload = _upload(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer\n%%EOF\n", "a.pdf")

    _assert_refused(upload, "unsupported_type")


def test_empty_file_is_refused():
    _assert_refused(_upload(b"", "empty.jpg"), "unsupported_type")


def test_truncated_jpeg_is_refused():
    noise = Image.effect_noise((128, 128), 64).convert("RGB")
    source = _encode(noise, "JPEG", quality=95)

    _assert_refused(_upload(source[: len(source) // 2], "cut.jpg"), "corrupt")


def test_file_over_the_limit_is_refused_naming_file_and_limit():
    upload = _upload(b"\xff\xd8" + b"\x00" * (5 * 1024 * 1024), "big.jpg")

    error = _assert_refused(upload, "too_large")

    assert "5.0" in error.message
    assert "MB" in error.message


def test_limit_is_read_from_settings_at_call_time(settings):
    settings.ZHITONG_MAX_ATTACHMENT_BYTES = 100
    source = _encode(Image.effect_noise((32, 32), 64).convert("RGB"), "PNG")
    assert len(source) > 100

    _assert_refused(_upload(source, "small.png"), "too_large")


def test_reported_size_is_not_trusted(settings):
    settings.ZHITONG_MAX_ATTACHMENT_BYTES = 100
    upload = _upload(b"\x00" * 500, "liar.jpg")
    upload.size = 10

    _assert_refused(upload, "too_large")


def test_too_many_pixels_is_refused_before_decoding():
    side = int(MAX_IMAGE_PIXELS**0.5) + 100
    upload = _upload(_png_header(side, side), "huge.png")

    error = _assert_refused(upload, "too_many_pixels")

    assert str(MAX_IMAGE_PIXELS // 1_000_000) in error.message


@pytest.mark.parametrize(
    "size",
    [
        # Over Image.MAX_IMAGE_PIXELS: Pillow warns on open.
        (10_000, 9_000),
        # Over twice that: Pillow raises DecompressionBombError on open.
        (20_000, 20_000),
    ],
)
def test_decompression_bombs_are_refused_without_leaking_warnings(size):
    upload = _upload(_png_header(*size), "bomb.png")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _assert_refused(upload, "too_many_pixels")

    assert [
        w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)
    ] == []


# Attachment count


def test_three_attachments_are_allowed():
    assert validate_attachment_count(["a", "b", "c"]) is None


def test_more_than_three_attachments_are_refused():
    with pytest.raises(ValidationFailed) as caught:
        validate_attachment_count(["a", "b", "c", "d"])

    assert caught.value.field == "attachments"
    assert caught.value.code == "too_many"
    assert "3" in caught.value.message


def test_attachment_maximum_can_be_given(settings):
    settings.ZHITONG_MAX_ATTACHMENTS = 10

    validate_attachment_count(["a", "b", "c", "d"])
    with pytest.raises(ValidationFailed):
        validate_attachment_count(["a", "b"], maximum=1)
