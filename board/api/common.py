"""What every API module shares, in ``board`` and ``moderation`` alike.

The exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), the error
responses and id path parameters the schema documents, input checking, and
the limit/offset page with counts that the inbox and the moderation queues
answer with.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import parsers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from board.errors import BoardError


def exception_handler(exc, context):
    """DRF's handler, plus ``BoardError`` as ``{field: [message], "code": …}``.

    An error without a field becomes ``{"detail": message, "code": …}``, the
    shape DRF gives its own 401 and 403 responses.
    """
    if isinstance(exc, BoardError):
        message = str(exc.message)
        if exc.field:
            data = {exc.field: [message], "code": exc.code}
        else:
            data = {"detail": message, "code": exc.code}
        set_rollback()
        return Response(data, status=exc.status_code)
    return drf_exception_handler(exc, context)


# --- The schema's error responses and path parameters ---------------------------


def error_response(description: str) -> OpenApiResponse:
    """An error in the schema: a JSON object naming the fields at fault, or
    ``detail``, with a ``code``."""
    return OpenApiResponse(OpenApiTypes.OBJECT, description=description)


INVALID_INPUT = error_response("Invalid input; the field at fault is named.")
NOT_LOGGED_IN = error_response("Not logged in.")
MESSAGE_NOT_FOUND = error_response("No such message.")
REPLY_NOT_FOUND = error_response("No such reply.")

# What acting on a message can answer besides success.
ERRORS = {
    400: INVALID_INPUT,
    401: NOT_LOGGED_IN,
    403: error_response("Not allowed to do this."),
    404: error_response("No such message, or not visible to you."),
}
CONFLICT = {409: error_response("The message's lifecycle does not allow this now.")}


def id_parameter(name: str = "id", description: str = "") -> OpenApiParameter:
    """A row's id in the path."""
    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


MESSAGE_ID = id_parameter()
REPLY_ID = id_parameter(description="The reply's id.")

# ``lookup_value_regex`` of the viewsets: an id is digits, anything else 404.
NUMERIC_ID = r"[0-9]+"
# Endpoints that take images accept multipart bodies beside JSON.
JSON_AND_FORM_PARSERS = [
    parsers.JSONParser,
    parsers.MultiPartParser,
    parsers.FormParser,
]


# --- Input ------------------------------------------------------------------------


def validated(serializer_class, data, **kwargs) -> BaseSerializer:
    """``serializer_class`` over ``data``, checked: invalid input raises the
    400 that names the fields at fault."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


def validated_body(request, serializer_class, **kwargs) -> dict:
    """The request body, checked by ``serializer_class``."""
    return validated(serializer_class, request.data, **kwargs).validated_data


# --- Pages of a list with counts ----------------------------------------------------


class CountedPagination(LimitOffsetPagination):
    """A page and the sizes of the lists beside it (``counts``).

    Limit/offset, not a cursor: the inbox and the moderation queues sort on
    computed and nullable keys (overdue first, the review time, the
    pre-screen score), which a cursor cannot follow.
    """

    default_limit = 20
    max_limit = 100

    def get_counted_response(self, results, counts: dict) -> Response:
        return Response(
            {
                "counts": counts,
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": results,
            }
        )


PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description="Items per page (≤ 100)."),
    OpenApiParameter("offset", int, description="Items to skip."),
]
