"""Writing a message: compose (with the 留言须知 and a preview), edit while
it awaits review, withdraw."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.actions import (
    message_edit,
    message_submit,
    message_withdraw,
)
from board.errors import BoardError, NotAllowed
from board.forms import MessageForm, WithdrawForm
from board.forms.messages import ComposeForm
from board.ids import parse_id, parse_ids
from board.lifecycle import MessageStatus
from board.models import Message, Region
from board.permissions import (
    can_edit_message,
    ensure_can_submit,
)
from board.ratelimits import rate_limit_hit, rate_limited, rate_limited_response
from board.routing_model import routing_suggest
from board.selectors import (
    access_message,
    region_parent_map,
    similar_messages,
)
from board.selectors.guidelines import posting_guidelines_shown

# The name of the compose form's "Preview" button.
PREVIEW = "preview"


@login_required
def message_compose(request):
    # A preview saves nothing: it counts as a search, like the "check"
    # button, so that previewing twice does not use up the posts allowed.
    if request.method == "POST":
        family = "search" if PREVIEW in request.POST else "posting"
        wait = rate_limit_hit(family, request)
        if wait is not None:
            return rate_limited_response(request, wait)
    try:
        ensure_can_submit(request.user)
    except NotAllowed as error:
        return render(
            request, "board/cannot_compose.html", {"error": error}, status=403
        )
    is_preview = request.method == "POST" and PREVIEW in request.POST
    form = ComposeForm(
        request.POST or None,
        request.FILES or None,
        initial={
            key: request.GET[key]
            for key in ("region", "addressee")
            if key in request.GET
        },
        is_preview=is_preview,
    )
    preview = None
    if is_preview and form.is_valid():
        # Shown back, not saved: the submit button stays one click away.
        preview = form.preview(request.user)
    elif request.method == "POST" and form.is_valid():
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
    return render(
        request,
        "board/compose.html",
        {
            **_compose_context(form),
            "preview": preview,
            # A browser never sends a chosen file back: say so by the preview.
            "preview_dropped_photos": bool(preview and request.FILES),
        },
    )


@login_required
@rate_limited("search")
@require_POST
def message_compose_check(request):
    """Without JavaScript: the draft comes back with the published messages
    like it and where it might go; nothing is posted or chosen for the
    citizen, and it counts as a search, not as a post."""
    try:
        ensure_can_submit(request.user)
    except NotAllowed as error:
        return render(
            request, "board/cannot_compose.html", {"error": error}, status=403
        )
    form = ComposeForm(initial=request.POST)
    return render(
        request,
        "board/compose.html",
        {**_compose_context(form), **_draft_help(request.POST)},
    )


@login_required
@rate_limited("posting")
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
                remove_attachment_ids=parse_ids(request.POST.getlist("remove")),
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


def _draft_help(data) -> dict:
    """Similar published messages and routing suggestions for a draft."""
    text = f"{data.get('title', '')}\n{data.get('body', '')}".strip()
    if not text:
        return {"checked_similar": True, "similar": [], "suggestion": None}
    region_id = parse_id(data.get("region", ""))
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    return {
        "checked_similar": True,
        "similar": [message for message, _score in similar_messages(text)],
        "suggestion": routing_suggest(text, region=region),
    }


def _compose_context(form: MessageForm) -> dict:
    """The data compose.js needs to offer only addressees serving a region,
    and the 留言须知 a new message is written under."""
    return {
        "form": form,
        "guidelines": posting_guidelines_shown(),
        "title_max_length": Message.TITLE_MAX_LENGTH,
        "body_max_length": Message.BODY_MAX_LENGTH,
        "region_parents": region_parent_map(),
        "addressee_regions": form.fields["addressee"].official_regions,
        # similar.js names the statuses of the messages it lists.
        "status_labels": {status.value: str(status.label) for status in MessageStatus},
    }


def _form_field(form, error: BoardError):
    if error.field in {"addressee_official", "addressee_department"}:
        return "addressee"
    return error.field if error.field in form.fields else None
