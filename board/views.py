"""Pages of the board. Each view validates, calls one action or selector, renders."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .actions import message_edit, message_submit, message_withdraw
from .errors import BoardError, NotAllowed
from .forms import BoardFilterForm, MessageForm, WithdrawForm
from .lifecycle import MessageStatus
from .models import MessageAttachment, Official
from .permissions import can_edit_message, ensure_can_submit
from .selectors import (
    BoardFilters,
    access_message,
    board_page,
    message_list_of_author,
    message_list_public,
    message_timeline,
    official_message_counts,
    region_parent_map,
)


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
    return render(
        request,
        "board/message_detail.html",
        {
            "message": message,
            "timeline": message_timeline(message),
            "attachments": message.attachments.all(),
            "can_edit": can_edit_message(request.user, message),
            "is_author": message.author_id == request.user.pk,
            "withdraw_form": WithdrawForm(),
        },
    )


def attachment(request, attachment_id):
    """Attachments inherit their message's visibility; there is no public URL."""
    item = get_object_or_404(MessageAttachment, pk=attachment_id)
    access_message(request.user, item.message_id)
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
