"""Pages of the officials' side: the inbox, the working page of one message
with one form per action, and the author's rating and follow-up forms on the
public message page.

Each view validates a form, calls one action of ``board.handling``, and turns
a ``BoardError`` into a form error on the page it came from.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.actions import (
    follow_up_allowed,
    follow_up_submit,
    message_accept,
    message_extend,
    message_transfer,
    rating_submit,
    reply_create,
    reply_sign_off,
)
from board.deadlines import calendar_exceptions, is_working_day
from board.errors import BoardError
from board.inbox_forms import (
    CorrectionForm,
    ExtendForm,
    FollowUpForm,
    InboxFilterForm,
    RatingForm,
    ReplyForm,
    ReplyKind,
    TransferForm,
)
from board.lifecycle import IN_HANDLING_STATUSES, ROUTED_STATUSES, MessageStatus
from board.models import (
    FollowUpStatus,
    Message,
    Rating,
    Reply,
    ReplyStatus,
    TransferRequest,
)
from board.permissions import (
    handling_department_id,
    is_addressee,
    is_department_official,
)
from board.roles import Role, has_role
from board.selectors import (
    access_message,
    inbox_counts,
    inbox_messages,
    inbox_scope,
    latest_final_reply,
    message_timeline,
)

INBOX_PAGE_SIZE = 50
# Statuses after a final reply: the author may rate it and ask again.
ANSWERED_STATUSES = frozenset({MessageStatus.REPLIED, MessageStatus.CLOSED})
# A "resolved" score this low offers the follow-up at once.
LOW_RESOLVED_SCORE = 2


# --- Deadlines as the pages show them ---


class WorkingCalendar:
    """Working-day counts over a range of dates with one query, for lists."""

    def __init__(self, start: date, end: date):
        self.holidays, self.make_up_days = calendar_exceptions(start, end)

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to ``end``; negative if past."""
        if end < start:
            return -self.between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if is_working_day(day, self.holidays, self.make_up_days):
                count += 1
        return count


@dataclass(frozen=True)
class Deadline:
    """The reply deadline of a message being handled, as of ``today``."""

    due_date: date
    days_left: int
    is_overdue: bool
    is_near: bool
    extended_by_days: int
    extension_reason: str
    is_escalated: bool

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)

    @property
    def state(self) -> str:
        if self.is_overdue:
            return "overdue"
        return "near" if self.is_near else "on-time"


def deadline_for(
    message: Message, *, today: date | None = None, calendar=None
) -> Deadline | None:
    """The countdown of a message being handled; None once it is answered."""
    if message.status not in IN_HANDLING_STATUSES or message.due_date is None:
        return None
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar(
        min(today, message.due_date), max(today, message.due_date)
    )
    days_left = calendar.between(today, message.due_date)
    is_overdue = message.due_date < today
    return Deadline(
        due_date=message.due_date,
        days_left=days_left,
        is_overdue=is_overdue,
        is_near=(
            not is_overdue and days_left <= settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS
        ),
        extended_by_days=message.extended_by_days,
        extension_reason=message.extension_reason,
        is_escalated=message.escalated_at is not None,
    )


# --- Who has an inbox ---


def inbox_nav(request) -> dict:
    """Context processor: the "Inbox" link for officials and department staff."""
    user = getattr(request, "user", None)
    show = bool(
        user is not None
        and user.is_authenticated
        and (has_role(user, Role.OFFICIAL) or has_role(user, Role.HANDLER))
    )
    return {"show_inbox_link": show}


def access_message_for_handling(user, message_id: int) -> Message:
    """A routed message this user handles; 404 for everyone else, so as not
    to tell strangers which messages exist."""
    message = (
        Message.objects.with_board_relations()
        .select_related("author", "addressee_official__department")
        .filter(pk=message_id)
        .first()
    )
    if (
        message is None
        or message.status not in ROUTED_STATUSES
        or not is_addressee(user, message)
    ):
        raise Http404
    return message


# --- The inbox ---


@dataclass(frozen=True)
class InboxRow:
    message: Message
    deadline: Deadline | None


@login_required
def inbox(request):
    if inbox_scope(request.user) is None:
        raise PermissionDenied(_("Only officials and department staff have an inbox."))
    form = InboxFilterForm(request.GET or None)
    filters = form.filters()
    messages = inbox_messages(request.user, **filters)
    page = Paginator(messages, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    due_dates = [message.due_date for message in page if message.due_date]
    calendar = WorkingCalendar(min([today, *due_dates]), max([today, *due_dates]))
    rows = [
        InboxRow(
            message=message,
            deadline=deadline_for(message, today=today, calendar=calendar),
        )
        for message in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    # The summary links keep the category and region, not status or deadline.
    filter_query = request.GET.copy()
    for key in ("page", "status", "due"):
        filter_query.pop(key, None)
    counts = inbox_counts(
        request.user, category=filters.get("category"), region=filters.get("region")
    )
    return render(
        request,
        "board/inbox.html",
        {
            "form": form,
            "rows": rows,
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
        "timeline": message_timeline(message),
        "attachments": message.attachments.filter(reply__isnull=True),
        "thread": _thread(message, replies, with_drafts=True),
        "ratings": _ratings(message),
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
        "needs_sign_off": _reply_needs_sign_off(request.user, message),
    }
    return render(request, "board/handle.html", context, status=status)


def _reply_needs_sign_off(user, message) -> bool:
    """Whether this user's replies wait for an official's sign-off (as
    ``handling.reply_create`` decides), so the page can say so beforehand."""
    department = message.addressee_department or (
        message.addressee_official.department if message.addressee_official else None
    )
    return bool(
        department is not None
        and department.requires_sign_off
        and getattr(user, "official", None) is None
        and has_role(user, Role.HANDLER)
    )


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


# --- The public message page: replies, rating, follow-ups ---


def _thread(message: Message, replies, *, with_drafts: bool = False) -> list[dict]:
    """Replies and reviewed follow-ups in the order they happened.

    Each reply item knows the replies that correct it; drafts appear only
    when ``with_drafts`` (inside the department).
    """
    shown = [
        reply
        for reply in replies
        if reply.status == ReplyStatus.PUBLISHED
        or (with_drafts and reply.status == ReplyStatus.DRAFT)
    ]
    corrections: dict[int, list[Reply]] = {}
    for reply in shown:
        if reply.corrects_id and reply.status == ReplyStatus.PUBLISHED:
            corrections.setdefault(reply.corrects_id, []).append(reply)
    items = [
        {
            "kind": "reply",
            "reply": reply,
            "at": reply.published_at or reply.created_at,
            "corrections": corrections.get(reply.pk, []),
        }
        for reply in shown
    ]
    items += [
        {"kind": "follow_up", "follow_up": follow_up, "at": follow_up.created_at}
        for follow_up in message.follow_ups.filter(
            status__in=[FollowUpStatus.APPROVED, FollowUpStatus.ANSWERED]
        )
    ]
    return sorted(items, key=lambda item: item["at"])


def _ratings(message: Message) -> list[Rating]:
    return list(
        message.ratings.filter(reply__status=ReplyStatus.PUBLISHED)
        .select_related("reply")
        .order_by("created_at", "pk")
    )


def handling_context(request, message: Message) -> dict:
    """What the public message page adds for the officials' side: the
    countdown, the replies and follow-ups, the ratings, and for the author
    the rating and follow-up forms.

    Also narrows ``attachments`` to the message's own photos: a reply's
    attachments are shown with the reply, and a draft's never publicly.
    """
    user = request.user
    is_author = user.is_authenticated and message.author_id == user.pk
    bound = getattr(request, "_handling_forms", {})
    replies = list(
        message.replies.published()
        .select_related("corrects")
        .prefetch_related("attachments")
        .order_by("published_at", "pk")
    )
    ratings = _ratings(message)
    context = {
        "attachments": message.attachments.filter(reply__isnull=True),
        "deadline": deadline_for(message),
        "thread": _thread(message, replies),
        "ratings": ratings,
        "can_handle": is_addressee(user, message),
        "can_rate": False,
        "rating_form": None,
        "follow_up_form": None,
        "follow_up_reason": "",
        "offer_follow_up": False,
        "pending_follow_ups": [],
    }
    if is_author and message.status in ANSWERED_STATUSES:
        context.update(_author_forms(message, ratings))
    # A refused form is shown again with its errors, whatever the state.
    if "rating" in bound:
        context["rating_form"] = bound["rating"]
    if "follow_up" in bound:
        context["follow_up_form"] = bound["follow_up"]
        context["offer_follow_up"] = True
    return context


def _author_forms(message: Message, ratings: list[Rating]) -> dict:
    """The author's rating and follow-up forms, where the message allows them."""
    context = {}
    final_reply = latest_final_reply(message)
    context["can_rate"] = final_reply is not None and not any(
        rating.reply_id == final_reply.pk for rating in ratings
    )
    if context["can_rate"]:
        context["rating_form"] = RatingForm()
    allowed, reason = follow_up_allowed(message)
    if allowed:
        context["follow_up_form"] = FollowUpForm()
        context["offer_follow_up"] = bool(
            ratings and ratings[-1].resolved <= LOW_RESOLVED_SCORE
        )
    else:
        context["follow_up_reason"] = reason
    context["pending_follow_ups"] = list(
        message.follow_ups.filter(status=FollowUpStatus.PENDING)
    )
    return context


def _render_detail_with(request, message, key: str, form, status: int):
    """The public message page again, with the author's form and its errors."""
    # board.views imports this module for handling_context.
    from board.views import _render_message_detail

    request._handling_forms = {key: form}
    return _render_message_detail(request, message, status=status)


def _access_as_author(request, message_id) -> Message:
    message = access_message(request.user, message_id)
    if message.author_id != request.user.pk:
        raise PermissionDenied(_("Only the author can do this."))
    return message


@login_required
@require_POST
def rating_submit_view(request, message_id):
    message = _access_as_author(request, message_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_detail_with(request, message, "rating", form, 400)
    try:
        rating = rating_submit(message=message, actor=request.user, **form.cleaned_data)
    except BoardError as error:
        form.add_error(_form_field(form, error), error.message)
        return _render_detail_with(request, message, "rating", form, error.status_code)
    flash.success(
        request,
        _("Thank you for your rating: %(overall)s.")
        % {"overall": rating.get_overall_display()},
    )
    if rating.resolved <= LOW_RESOLVED_SCORE and follow_up_allowed(message)[0]:
        flash.info(
            request,
            _("Your problem is not resolved? You can ask a follow-up question below."),
        )
        return redirect(f"{message.get_absolute_url()}#follow-up")
    return redirect(f"{message.get_absolute_url()}#rating")


@login_required
@require_POST
def follow_up_submit_view(request, message_id):
    message = _access_as_author(request, message_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _render_detail_with(request, message, "follow_up", form, 400)
    try:
        follow_up_submit(
            message=message, actor=request.user, body=form.cleaned_data["body"]
        )
    except BoardError as error:
        form.add_error(_form_field(form, error), error.message)
        return _render_detail_with(
            request, message, "follow_up", form, error.status_code
        )
    flash.success(
        request,
        _(
            "Your follow-up question is awaiting review; once approved it goes "
            "back to the addressee."
        ),
    )
    return redirect(f"{message.get_absolute_url()}#follow-up")
