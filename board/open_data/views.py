"""Open data: the page describing the datasets (``/open-data/``) and the
streamed exports (``/open-data/<dataset>.<csv|jsonl>``), open to everyone.

A question the form refuses is a 400 whose JSON names the field at fault,
as the API answers. Exports are rate limited per client address (board/
ratelimits.py): by the family ``exports`` where the settings define one,
else by ``api_reads``, the limit of anonymous reads.
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from board.ratelimits import API_READS, rate_limit_hit, rate_limit_message

from .datasets import DATASETS
from .exports import FORMATS, export_filename, export_stream
from .forms import ExportFilterForm

EXPORTS_FAMILY = "exports"


@require_safe
def index(request):
    form = ExportFilterForm(request.GET or None)
    return render(
        request,
        "open_data/index.html",
        {"form": form, "datasets": DATASETS.values(), "formats": list(FORMATS)},
    )


@require_safe
def export(request, dataset: str, format_name: str):
    if dataset not in DATASETS or format_name not in FORMATS:
        raise Http404
    wait = rate_limit_hit(_exports_family(), request)
    if wait is not None:
        response = JsonResponse(
            {"detail": rate_limit_message(wait), "code": "rate_limited"}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        errors = {
            field: [str(error) for error in messages]
            for field, messages in form.errors.items()
        }
        return JsonResponse({**errors, "code": "invalid"}, status=400)
    filters = form.filters()
    chosen = DATASETS[dataset]
    blocks, content_type = export_stream(chosen, format_name, filters)
    if isinstance(request, ASGIRequest):
        # Under ASGI Django would read a synchronous iterator whole into a
        # list before sending it; handing it over block by block keeps the
        # memory constant there too.
        blocks = _asynchronous(blocks)
    response = StreamingHttpResponse(blocks, content_type=content_type)
    filename = export_filename(chosen, format_name, filters)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _exports_family() -> str:
    families = settings.ZHITONG_RATE_LIMITS
    return EXPORTS_FAMILY if EXPORTS_FAMILY in families else API_READS


async def _asynchronous(blocks):
    # The same thread each time: the database cursor lives on its
    # connection.
    take = sync_to_async(next, thread_sensitive=True)
    while (block := await take(blocks, None)) is not None:
        yield block
