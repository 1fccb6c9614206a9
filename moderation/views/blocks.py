"""Blocked users and email domains."""

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.errors import BoardError

from .. import forms as moderation_forms
from ..actions import (
    email_domain_block,
    email_domain_unblock,
    user_block,
    user_unblock,
)
from ..models import BlockedEmailDomain, UserBlock
from .common import (
    form_field_for,
    moderator_required,
)


def _render_blocks(request, *, status=200, **forms):
    return render(
        request,
        "moderation/blocks.html",
        {
            "user_blocks": UserBlock.objects.filter(lifted_at__isnull=True)
            .select_related("user", "created_by")
            .order_by("-created_at"),
            "domains": BlockedEmailDomain.objects.select_related("created_by"),
            "user_block_form": forms.get("user_block_form")
            or moderation_forms.UserBlockForm(),
            "domain_block_form": forms.get("domain_block_form")
            or moderation_forms.EmailDomainBlockForm(),
        },
        status=status,
    )


@moderator_required
def blocks(request):
    return _render_blocks(request)


@moderator_required
@require_POST
def user_block_view(request):
    form = moderation_forms.UserBlockForm(request.POST)
    status = 400
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            user_block(
                user=user, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except BoardError as error:
            form.add_error(form_field_for(form, error), error.message)
            status = error.status_code
        else:
            flash.success(
                request,
                _("%(name)s is blocked; their new messages will be held.")
                % {"name": user.username},
            )
            return redirect("moderation:blocks")
    return _render_blocks(request, status=status, user_block_form=form)


@moderator_required
@require_POST
def user_unblock_view(request):
    form = moderation_forms.UserUnblockForm(request.POST)
    if not form.is_valid():
        raise Http404
    user = form.cleaned_data["user"]
    try:
        lifted = user_unblock(user=user, actor=request.user)
    except BoardError as error:
        flash.error(request, error.message)
    else:
        if lifted:
            flash.success(
                request, _("%(name)s is unblocked.") % {"name": user.username}
            )
        else:
            flash.info(
                request, _("%(name)s was not blocked.") % {"name": user.username}
            )
    return redirect("moderation:blocks")


@moderator_required
@require_POST
def email_domain_block_view(request):
    form = moderation_forms.EmailDomainBlockForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            blocked = email_domain_block(
                domain=form.cleaned_data["domain"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except BoardError as error:
            form.add_error(form_field_for(form, error), error.message)
            status = error.status_code
        else:
            flash.success(
                request, _("%(domain)s is blocked.") % {"domain": blocked.domain}
            )
            return redirect("moderation:blocks")
    return _render_blocks(request, status=status, domain_block_form=form)


@moderator_required
@require_POST
def email_domain_unblock_view(request):
    form = moderation_forms.EmailDomainUnblockForm(request.POST)
    if not form.is_valid():
        raise Http404
    domain = form.cleaned_data["domain"]
    try:
        lifted = email_domain_unblock(domain=domain, actor=request.user)
    except BoardError as error:
        flash.error(request, error.message)
    else:
        if lifted:
            flash.success(request, _("%(domain)s is unblocked.") % {"domain": domain})
        else:
            flash.info(request, _("%(domain)s was not blocked.") % {"domain": domain})
    return redirect("moderation:blocks")
