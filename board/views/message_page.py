"""The public page of one message, built in one place.

``message_page`` assembles it from its parts: the message itself, the
officials' side (countdown, replies and follow-ups, ratings), the author's
rating and follow-up forms, and what apps built on board add through
``board.hooks.message_page_parts`` (moderation: the report form, the
outcome owed to the author, duplicate links). A refused form comes back
through ``bound_forms`` and is shown again with its errors. Anonymous
visitors get it from the page cache while the message is unchanged
(board/page_cache.py).
"""

from collections.abc import Mapping

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board import hooks, page_cache
from board.actions import follow_up_allowed, follow_up_submit, rating_submit
from board.deadlines import deadline_for
from board.errors import BoardError
from board.forms import FollowUpForm, RatingForm, WithdrawForm
from board.lifecycle import ANSWERED_STATUSES
from board.models import (
    FollowUpStatus,
    Message,
    MessageAttachment,
    Rating,
    ReplyStatus,
)
from board.permissions import (
    can_edit_message,
    can_view_attachment,
    is_addressee,
    is_author,
    is_involved,
)
from board.ratelimits import rate_limited
from board.roles import is_moderator
from board.selectors import (
    access_message,
    is_following,
    latest_final_reply,
    message_attachments_visible,
    message_ratings,
    message_thread,
    message_timeline,
)

# A "resolved" score this low offers the follow-up at once.
LOW_RESOLVED_SCORE = 2


class MessageNotVisible(Http404):
    """No such message, or one this reader may not see (pending, hidden,
    withdrawn …): one answer for both, so the page does not tell strangers
    which messages exist. The 404 page says so (templates/404.html)."""

    not_found_subject = "message"


def message_version(request, message_id) -> list[str]:
    return [page_cache.message_version_name(message_id)]


@page_cache.cached_page(message_version)
def message_detail(request, message_id):
    try:
        message = access_message(request.user, message_id, to_read=True)
    except Http404:
        raise MessageNotVisible from None
    return message_page(request, message)


def message_page(
    request,
    message: Message,
    *,
    bound_forms: Mapping[str, forms.Form] | None = None,
    status: int = 200,
):
    """Render the message page; ``bound_forms`` maps a form's name
    ("rating", "follow_up", "report") to the refused form."""
    bound_forms = bound_forms or {}
    context = {
        **_message_part(request.user, message),
        **_handling_part(request.user, message),
    }
    context.update(_author_part(request.user, message, context["ratings"], bound_forms))
    for part in hooks.message_page_parts:
        context.update(part(request, message, bound_forms))
    return render(request, "board/message_detail.html", context, status=status)


def _message_part(user, message: Message) -> dict:
    involved = is_involved(user, message)
    return {
        "message": message,
        # Those involved read the original; everyone else the public version.
        "involved": involved,
        "title": message.title if involved else message.shown_title,
        "body_html": message.body_html if involved else message.shown_body_html,
        "timeline": message_timeline(message, with_actors=False),
        # The message's own photos: a reply's are shown with the reply, a
        # draft's never publicly, and one a moderator hid only to those
        # involved.
        "attachments": message_attachments_visible(user, message),
        "can_edit": can_edit_message(user, message),
        "is_author": is_author(user, message),
        "withdraw_form": WithdrawForm(),
        "is_following": is_following(user, message),
    }


def _handling_part(user, message: Message) -> dict:
    """The officials' side: the countdown, replies and follow-ups, ratings."""
    replies = list(
        message.replies.published()
        .select_related("corrects")
        .prefetch_related("attachments")
        .order_by("published_at", "pk")
    )
    return {
        "deadline": deadline_for(message),
        "thread": message_thread(message, replies),
        "ratings": message_ratings(message),
        "can_handle": is_addressee(user, message),
    }


def _author_part(user, message: Message, ratings: list[Rating], bound_forms) -> dict:
    """The author's rating and follow-up forms, where the message allows them.

    A refused form is shown again with its errors, whatever the state.
    """
    context = {
        "can_rate": False,
        "rating_form": None,
        "follow_up_form": None,
        "follow_up_reason": "",
        "offer_follow_up": False,
        "pending_follow_ups": [],
    }
    if is_author(user, message) and message.status in ANSWERED_STATUSES:
        final_reply = latest_final_reply(message)
        context["can_rate"] = final_reply is not None and not any(
            rating.reply_id == final_reply.pk for rating in ratings
        )
        if context["can_rate"]:
            context["rating_form"] = RatingForm()
        allowed, reason = follow_up_allowed(message)
        if allowed:
            context["follow_up_form"] = FollowUpForm()
            context["offer_follow_up"] = _resolved_poorly(ratings)
        else:
            context["follow_up_reason"] = reason
        context["pending_follow_ups"] = list(
            message.follow_ups.filter(status=FollowUpStatus.PENDING)
        )
    if "rating" in bound_forms:
        context["rating_form"] = bound_forms["rating"]
    if "follow_up" in bound_forms:
        context["follow_up_form"] = bound_forms["follow_up"]
        context["offer_follow_up"] = True
    return context


def _resolved_poorly(ratings: list[Rating]) -> bool:
    return bool(ratings and ratings[-1].resolved <= LOW_RESOLVED_SCORE)


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
    # A photo a moderator hid from the public is kept for those involved.
    if not can_view_attachment(request.user, message, item):
        raise Http404
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- The author's forms on the page ---


def _access_as_author(request, message_id) -> Message:
    message = access_message(request.user, message_id)
    if not is_author(request.user, message):
        raise PermissionDenied(_("Only the author can do this."))
    return message


def _field_of(form, error: BoardError) -> str | None:
    return error.field if error.field in form.fields else None


@login_required
@require_POST
@rate_limited("ratings")
def rating_submit_view(request, message_id):
    message = _access_as_author(request, message_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return message_page(request, message, bound_forms={"rating": form}, status=400)
    try:
        rating = rating_submit(message=message, actor=request.user, **form.cleaned_data)
    except BoardError as error:
        form.add_error(_field_of(form, error), error.message)
        return message_page(
            request, message, bound_forms={"rating": form}, status=error.status_code
        )
    flash.success(
        request,
        _("Thank you for your rating: %(overall)s.")
        % {"overall": rating.get_overall_display()},
    )
    if _resolved_poorly([rating]) and follow_up_allowed(message)[0]:
        flash.info(
            request,
            _("Your problem is not resolved? You can ask a follow-up question below."),
        )
        return redirect(f"{message.get_absolute_url()}#follow-up")
    return redirect(f"{message.get_absolute_url()}#rating")


@login_required
@require_POST
@rate_limited("follow_ups")
def follow_up_submit_view(request, message_id):
    message = _access_as_author(request, message_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return message_page(
            request, message, bound_forms={"follow_up": form}, status=400
        )
    try:
        follow_up_submit(
            message=message, actor=request.user, body=form.cleaned_data["body"]
        )
    except BoardError as error:
        form.add_error(_field_of(form, error), error.message)
        return message_page(
            request, message, bound_forms={"follow_up": form}, status=error.status_code
        )
    flash.success(
        request,
        _(
            "Your follow-up question is awaiting review; once approved it goes "
            "back to the addressee."
        ),
    )
    return redirect(f"{message.get_absolute_url()}#follow-up")
