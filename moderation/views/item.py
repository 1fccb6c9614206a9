"""One item: opening claims it; each form calls one action.

Every ``BoardError`` becomes a form error shown with the error's status code.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from board.errors import BoardError
from board.lifecycle import MessageStatus
from board.routing_model import routing_suggest
from board.selectors import message_timeline, similar_messages

from ..actions import ClaimConflict, queue_item_claim
from ..selectors import (
    access_message_for_moderation,
    open_reports,
    open_transfer_requests,
    pending_follow_ups,
    reason_titles,
    review_deadline,
)
from .common import (
    UNCLAIMED_STATUSES,
    claim_holder,
    form_field_for,
    format_duration,
    moderator_required,
    prescreen_findings,
    queue_of,
    queue_url,
)
from .item_actions import ITEM_ACTIONS, ItemAction


@dataclass(frozen=True)
class ItemCard:
    """An action as the page shows it: the action, and its form (a refused
    one keeps what the moderator sent)."""

    name: str
    action: ItemAction
    form: forms.Form


def _render_item(request, message, *, bound=None, claim_error=None, status=200):
    bound = bound or {}
    now = timezone.now()
    holder = claim_holder(message, now)
    held_by_other = holder is not None and holder.pk != request.user.pk
    offered = [
        name for name, action in ITEM_ACTIONS.items() if action.is_offered(message)
    ]
    cards = {
        # A refused form is shown even where its action is no longer offered.
        name: ItemCard(
            name=name,
            action=ITEM_ACTIONS[name],
            form=bound.get(name) or ITEM_ACTIONS[name].form_class(message=message),
        )
        for name in dict.fromkeys([*offered, *bound, "note"])
        if ITEM_ACTIONS[name].title
    }
    waiting = None
    if message.status == MessageStatus.PENDING and message.submitted_for_review_at:
        age = now - message.submitted_for_review_at
        waiting = {
            "age": format_duration(age),
            "deadline": format_duration(review_deadline()),
            "is_overdue": age > review_deadline(),
        }
    titles = reason_titles()
    # What the message is like, for a duplicate marked in one click, and
    # where earlier moderators sent such messages; only while it is open.
    draft_text = f"{message.title}\n{message.body}"
    can_mark_duplicate = "duplicate" in offered and not held_by_other
    return render(
        request,
        "moderation/item.html",
        {
            "message": message,
            "holder": holder,
            "held_by_me": holder is not None and not held_by_other,
            "held_by_other": held_by_other,
            "claim_error": claim_error,
            "refusals": [
                error for form in bound.values() for error in form.non_field_errors()
            ],
            "seen_updated_at": message.updated_at.isoformat(),
            "forms": {name: card.form for name, card in cards.items()},
            # The decision cards in the page's order, by name.
            "decisions": {name: card for name, card in cards.items() if name != "note"},
            "note_card": cards["note"],
            "findings": prescreen_findings(message),
            "waiting": waiting,
            "author_age": format_duration(now - message.author.date_joined),
            "reason_title": titles.get(message.moderation_reason, ""),
            "timeline": message_timeline(message),
            "notes": message.moderator_notes.select_related("author"),
            "reports": open_reports(message),
            "originals": message.originals.all(),
            "attachments": message.attachments.all(),
            # With its key to this message, which the related manager sets
            # on each: deferred, it would be read row by row.
            "duplicates": message.duplicates.only(
                "pk", "reference", "title", "duplicate_of"
            ),
            "similar": (
                similar_messages(draft_text, exclude_id=message.pk)
                if message.status == MessageStatus.PENDING or can_mark_duplicate
                else []
            ),
            "can_mark_duplicate": can_mark_duplicate,
            "suggestion": (
                routing_suggest(draft_text, region=message.region)
                if message.status == MessageStatus.PENDING
                else None
            ),
            "queue_url": queue_url(queue_of(message)),
            "follow_up": pending_follow_ups(message).first(),
            "transfer_request": open_transfer_requests()
            .filter(message=message)
            .first(),
        },
        status=status,
    )


@moderator_required
def item(request, message_id):
    """Opening an item claims it; someone else's claim is shown, not taken."""
    message = access_message_for_moderation(request.user, message_id)
    claim_error = None
    if message.status not in UNCLAIMED_STATUSES:
        try:
            queue_item_claim(message=message, actor=request.user)
        except ClaimConflict as error:
            claim_error = error
        message = access_message_for_moderation(request.user, message_id)
    return _render_item(request, message, claim_error=claim_error)


@moderator_required
@require_POST
def item_action(request, message_id, action):
    message = access_message_for_moderation(request.user, message_id)
    spec = ITEM_ACTIONS.get(action)
    if spec is None:
        raise Http404
    back_to_queue = queue_url(queue_of(message))
    form = spec.form_class(request.POST, message=message)
    if not form.is_valid():
        return _render_item(request, message, bound={action: form}, status=400)
    try:
        text = spec.run(request, message, form)
    except BoardError as error:
        if action in {"take_over", "release"}:
            flash.error(request, error.message)
            return redirect("moderation:item", message.pk)
        form.add_error(form_field_for(form, error), error.message)
        message = access_message_for_moderation(request.user, message_id)
        return _render_item(
            request, message, bound={action: form}, status=error.status_code
        )
    flash.success(request, text)
    if spec.stays_on_item:
        return redirect("moderation:item", message.pk)
    return redirect(back_to_queue)
