"""Open311's error answer: a list of ``{"code": …, "description": …}``
(``<errors><error>…`` in XML), for every refusal of the Open311 views.

The specification's codes: 404 for what does not exist, 403 for a missing
or wrong ``api_key`` (so 403 where the rest of the API says 401), 400 for
anything else that cannot be done; a rate limit stays 429 with Retry-After.
Each field at fault is one error, named in its description the way the
form names it (``attribute[region]``, ``description`` …).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from board.errors import BoardError

from .serializers import FORM_FIELDS


def error(code: int, description) -> dict:
    return {"code": code, "description": str(description)}


def _described(field: str | None, message) -> str:
    if not field or field in ("non_field_errors", "detail"):
        return str(message)
    return f"{FORM_FIELDS.get(field, field)}: {message}"


def _flatten(field: str | None, detail) -> list[str]:
    """DRF's error detail (a dict of lists, a list, a string) as lines."""
    if isinstance(detail, dict):
        return [
            line
            for key, value in detail.items()
            for line in _flatten(key if field is None else field, value)
        ]
    if isinstance(detail, list):
        return [line for item in detail for line in _flatten(field, item)]
    return [_described(field, detail)]


def open311_exception_handler(exc, context):
    """The Open311 views' ``get_exception_handler``. Anything else than a
    refusal (a bug) is left to Django: a 500 is no Open311 answer to give."""
    headers = {}
    if isinstance(exc, BoardError):
        code = exc.status_code
        errors = [error(code, _described(exc.field, exc.message))]
    elif isinstance(exc, Http404 | exceptions.NotFound):
        code = status.HTTP_404_NOT_FOUND
        detail = getattr(exc, "detail", None)
        errors = [error(code, detail or _("Not found."))]
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code = status.HTTP_403_FORBIDDEN
        errors = [error(code, _described("api_key", exc.detail))]
    elif isinstance(exc, PermissionDenied):
        code = status.HTTP_403_FORBIDDEN
        errors = [error(code, _("Not allowed to do this."))]
    elif isinstance(exc, exceptions.ValidationError):
        code = status.HTTP_400_BAD_REQUEST
        errors = [error(code, line) for line in _flatten(None, exc.detail)]
    elif isinstance(exc, exceptions.APIException):
        code = exc.status_code
        errors = [error(code, line) for line in _flatten(None, exc.detail)]
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(int(wait))
    else:
        return None
    set_rollback()
    return Response(errors, status=code, headers=headers, exception=True)
