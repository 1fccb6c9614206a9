"""How the API reads a request: JSON bodies of bounded depth, and OPTIONS.

Named in ``REST_FRAMEWORK`` (``DEFAULT_PARSER_CLASSES``,
``DEFAULT_METADATA_CLASS``); DRF reads those settings while it defines its
views, so this module imports no DRF views.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.metadata import SimpleMetadata


def json_depth(data) -> int:
    """How deeply ``data`` nests lists and objects (a scalar is 0), counted
    without recursion."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than ``ZHITONG_JSON_MAX_DEPTH``
    (or so deep that the decoder runs out of stack) is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.ZHITONG_JSON_MAX_DEPTH
        too_deep = ParseError(
            _("JSON parse error - nested deeper than %(depth)d levels.")
            % {"depth": limit}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth(data) > limit:
            raise too_deep
        return data


class ApiMetadata(SimpleMetadata):
    """OPTIONS: DRF's answer, describing the input only of views that name
    one serializer; the handling and reply viewsets check each action with
    its own, so they describe none rather than fail."""

    def determine_actions(self, request, view):
        if not _declares_serializer(view):
            return {}
        return super().determine_actions(request, view)


def _declares_serializer(view) -> bool:
    """A ``serializer_class``, or a ``get_serializer_class`` of the view's
    own (DRF's raises when there is no ``serializer_class``)."""
    if getattr(view, "serializer_class", None) is not None:
        return True
    owner = next(
        (cls for cls in type(view).__mro__ if "get_serializer_class" in vars(cls)),
        None,
    )
    return owner is not None and not owner.__module__.startswith("rest_framework.")
