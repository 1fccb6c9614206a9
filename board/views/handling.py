"""Pages of the officials' side: the inbox, and the working page of one
message with one form per action.

Each view validates a form, calls one action, and turns a ``BoardError``
into a form error on the page it came from.
"""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.actions import (
    message_accept,
    message_extend,
    message_transfer,
    reply_create,
    reply_sign_off,
)
from board.deadlines import WorkingCalendar, deadline_for
from board.errors import BoardError
from board.forms import (
    CorrectionForm,
    ExtendForm,
    InboxFilterForm,
    ReplyForm,
    ReplyKind,
    TransferForm,
)
from board.lifecycle import IN_HANDLING_STATUSES, ROUTED_STATUSES, MessageStatus
from board.models import (
    Message,
    Reply,
    ReplyStatus,
    TransferRequest,
)
from board.page_cache import rendered_rows
from board.permissions import (
    handling_department_id,
    is_department_official,
    reply_needs_sign_off,
)
from board.ratelimits import rate_limited
from board.selectors import (
    access_message_for_handling,
    inbox_listing,
    inbox_messages_by_id,
    inbox_scope,
    kept_for_inbox,
    message_ratings,
    message_thread,
    message_timeline,
)

INBOX_PAGE_SIZE = 50


# --- The inbox ---


def _inbox_rows(messages, today) -> list[dict]:
    """What board/_inbox_row.html shows of each message, as plain data: the
    row template reads nothing else, so a row whose data is unchanged comes
    from the cache (page_cache.rendered_rows), as the moderation queue's do."""
    due_dates = [message.due_date for message in messages if message.due_date]
    calendar = WorkingCalendar(min([today, *due_dates]), max([today, *due_dates]))
    # One reverse() for fifty links.
    handle_url = reverse("board:message_handle", args=[1]).removesuffix("1/")
    rows = []
    for message in messages:
        deadline = deadline_for(message, today=today, calendar=calendar)
        rows.append(
            {
                "pk": message.pk,
                "reference": message.reference,
                "title": message.title,
                "url": f"{handle_url}{message.pk}/",
                "status": message.status,
                "status_label": str(message.status_label),
                "kind_label": str(message.kind_label),
                "category_name": message.category_name,
                "region_name": message.region_name,
                "addressee_name": message.addressee_name,
                "is_extended": bool(message.extended_by_days),
                "is_escalated": bool(message.escalated_at),
                "draft_count": message.draft_count,
                "is_public": message.is_public,
                "deadline": deadline
                and {
                    "state": deadline.state,
                    "due_date": deadline.due_date,
                    "is_overdue": deadline.is_overdue,
                    "is_near": deadline.is_near,
                    "overdue_days": deadline.overdue_days,
                    "days_left": deadline.days_left,
                },
                "last_reply_at": message.last_reply_at,
            }
        )
    return rows


def _shown_rows(user, ids: list[int]) -> tuple[list[dict], list[str]]:
    """The rows of these messages (``_inbox_rows``) and their HTML, kept
    for the day under the inbox's versions (``kept_for_inbox``): a reply
    drafted or signed off, or any save of one of them, moves them."""

    def read() -> tuple[list[dict], list[str]]:
        rows = _inbox_rows(inbox_messages_by_id(ids), timezone.localdate())
        html = rendered_rows("board/_inbox_row.html", rows)
        return rows, [str(row) for row in html]

    rows, html = kept_for_inbox(user, f"rows:{get_language()}:{ids}", {}, read)
    # Our own template's HTML, kept as text.
    return rows, [mark_safe(row) for row in html]  # noqa: S308


@login_required
def inbox(request):
    if inbox_scope(request.user) is None:
        raise PermissionDenied(_("Only officials and department staff have an inbox."))
    form = InboxFilterForm(request.GET or None)
    filters = form.filters()
    counts, page = inbox_listing(
        request.user, request.GET.get("page"), per_page=INBOX_PAGE_SIZE, **filters
    )
    rows, rows_html = _shown_rows(request.user, list(page))
    query = request.GET.copy()
    query.pop("page", None)
    # The summary links keep the category and region, not status or deadline.
    filter_query = request.GET.copy()
    for key in ("page", "status", "due"):
        filter_query.pop(key, None)
    return render(
        request,
        "board/inbox.html",
        {
            "form": form,
            "rows": rows,
            "rows_html": rows_html,
            "page": page,
            "query": query.urlencode(),
            "filter_query": filter_query.urlencode(),
            "counts": counts,
            "status_tabs": [
                (status.value, status.label, counts[status.value])
                for status in MessageStatus
                if status in ROUTED_STATUSES
            ],
            "status": filters.get("status", ""),
            "due": filters.get("due", ""),
            "near_days": settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS,
        },
    )


# --- The working page of one message ---


@login_required
def message_handle(request, message_id):
    message = access_message_for_handling(request.user, message_id)
    return _render_handle(request, message)


def _render_handle(request, message, *, bound=None, status=200):
    """The handle page; ``bound`` is the one submitted form, with its errors."""
    bound = bound or {}
    department_id = handling_department_id(message)
    replies = list(
        message.replies.exclude(status=ReplyStatus.HIDDEN)
        .select_related("corrects", "author", "signed_off_by")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    published = [reply for reply in replies if reply.status == ReplyStatus.PUBLISHED]
    in_handling = message.status in IN_HANDLING_STATUSES
    context = {
        "message": message,
        "deadline": deadline_for(message),
        "timeline": message_timeline(message, with_actors=False),
        "attachments": message.attachments.filter(reply__isnull=True),
        "thread": message_thread(message, replies, with_drafts=True),
        "ratings": message_ratings(message),
        "can_accept": message.status == MessageStatus.PUBLISHED,
        "in_handling": in_handling,
        "can_extend": (
            in_handling
            and message.due_date is not None
            and not message.extended_by_days
        ),
        "can_sign_off": is_department_official(request.user, department_id),
        "max_transfers": settings.ZHITONG_MAX_TRANSFERS,
        "transfer_limit_reached": (
            message.transfer_count >= settings.ZHITONG_MAX_TRANSFERS
        ),
        "open_transfer_request": message.transfer_requests.filter(
            status=TransferRequest.Status.OPEN
        ).first(),
        "accept_form": bound.get("accept") or forms.Form(),
        "transfer_form": bound.get("transfer") or TransferForm(message=message),
        "extend_form": bound.get("extend") or ExtendForm(),
        "reply_form": bound.get("reply")
        or ReplyForm(
            initial={
                "kind": ReplyKind.FINAL
                if message.status == MessageStatus.ACCEPTED
                else ReplyKind.INTERIM
            }
        ),
        "correction_form": (
            (bound.get("correction") or CorrectionForm(message=message))
            if published
            else None
        ),
        "sign_off_form": bound.get("sign_off"),
        "sign_off_reply_id": bound.get("sign_off_reply_id"),
        "open_form": next(iter(bound), "reply" if in_handling else ""),
        "needs_sign_off": reply_needs_sign_off(request.user, message),
    }
    return render(request, "board/handle.html", context, status=status)


def _form_field(form, error: BoardError) -> str | None:
    if error.field in {"to_official", "to_department"} and "target" in form.fields:
        return "target"
    return error.field if error.field in form.fields else None


def _handle_post(
    request,
    message: Message,
    *,
    key: str,
    form: forms.Form,
    act: Callable[[forms.Form], str],
    extra: dict | None = None,
):
    """Validate ``form``, run ``act`` (one action; it returns the success
    note) and redirect; otherwise show the page again with the errors."""
    status = 400
    if form.is_valid():
        try:
            note = act(form)
        except BoardError as error:
            form.add_error(_form_field(form, error), error.message)
            status = error.status_code
        else:
            flash.success(request, note)
            # A transfer hands the message on: its page is no longer this
            # person's (a 404), so the note is shown over the inbox.
            try:
                access_message_for_handling(request.user, message.pk)
            except Http404:
                return redirect("board:inbox")
            return redirect("board:message_handle", message.pk)
    return _render_handle(
        request, message, bound={key: form, **(extra or {})}, status=status
    )


@login_required
@require_POST
def message_accept_view(request, message_id):
    message = access_message_for_handling(request.user, message_id)

    def act(form):
        message_accept(message=message, actor=request.user)
        return _("You accepted the message. The author has been told.")

    return _handle_post(
        request, message, key="accept", form=forms.Form(request.POST), act=act
    )


@login_required
@require_POST
def message_transfer_view(request, message_id):
    message = access_message_for_handling(request.user, message_id)

    def act(form):
        result = message_transfer(
            message=message, actor=request.user, **form.action_kwargs()
        )
        if isinstance(result, TransferRequest):
            return _(
                "The message has reached its transfer limit; the moderators "
                "will decide where it belongs."
            )
        return _("The message was transferred. Its new addressee has been told.")

    return _handle_post(
        request,
        message,
        key="transfer",
        form=TransferForm(request.POST, message=message),
        act=act,
    )


@login_required
@require_POST
def message_extend_view(request, message_id):
    message = access_message_for_handling(request.user, message_id)

    def act(form):
        extended = message_extend(
            message=message,
            actor=request.user,
            working_days=form.cleaned_data["working_days"],
            reason=form.cleaned_data["reason"],
        )
        return _("The deadline is now %(date)s.") % {
            "date": extended.due_date.isoformat()
        }

    return _handle_post(
        request, message, key="extend", form=ExtendForm(request.POST), act=act
    )


@login_required
@require_POST
@rate_limited("replies")
def reply_create_view(request, message_id):
    message = access_message_for_handling(request.user, message_id)

    def act(form):
        reply = reply_create(
            message=message,
            actor=request.user,
            body=form.cleaned_data["body"],
            final=form.is_final,
            images=form.cleaned_data["attachments"],
        )
        if reply.status == ReplyStatus.DRAFT:
            return _("Your reply is saved as a draft; an official must sign it off.")
        if reply.is_final:
            return _("Your final reply is published.")
        return _("Your interim reply is published.")

    return _handle_post(
        request,
        message,
        key="reply",
        form=ReplyForm(request.POST, request.FILES),
        act=act,
    )


@login_required
@require_POST
@rate_limited("replies")
def reply_correct_view(request, message_id):
    message = access_message_for_handling(request.user, message_id)

    def act(form):
        reply = reply_create(
            message=message,
            actor=request.user,
            body=form.cleaned_data["body"],
            final=False,
            corrects=form.cleaned_data["corrects"],
        )
        if reply.status == ReplyStatus.DRAFT:
            return _(
                "Your correction is saved as a draft; an official must sign it off."
            )
        return _("Your correction is published.")

    return _handle_post(
        request,
        message,
        key="correction",
        form=CorrectionForm(request.POST, message=message),
        act=act,
    )


@login_required
@require_POST
def reply_sign_off_view(request, message_id, reply_id):
    message = access_message_for_handling(request.user, message_id)
    reply = get_object_or_404(Reply, pk=reply_id, message=message)

    def act(form):
        reply_sign_off(reply=reply, actor=request.user)
        return _("The reply is signed off and published.")

    return _handle_post(
        request,
        message,
        key="sign_off",
        form=forms.Form(request.POST),
        act=act,
        extra={"sign_off_reply_id": reply.pk},
    )
