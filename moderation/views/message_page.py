"""What moderation adds to board's public message page (registered in
``ModerationConfig.ready`` through ``board.hooks``): the outcome the author
is owed, duplicate links, and the report form for other signed-in users;
and the view that takes the report."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.errors import BoardError
from board.lifecycle import MessageStatus
from board.models import MessageEvent
from board.permissions import can_view_message, is_author
from board.ratelimits import rate_limited
from board.selectors import access_message
from board.views.message_page import message_page

from ..actions import message_report
from ..forms import ReportForm
from ..models import ModerationReason, Report


def message_page_part(request, message, bound_forms) -> dict:
    user = request.user
    is_own = is_author(user, message)
    context = {
        "moderation_reason": None,
        "changes_note": "",
        "duplicate_of": None,
        "duplicates": [
            duplicate
            for duplicate in message.duplicates.all()
            if can_view_message(user, duplicate)
        ],
        "can_report": (
            user.is_authenticated and not is_own and message.is_on_public_board
        ),
        "has_reported": False,
        "report_form": bound_forms.get("report") or ReportForm(),
    }
    if message.duplicate_of_id and can_view_message(user, message.duplicate_of):
        context["duplicate_of"] = message.duplicate_of
    if (
        is_own
        and message.moderation_reason
        and message.status in {MessageStatus.REJECTED, MessageStatus.HIDDEN}
    ):
        context["moderation_reason"] = ModerationReason.objects.filter(
            code=message.moderation_reason
        ).first()
    if is_own and message.status == MessageStatus.CHANGES_REQUESTED:
        request_event = (
            message.events.filter(verb=MessageEvent.Verb.CHANGES_REQUESTED)
            .order_by("-created_at", "-pk")
            .first()
        )
        context["changes_note"] = request_event.note if request_event else ""
    if context["can_report"]:
        context["has_reported"] = Report.objects.filter(
            message=message, reporter=user
        ).exists()
    return context


@login_required
@require_POST
@rate_limited("reporting")
def message_report_view(request, message_id):
    """A signed-in user who is not the author reports a public message, once."""
    message = access_message(request.user, message_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return message_page(request, message, bound_forms={"report": form}, status=400)
    try:
        message_report(
            message=message, reporter=request.user, reason=form.cleaned_data["reason"]
        )
    except BoardError as error:
        if error.code == "already_reported":
            flash.info(request, _("You have already reported this message. Thank you."))
            return redirect(message)
        form.add_error("reason" if error.field == "reason" else None, error.message)
        return message_page(
            request, message, bound_forms={"report": form}, status=error.status_code
        )
    flash.success(request, _("Thank you. A moderator will look at your report."))
    return redirect(message)
