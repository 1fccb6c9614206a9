"""Helpers the moderation pages share: access, wording of waits, claims."""

from datetime import timedelta
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from board.errors import BoardError
from board.lifecycle import PUBLIC_STATUSES, MessageStatus
from board.models import Message, User
from board.roles import is_moderator

from ..screening import finding_label

QUEUE_PAGE_SIZE = 50
QUEUE_LABELS = {
    "pending": pgettext_lazy("moderation queue", "Pending review"),
    "flagged": pgettext_lazy("moderation queue", "Flagged"),
    "followups": pgettext_lazy("moderation queue", "Follow-ups"),
    "rejected": pgettext_lazy("moderation queue", "Rejected"),
    "hidden": pgettext_lazy("moderation queue", "Hidden"),
}
# Statuses nobody acts on any more: opening such an item claims nothing.
UNCLAIMED_STATUSES = frozenset(
    {MessageStatus.REJECTED, MessageStatus.WITHDRAWN, MessageStatus.CHANGES_REQUESTED}
)


def moderator_required(view):
    """Anonymous visitors log in first; everyone else who is not a moderator
    gets a 404, so the pages do not reveal that they exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def format_duration(duration: timedelta | None) -> str:
    """A wait as people say it: minutes, hours, or days and hours."""
    if duration is None:
        return "—"
    minutes = max(int(duration.total_seconds() // 60), 0)
    if minutes < 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {
            "count": minutes
        }
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days, hours = divmod(hours, 24)
    days_text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if not hours:
        return days_text
    hours_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return _("%(days)s %(hours)s") % {"days": days_text, "hours": hours_text}


def prescreen_findings(message: Message) -> list[dict]:
    return [
        {
            "code": finding.get("code", ""),
            "label": finding_label(finding.get("code", "")),
            "detail": finding.get("detail", ""),
            "needs_second_approval": finding.get("needs_second_approval", False),
        }
        for finding in message.prescreen_flags or []
    ]


def claim_holder(message: Message, now=None) -> User | None:
    return message.claimed_by if message.has_live_claim(now) else None


def form_field_for(form, error: BoardError) -> str | None:
    if error.field in {"addressee_official", "addressee_department"}:
        return "addressee" if "addressee" in form.fields else None
    if error.field == "of" and "of" in form.fields:
        return "of"
    return error.field if error.field in form.fields else None


def queue_of(message: Message) -> str:
    if message.status == MessageStatus.PENDING:
        return "pending"
    if message.flagged_at and message.status in PUBLIC_STATUSES:
        return "flagged"
    if message.follow_ups.filter(status="pending").exists():
        return "followups"
    if message.status == MessageStatus.HIDDEN:
        return "hidden"
    if message.status == MessageStatus.REJECTED:
        return "rejected"
    return "pending"


def queue_url(queue: str) -> str:
    return f"{reverse('moderation:queue')}?queue={queue}"
