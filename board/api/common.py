"""What every API module shares, in ``board`` and ``moderation`` alike.

The exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), the error
responses and id path parameters the schema documents, input checking, and
the limit/offset page with counts that the inbox and the moderation queues
answer with.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import parsers
from rest_framework.exceptions import Throttled
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from board.errors import BoardError
from board.ids import IdConverter

from .authentication import SecondFactorRequired
from .parsing import BoundedJSONParser

# Re-exported: the API modules list it beside their own permissions.
from .permissions import VerifiedEmailForWrites as VerifiedEmailForWrites


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
    response = drf_exception_handler(exc, context)
    if isinstance(exc, Throttled | SecondFactorRequired) and response is not None:
        # board/ratelimits.py: the wait is in Retry-After, the text says it.
        # A missing second factor says what to do (board/second_factor.py).
        response.data = {"detail": str(exc.detail), "code": exc.detail.code}
    return response


# --- Error answers: JSON under /api/, the site's pages elsewhere -----------------
#
# The pages speak the reader's language and say where to go next; none shows
# a traceback. 400, 403 and 404 are rendered in the site's layout (base.html,
# whose context processors read the database); 500 is a page of its own,
# rendered without the request's context, so that it still works when what
# failed was the database.


def not_found(request, exception):
    """``handler404``: JSON under ``/api/`` (an unknown route, a malformed
    id), the site's page elsewhere. An ``Http404`` may name what was not
    found (``not_found_subject``, e.g. ``"message"``) for the page to say."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Not found."), "code": "not_found"}, status=404
        )
    subject = getattr(exception, "not_found_subject", "")
    return render(request, "404.html", {"subject": subject}, status=404)


def bad_request(request, exception):
    """``handler400``: JSON under ``/api/`` (a body with too many fields, a
    suspicious request), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Bad request."), "code": "bad_request"}, status=400
        )
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    """``handler403``: JSON under ``/api/``, the site's page elsewhere, with
    the reason the view gave (our views raise ``PermissionDenied`` with a
    translated sentence)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Not allowed to do this."), "code": "permission_denied"},
            status=403,
        )
    reason = str(exception) if exception is not None else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def server_error(request):
    """``handler500``: JSON under ``/api/``, the site's page elsewhere; a 503
    while the database is unreachable (``database_unavailable``)."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    with translation.override(reader_language(request)):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Server error."), "code": "server_error"}, status=500
            )
        return HttpResponse(render_to_string("500.html"), status=500)


def reader_language(request) -> str:
    """The language LocaleMiddleware chose, or the one it would have chosen
    when the request failed before it ran."""
    language = getattr(request, "LANGUAGE_CODE", None)
    return language or translation.get_language_from_request(request)


# --- Faults: the database unreachable ---------------------------------------------

try:
    import psycopg

    _DRIVER_ERRORS = psycopg.OperationalError | psycopg.InterfaceError
except ImportError:  # SQLite only: no PostgreSQL driver installed
    _DRIVER_ERRORS = OperationalError

# Retry-After while the database is unreachable: a restart takes seconds.
DATABASE_RETRY_AFTER_SECONDS = 10


def is_database_unavailable(exc: BaseException | None) -> bool:
    """PostgreSQL down, restarting or out of connections (Django wraps
    psycopg's errors, the pool's timeout among them, in these two). Not
    every one: closing a server-side cursor (a ``ModelChoiceField``'s
    ``iterator()``) raises psycopg's own when the server has just gone."""
    return isinstance(exc, OperationalError | InterfaceError | _DRIVER_ERRORS)


def database_unavailable(request) -> HttpResponse:
    """503 with Retry-After: JSON under ``/api/``, elsewhere a page of its own.

    ``handler500`` sees every exception a view or a middleware lets through
    (a middleware of ours could not: Django turns an exception into a
    response at each middleware). DRF hands errors that are not its own on
    to Django, so the API arrives here too. The page renders without the
    request's context: base.html's context processors read the session, the
    bell and the moderation queue from the database.
    """
    with translation.override(reader_language(request)):
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": _(
                        "The service is briefly unavailable. Try again in a "
                        "few seconds."
                    ),
                    "code": "service_unavailable",
                },
                status=503,
            )
        else:
            response = HttpResponse(
                render_to_string("503.html"),
                status=503,
            )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


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
# What any operation can answer, added to each by ``ApiSchema`` where it
# applies (an operation's own text for a code wins).
NOT_ALLOWED = error_response(
    "Not allowed to do this (a role, a verified email address or the CSRF "
    "token of a session is missing)."
)
NOT_FOUND = error_response("No such item, or not visible to you.")
UNSUPPORTED_MEDIA_TYPE = error_response("The body's Content-Type is not accepted.")
TOO_MANY_REQUESTS = error_response("Too many requests; Retry-After says when to retry.")


def id_parameter(name: str = "id", description: str = "") -> OpenApiParameter:
    """A row's id in the path."""
    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


MESSAGE_ID = id_parameter()
REPLY_ID = id_parameter(description="The reply's id.")

# ``lookup_value_regex`` of the viewsets: an id is at most 19 digits (as in
# ``<id:…>`` paths), anything else 404.
NUMERIC_ID = IdConverter.regex
# Endpoints that take images accept multipart bodies beside JSON.
JSON_AND_FORM_PARSERS = [
    BoundedJSONParser,
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


# --- The schema: every operation's error answers ---------------------------------


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers every operation can
    give, so the schema tells clients (and the fuzzer) the whole truth:

    - 400 where there is input: a body, query parameters, or a write (an
      action refusing the request names the field at fault);
    - 401 where a token or session is read: an unknown or expired token;
    - 403 for writes (a session's CSRF token, a verified email address) and
      wherever a permission beyond logging in applies;
    - 404 for an id in the path; 415 for a body in a type not accepted;
      429 where rate limits apply.

    409 stays with the operations whose actions can refuse a move of the
    lifecycle (``CONFLICT``).
    """

    OPEN_PERMISSIONS = frozenset({"AllowAny", "IsAuthenticated"})

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(
            path, path_regex, path_prefix, method, registry
        )
        if operation is None:
            return None
        responses = operation["responses"]
        for code, response in self._error_answers(operation).items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code))
        return operation

    def _error_answers(self, operation) -> dict:
        is_write = self.method not in SAFE_METHODS
        has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        answers = {}
        if is_write or has_query or "requestBody" in operation:
            answers[400] = INVALID_INPUT
        if any(requirement for requirement in operation.get("security", [])):
            answers[401] = NOT_LOGGED_IN
        permissions = {type(p).__name__ for p in self.view.get_permissions()}
        if is_write or permissions - self.OPEN_PERMISSIONS - {
            VerifiedEmailForWrites.__name__
        }:
            answers[403] = NOT_ALLOWED
        if "{" in self.path:
            answers[404] = NOT_FOUND
        if "requestBody" in operation:
            answers[415] = UNSUPPORTED_MEDIA_TYPE
        if self.view.get_throttles():
            answers[429] = TOO_MANY_REQUESTS
        return answers
