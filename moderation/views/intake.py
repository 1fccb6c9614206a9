"""Staff intake of messages received by phone, letter or visit."""

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from board.errors import BoardError
from board.selectors import region_parent_map
from moderation.actions import message_intake

from .. import forms as moderation_forms
from .common import (
    form_field_for,
    moderator_required,
    queue_url,
)


@moderator_required
def intake(request):
    """Enter a message received by phone, letter or visit."""
    form = moderation_forms.IntakeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                message = message_intake(
                    actor=request.user,
                    author=form.cleaned_data["citizen"] or request.user,
                    draft=form.draft,
                    channel=form.cleaned_data["channel"],
                    note=form.cleaned_data["note"],
                    images=form.cleaned_data["attachments"],
                )
            except BoardError as error:
                field = form_field_for(form, error)
                form.add_error(field, error.message)
                status = error.status_code
            else:
                flash.success(
                    request,
                    _("%(reference)s is entered and waits in the queue.")
                    % {"reference": message.reference},
                )
                return redirect(queue_url("pending"))
    return render(
        request,
        "moderation/intake.html",
        {
            "form": form,
            "region_parents": region_parent_map(),
            "addressee_regions": form.fields["addressee"].official_regions,
        },
        status=status,
    )
