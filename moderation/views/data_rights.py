"""The citizen's "My data" page: download everything about the account, or
delete it with the password. The verbs are moderation's because they are
audited (``moderation/actions/data_rights.py`` says why)."""

import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from board.errors import BoardError

from ..actions import account_delete, account_export
from ..actions.data_rights import ensure_can_delete_account


def export_response(data: dict) -> HttpResponse:
    """The export as a JSON file download (the page and the API)."""
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"zhitong-data-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _can_delete(user) -> bool:
    try:
        ensure_can_delete_account(user)
    except BoardError:
        return False
    return True


@login_required
def my_data(request, error: str = "", status: int = 200):
    return render(
        request,
        "account/my_data.html",
        {"can_delete": _can_delete(request.user), "error": error},
        status=status,
    )


@login_required
@require_POST
def my_data_export(request):
    return export_response(account_export(user=request.user))


@login_required
@require_POST
def my_data_delete(request):
    try:
        account_delete(user=request.user, password=request.POST.get("password", ""))
    except BoardError as error:
        return my_data(request, error=error.message, status=400)
    logout(request)
    return redirect("account_deleted")


def account_deleted(request):
    return render(request, "account/deleted.html")
