"""The size of a request body, refused before anything parses it.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts of a
multipart body, and FILE_UPLOAD_MAX_MEMORY_SIZE only decides when an upload
goes to a temporary file; neither stops a client from sending gigabytes.
This middleware answers 413 from the declared Content-Length, before CSRF,
a form or DRF reads ``request.POST`` or ``request.body``. Under WSGI Django
never reads past Content-Length, so the declared size is the size read.
The reverse proxy's ``client_max_body_size`` (README) stops it earlier still.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

TOO_LARGE = "request_too_large"


def declared_length(meta) -> int:
    """The Content-Length a request declares; 0 when missing or malformed
    (Django then reads no body at all)."""
    try:
        return max(int(meta.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large_response(request) -> HttpResponse:
    limit = settings.ZHITONG_MAX_REQUEST_BYTES
    text = _(
        "The request is too large: at most %(limit)s may be sent at once, "
        "attachments included."
    ) % {"limit": filesizeformat(limit)}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": text, "code": TOO_LARGE, "limit": limit}, status=413
        )
    return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """Answer 413 to a body over ``ZHITONG_MAX_REQUEST_BYTES``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if declared_length(request.META) > settings.ZHITONG_MAX_REQUEST_BYTES:
            # The body is never read; the server closes the connection
            # rather than keep reading what the client still sends.
            response = too_large_response(request)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
