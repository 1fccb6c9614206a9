"""Where browsers send Content-Security-Policy violation reports.

Both forms arrive here: ``report-uri`` posts one ``{"csp-report": {...}}``
(``application/csp-report``), ``report-to`` a list of reports
(``application/reports+json``). Each is logged on the ``zhitong.csp`` logger;
nothing is stored. The body is read only up to ``CSP_REPORT_MAX_BYTES``.
"""

import json
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("zhitong.csp")

# The fields worth a log line, in both report formats, and how much of each.
REPORT_FIELDS = (
    ("document-uri", "documentURL"),
    ("effective-directive", "effectiveDirective"),
    ("violated-directive", "effectiveDirective"),
    ("blocked-uri", "blockedURL"),
    ("source-file", "sourceFile"),
    ("line-number", "lineNumber"),
    ("disposition", "disposition"),
)
FIELD_MAX_CHARS = 300


def _violations(payload) -> list[dict]:
    """The violation bodies of either report format, normalised to report-uri's
    names; anything else is ignored."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        found = []
        for report in payload[:20]:
            if (
                isinstance(report, dict)
                and report.get("type") == "csp-violation"
                and isinstance(report.get("body"), dict)
            ):
                body = report["body"]
                found.append({old: body.get(new) for old, new in REPORT_FIELDS})
        return found
    return []


@csrf_exempt
@require_POST
def csp_report_view(request):
    limit = settings.CSP_REPORT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return JsonResponse({"body": [f"larger than {limit} bytes"]}, status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return JsonResponse({"body": [f"larger than {limit} bytes"]}, status=413)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"body": ["not a JSON violation report"]}, status=400)
    violations = _violations(payload)
    if not violations:
        return JsonResponse({"body": ["not a JSON violation report"]}, status=400)
    for violation in violations:
        fields = {
            name: str(violation.get(name, ""))[:FIELD_MAX_CHARS]
            for name, _ in REPORT_FIELDS
        }
        logger.warning("CSP violation: %s", json.dumps(fields, ensure_ascii=False))
    return HttpResponse(status=204)
