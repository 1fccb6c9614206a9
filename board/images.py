"""Attachments: check uploaded images and re-encode them without metadata.

The type is decided by the bytes (Pillow), never by the file name or the
content type the client sends. Every accepted image is decoded and encoded
again into a fresh image, so EXIF (GPS position, camera serial), XMP,
comments and ICC profiles never reach other citizens.
"""

import io
import os
import struct
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from board.errors import ValidationFailed

FIELD = "attachments"

# Above the photos phones write by default (12–24 MP; a 48 MP sensor saves
# 12 MP unless told otherwise), and a bound on the cost of one decode: about
# 100 MB as RGBA and a second of CPU, three times per request.
MAX_IMAGE_PIXELS = 24_000_000

# A decompression bomb declares millions of pixels in a few kilobytes: a
# uniform 40 MP PNG compresses to ~170 KB, 235 pixels per byte. Photos store
# 2–10 pixels per byte, screenshots and scanned pages rarely over 50. Images
# over MIN_PIXELS_FOR_DENSITY_CHECK (cheap to decode whatever they hold)
# with more pixels per byte than this are refused from their header.
MAX_PIXELS_PER_BYTE = 100
MIN_PIXELS_FOR_DENSITY_CHECK = 4_000_000

# Pillow format -> (content type, extension, save options). MPO is how
# Pillow names the multi-picture JPEGs many phones write; its first
# picture is an ordinary JPEG.
_JPEG = ("image/jpeg", "jpg", {"quality": 85, "optimize": True})
OUTPUT_FORMATS = {
    "JPEG": ("JPEG", *_JPEG),
    "MPO": ("JPEG", *_JPEG),
    "PNG": ("PNG", "image/png", "png", {"optimize": True}),
    "WEBP": ("WEBP", "image/webp", "webp", {"quality": 85}),
}

# Pillow plugins allowed to open an upload; the JPEG one also opens MPO.
OPEN_FORMATS = ("JPEG", "PNG", "WEBP")

# What a damaged file makes Pillow's decoders raise.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded attachment, ready to be saved to a FileField."""

    content: ContentFile
    content_type: str
    width: int
    height: int
    size: int


def validate_attachment_count(files, maximum: int | None = None) -> None:
    """Refuse more than ``maximum`` attachments.

    ``maximum`` defaults to ``settings.ZHITONG_MAX_ATTACHMENTS`` (3).
    """
    if maximum is None:
        maximum = getattr(settings, "ZHITONG_MAX_ATTACHMENTS", 3)
    if len(files) > maximum:
        raise ValidationFailed(
            ngettext(
                "You can attach at most %(maximum)d image.",
                "You can attach at most %(maximum)d images.",
                maximum,
            )
            % {"maximum": maximum},
            field=FIELD,
            code="too_many",
        )


def process_image(upload) -> ProcessedImage:
    """Check an uploaded image and return it re-encoded without metadata.

    ``upload`` is a Django ``UploadedFile`` or any file-like object with
    ``name`` and ``read()`` (``size`` and ``seek()`` are used if present).
    Raises ``ValidationFailed`` (field "attachments") for files that are too
    big, not JPEG/PNG/WebP by content, damaged, or too many pixels.
    """
    name = os.path.basename(getattr(upload, "name", "") or "") or _("attachment")
    limit = settings.ZHITONG_MAX_ATTACHMENT_BYTES
    data = _read_limited(upload, name, limit)

    with warnings.catch_warnings():
        # Pillow warns above Image.MAX_IMAGE_PIXELS and raises above twice
        # that; both are refused here like any image over MAX_IMAGE_PIXELS.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=OPEN_FORMATS) as image:
                source_format = image.format
                # Image.open has read the header only: refuse before the
                # expensive full decode.
                _check_pixels(image, name, len(data))
                # Animated WebP/PNG and MPO keep their first frame, which
                # Image.open has selected.
                image.load()
                image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name) from None
        except UnidentifiedImageError:
            raise _unsupported(name) from None
        except _DECODE_ERRORS:
            raise ValidationFailed(
                _(
                    "“%(name)s” could not be read; the image may be damaged "
                    "or incomplete."
                )
                % {"name": name},
                field=FIELD,
                code="corrupt",
            ) from None

    if source_format not in OUTPUT_FORMATS:
        raise _unsupported(name)
    pillow_format, content_type, extension, options = OUTPUT_FORMATS[source_format]

    fresh = _without_metadata(_convert_mode(image, pillow_format))
    buffer = io.BytesIO()
    fresh.save(buffer, pillow_format, **options)
    encoded = buffer.getvalue()
    return ProcessedImage(
        content=ContentFile(encoded, name=f"{uuid.uuid4().hex}.{extension}"),
        content_type=content_type,
        width=fresh.width,
        height=fresh.height,
        size=len(encoded),
    )


def _read_limited(upload, name: str, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(name, limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    # Read one byte past the limit rather than trust a reported size.
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(name, limit)
    if not data:
        raise _unsupported(name)
    return data


def _check_pixels(image: Image.Image, name: str, size: int) -> None:
    pixels = image.width * image.height
    if pixels > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name)
    if pixels > MIN_PIXELS_FOR_DENSITY_CHECK and pixels > MAX_PIXELS_PER_BYTE * size:
        raise ValidationFailed(
            _(
                "“%(name)s” has %(megapixels)d megapixels in only %(size)s, "
                "which is not what a photo looks like; save it again as an "
                "ordinary photo or screenshot."
            )
            % {
                "name": name,
                "megapixels": pixels // 1_000_000,
                "size": filesizeformat(size),
            },
            field=FIELD,
            code="too_dense",
        )


def _convert_mode(image: Image.Image, pillow_format: str) -> Image.Image:
    """Bring ``image`` to a mode the output format stores as browsers expect."""
    if pillow_format == "JPEG":
        # CMYK and YCbCr JPEGs display inconsistently across browsers.
        if image.mode in ("L", "RGB"):
            return image
        return image.convert("L" if image.mode == "1" else "RGB")
    png_modes = ("1", "L", "LA", "I", "I;16", "RGB", "RGBA")
    if pillow_format == "PNG" and image.mode in png_modes:
        return image
    if pillow_format == "WEBP" and image.mode in ("RGB", "RGBA"):
        return image
    # Palette images (with or without a transparent colour), 16-bit and
    # other modes: keep transparency if there is any.
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _without_metadata(image: Image.Image) -> Image.Image:
    # A new image carries no .info, so no EXIF, XMP, ICC profile, comment
    # or text chunk can ride along: Pillow's encoders copy some of them
    # from .info by default.
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _too_large(name: str, limit: int) -> ValidationFailed:
    return ValidationFailed(
        _("“%(name)s” is too large: an attachment may be at most %(limit)s.")
        % {"name": name, "limit": filesizeformat(limit)},
        field=FIELD,
        code="too_large",
    )


def _too_many_pixels(name: str) -> ValidationFailed:
    return ValidationFailed(
        _(
            "“%(name)s” has too many pixels: an image may have at most "
            "%(megapixels)d megapixels."
        )
        % {"name": name, "megapixels": MAX_IMAGE_PIXELS // 1_000_000},
        field=FIELD,
        code="too_many_pixels",
    )


def _unsupported(name: str) -> ValidationFailed:
    return ValidationFailed(
        _("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": name},
        field=FIELD,
        code="unsupported_type",
    )
