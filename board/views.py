"""Pages of the board. Each view validates, calls one action or selector, renders."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from board.actions import (
    message_edit,
    message_submit,
    message_withdraw,
    user_language_set,
)
from board.errors import BoardError, NotAllowed
from board.forms import BoardFilterForm, MessageForm, WithdrawForm
from board.inbox_views import handling_context
from board.lifecycle import MessageStatus
from board.models import MessageAttachment, MessageEvent, Official, ReplyStatus
from board.permissions import (
    can_edit_message,
    can_view_message,
    ensure_can_submit,
    is_addressee,
    is_involved,
)
from board.roles import is_moderator
from board.selectors import (
    BoardFilters,
    access_message,
    board_page,
    is_following,
    message_list_of_author,
    message_list_public,
    message_timeline,
    official_message_counts,
    region_parent_map,
)
from moderation.actions import message_report
from moderation.forms import ReportForm
from moderation.models import ModerationReason, Report


def board_index(request):
    form = BoardFilterForm(request.GET or None)
    filters = BoardFilters()
    if form.is_bound and form.is_valid():
        filters = BoardFilters(**{k: v for k, v in form.cleaned_data.items() if v})
    page = board_page(
        message_list_public(filters=filters), cursor=request.GET.get("cursor", "")
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "board/index.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def message_detail(request, message_id):
    message = access_message(request.user, message_id)
    return _render_message_detail(request, message)


def _render_message_detail(request, message, *, report_form=None, status=200):
    involved = is_involved(request.user, message)
    return render(
        request,
        "board/message_detail.html",
        {
            "message": message,
            # Those involved read the original; everyone else the public version.
            "involved": involved,
            "title": message.title if involved else message.shown_title,
            "body_html": message.body_html if involved else message.shown_body_html,
            "timeline": message_timeline(message),
            "attachments": message.attachments.filter(reply__isnull=True),
            "can_edit": can_edit_message(request.user, message),
            "is_author": message.author_id == request.user.pk,
            "withdraw_form": WithdrawForm(),
            "is_following": is_following(request.user, message),
            **_moderation_context(request.user, message, report_form),
            # Last: it narrows "attachments" to the message's own photos.
            **handling_context(request, message),
        },
        status=status,
    )


def _moderation_context(user, message, report_form=None) -> dict:
    """What moderation adds to a message page: the outcome the author is
    owed, duplicate links, and the report form for other signed-in users."""
    is_author = user.is_authenticated and message.author_id == user.pk
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
            user.is_authenticated and not is_author and message.is_on_public_board
        ),
        "has_reported": False,
        "report_form": report_form or ReportForm(),
    }
    if message.duplicate_of_id and can_view_message(user, message.duplicate_of):
        context["duplicate_of"] = message.duplicate_of
    if (
        is_author
        and message.moderation_reason
        and message.status
        in {
            MessageStatus.REJECTED,
            MessageStatus.HIDDEN,
        }
    ):
        context["moderation_reason"] = ModerationReason.objects.filter(
            code=message.moderation_reason
        ).first()
    if is_author and message.status == MessageStatus.CHANGES_REQUESTED:
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
def message_report_view(request, message_id):
    """A signed-in user who is not the author reports a public message, once."""
    message = access_message(request.user, message_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _render_message_detail(request, message, report_form=form, status=400)
    try:
        message_report(
            message=message, reporter=request.user, reason=form.cleaned_data["reason"]
        )
    except BoardError as error:
        if error.code == "already_reported":
            flash.info(request, _("You have already reported this message. Thank you."))
            return redirect(message)
        form.add_error("reason" if error.field == "reason" else None, error.message)
        return _render_message_detail(
            request, message, report_form=form, status=error.status_code
        )
    flash.success(request, _("Thank you. A moderator will look at your report."))
    return redirect(message)


def attachment(request, attachment_id):
    """Attachments inherit their message's visibility; there is no public URL."""
    item = get_object_or_404(
        MessageAttachment.objects.select_related("reply"), pk=attachment_id
    )
    message = access_message(request.user, item.message_id)
    # A reply's images follow the reply: drafts stay inside the department and
    # hidden replies with those involved.
    if (
        item.reply is not None
        and item.reply.status != ReplyStatus.PUBLISHED
        and not (is_addressee(request.user, message) or is_moderator(request.user))
    ):
        raise Http404
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def message_compose(request):
    try:
        ensure_can_submit(request.user)
    except NotAllowed as error:
        return render(
            request, "board/cannot_compose.html", {"error": error}, status=403
        )
    form = MessageForm(
        request.POST or None,
        request.FILES or None,
        initial={
            key: request.GET[key]
            for key in ("region", "addressee")
            if key in request.GET
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            message = message_submit(
                author=request.user,
                draft=form.draft,
                images=form.cleaned_data["attachments"],
            )
        except BoardError as error:
            form.add_error(_form_field(form, error), error.message)
        else:
            flash.success(
                request,
                _(
                    "Thank you. Your message %(reference)s is awaiting review; "
                    "you will find it under “My messages”."
                )
                % {"reference": message.reference},
            )
            return redirect(message)
    return render(request, "board/compose.html", _compose_context(form))


@login_required
def message_edit_view(request, message_id):
    message = access_message(request.user, message_id)
    if not can_edit_message(request.user, message):
        raise Http404
    form = MessageForm(
        request.POST or None,
        request.FILES or None,
        initial=MessageForm.initial_for(message),
    )
    attachments = list(message.attachments.all())
    if request.method == "POST" and form.is_valid():
        try:
            message_edit(
                message=message,
                actor=request.user,
                draft=form.draft,
                new_images=form.cleaned_data["attachments"],
                remove_attachment_ids=[
                    int(pk) for pk in request.POST.getlist("remove") if pk.isdigit()
                ],
            )
        except BoardError as error:
            form.add_error(_form_field(form, error), error.message)
        else:
            flash.success(request, _("Your changes are saved."))
            return redirect(message)
    return render(
        request,
        "board/compose.html",
        {**_compose_context(form), "message": message, "attachments": attachments},
    )


@login_required
@require_POST
def message_withdraw_view(request, message_id):
    message = access_message(request.user, message_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            message_withdraw(
                message=message, actor=request.user, note=form.cleaned_data["note"]
            )
        except BoardError as error:
            flash.error(request, error.message)
        else:
            flash.success(request, _("Your message has been withdrawn."))
    return redirect(message)


@login_required
def my_messages(request):
    messages = message_list_of_author(author=request.user)
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    return render(
        request,
        "board/my_messages.html",
        {
            "messages_list": messages[:200],
            "status": status,
            "statuses": MessageStatus.choices,
        },
    )


def official_detail(request, official_id):
    official = get_object_or_404(
        Official.objects.select_related("region", "department"), pk=official_id
    )
    messages = message_list_public().filter(addressee_official=official)
    page = board_page(messages, cursor=request.GET.get("cursor", ""))
    return render(
        request,
        "board/official_detail.html",
        {
            "official": official,
            "page": page,
            "counts": official_message_counts(official),
        },
    )


def _compose_context(form: MessageForm) -> dict:
    """The data compose.js needs to offer only addressees serving a region."""
    return {
        "form": form,
        "region_parents": region_parent_map(),
        "addressee_regions": form.fields["addressee"].official_regions,
    }


def _form_field(form, error: BoardError):
    if error.field in {"addressee_official", "addressee_department"}:
        return "addressee"
    return error.field if error.field in form.fields else None


def language_set(request):
    """Django's set_language; a signed-in user's choice is also remembered,
    so that their emails come in it."""
    response = set_language(request)
    if request.method == "POST":
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
