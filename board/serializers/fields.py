"""Fields the API's serializers share: rows by id, categories, uploads and
booleans and numbers that are not guessed at.

In a JSON body booleans and numbers must be JSON booleans and numbers; form
and multipart bodies carry them as text.
"""

from django.conf import settings
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from board import filter_choices
from board.ids import MAX_ID, parse_id  # noqa: F401 (MAX_ID: re-exported)
from board.models import Category


class IdField(serializers.PrimaryKeyRelatedField):
    """A row by its id; an id that no column can hold is simply not found.

    ``kept_as``: the queryset is reference data (regions, officials,
    departments), found among the rows each process keeps of it under that
    name (board/filter_choices.py) rather than by a query a request."""

    def __init__(self, *, kept_as: str = "", **kwargs):
        self.kept_as = kept_as
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip()
        if not (text.isascii() and text.lstrip("-").isdigit()):
            self.fail("incorrect_type", data_type=type(data).__name__)
        number = parse_id(text)
        if number is None:
            self.fail("does_not_exist", pk_value=text)
        if self.kept_as and filter_choices.is_keeping():
            row = filter_choices.rows(self.kept_as, self.get_queryset()).get(number)
            if row is None:
                self.fail("does_not_exist", pk_value=text)
            return row
        return super().to_internal_value(number)


@extend_schema_field(OpenApiTypes.STR)
class CategoryField(serializers.RelatedField):
    """A category by its id or its slug; with ``kept_as``, found among the
    kept rows as ``IdField`` finds them."""

    default_error_messages = {
        "does_not_exist": _("No category “{value}”."),
        "incorrect_type": _("Give a category id or slug."),
    }

    def __init__(self, *, kept_as: str = "", **kwargs):
        self.kept_as = kept_as
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type")
        value = str(data).strip()
        queryset = self.get_queryset()
        # An id in ASCII digits; other text ("³" included) is a slug.
        if value.isascii() and value.isdigit():
            number = parse_id(value)
            if number is None:
                self.fail("does_not_exist", value=value)
            lookup = {"pk": number}
        else:
            lookup = {"slug": value}
        if self.kept_as and filter_choices.is_keeping():
            ((field, wanted),) = lookup.items()
            for row in filter_choices.rows(self.kept_as, queryset).values():
                if getattr(row, field) == wanted:
                    return row
            self.fail("does_not_exist", value=value)
        try:
            return queryset.get(**lookup)
        except Category.DoesNotExist:
            self.fail("does_not_exist", value=value)

    def to_representation(self, value):
        return value.pk


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """An uploaded file; the action decides whether it is an image."""


def _image_uploads_help_text() -> str:
    count = settings.ZHITONG_MAX_ATTACHMENTS
    return ngettext(
        "Up to %(count)d JPEG, PNG or WebP image (multipart only).",
        "Up to %(count)d JPEG, PNG or WebP images (multipart only).",
        count,
    ) % {"count": count}


def image_uploads_field() -> serializers.ListField:
    """The images sent with a message or a reply (multipart only)."""
    return serializers.ListField(
        child=UploadField(),
        required=False,
        default=list,
        # The schema's maxItems, fixed at import; the actions enforce
        # ZHITONG_MAX_ATTACHMENTS itself (board.images).
        max_length=3,
        write_only=True,
        # Lazy: the setting is read when the text is shown, not at import.
        help_text=lazy(_image_uploads_help_text, str)(),
    )


class OptionalBooleanField(serializers.BooleanField):
    """A boolean that takes its default when a form leaves it out.

    DRF reads a missing boolean in form data as an unticked box (False); an
    API client that leaves ``is_public`` out of a multipart request means
    the default, as it does in JSON.
    """

    default_empty_html = empty


def _is_form_data(field: serializers.Field) -> bool:
    """Form and multipart bodies arrive as a QueryDict of text."""
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false``. In JSON a string such as ``"false"`` is refused
    rather than guessed at; a form sends ``true``/``false`` or ``1``/``0``.

    Left out of a form, it takes its default, as in JSON.
    """

    FORM_VALUES = {"true": True, "false": False, "1": True, "0": False}
    default_empty_html = empty

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if _is_form_data(self) and isinstance(data, str):
            value = self.FORM_VALUES.get(data.strip().lower())
            if value is not None:
                return value
        self.fail("invalid", input=data)


class StrictIntegerField(serializers.IntegerField):
    """A whole number; in JSON a number, never a string, a float or a boolean."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or (
            not _is_form_data(self) and not isinstance(data, int)
        ):
            self.fail("invalid")
        return super().to_internal_value(data)
