"""One item: opening claims it; each form calls one action.

Every ``BoardError`` becomes a form error shown with the error's status code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.errors import BoardError
from board.lifecycle import HIDEABLE_STATUSES, PUBLIC_STATUSES, MessageStatus
from board.models import Message
from board.selectors import message_timeline

from .. import forms as moderation_forms
from ..actions import (
    ClaimConflict,
    follow_up_approve,
    follow_up_reject,
    message_approve,
    message_hide,
    message_mark_duplicate,
    message_redact,
    message_reject,
    message_request_changes,
    message_restore,
    moderator_note_add,
    queue_item_claim,
    queue_item_release,
    reports_resolve,
    transfer_request_decide,
)
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


@dataclass
class ItemAction:
    form_class: type
    run: Callable[..., str]
    # Decisions go back to the queue; notes and take-overs stay on the item.
    stays_on_item: bool = False
    statuses: frozenset = field(default_factory=frozenset)


def _ensure_unchanged(message: Message, seen_updated_at) -> None:
    """The stale-form check for actions that do not take ``seen_updated_at``."""
    if seen_updated_at is not None and message.updated_at != seen_updated_at:
        raise ClaimConflict(
            _("Someone changed this item after you opened it; reload it."),
            code="stale",
        )


def _run_approve(request, message, form) -> str:
    message = message_approve(
        message=message,
        actor=request.user,
        addressee_official=form.addressee_official,
        addressee_department=form.addressee_department,
        category=form.cleaned_data["category"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    if message.status == MessageStatus.PENDING:
        return _(
            "Your approval of %(reference)s is recorded; a second moderator "
            "must approve it too."
        ) % {"reference": message.reference}
    return _("%(reference)s is approved and routed to %(addressee)s.") % {
        "reference": message.reference,
        "addressee": message.addressee,
    }


def _run_reject(request, message, form) -> str:
    message_reject(
        message=message,
        actor=request.user,
        reason=form.cleaned_data["reason"].code,
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("%(reference)s is rejected.") % {"reference": message.reference}


def _run_request_changes(request, message, form) -> str:
    message_request_changes(
        message=message,
        actor=request.user,
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("%(reference)s is returned to its author for changes.") % {
        "reference": message.reference
    }


def _run_redact(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    message_redact(
        message=message,
        actor=request.user,
        title=form.cleaned_data["title"],
        body=form.cleaned_data["body"],
        note=form.cleaned_data["note"],
    )
    return _("The public version of %(reference)s is masked.") % {
        "reference": message.reference
    }


def _run_duplicate(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    original = form.cleaned_data["of"]
    message_mark_duplicate(
        message=message, actor=request.user, of=original, note=form.cleaned_data["note"]
    )
    return _("%(reference)s is marked as a duplicate of %(original)s.") % {
        "reference": message.reference,
        "original": original.reference,
    }


def _run_hide(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    message_hide(
        message=message,
        actor=request.user,
        reason=form.cleaned_data["reason"].code,
        note=form.cleaned_data["note"],
    )
    return _("%(reference)s is hidden.") % {"reference": message.reference}


def _run_restore(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    message_restore(message=message, actor=request.user, note=form.cleaned_data["note"])
    return _("%(reference)s is restored.") % {"reference": message.reference}


def _run_resolve(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    reason = form.cleaned_data["reason"]
    reports_resolve(
        message=message,
        actor=request.user,
        resolution=form.cleaned_data["resolution"],
        reason=reason.code if reason else "",
        note=form.cleaned_data["note"],
    )
    return _("The reports on %(reference)s are resolved.") % {
        "reference": message.reference
    }


def _run_note(request, message, form) -> str:
    moderator_note_add(
        message=message, actor=request.user, body=form.cleaned_data["body"]
    )
    return _("Your note is added.")


def _run_take_over(request, message, form) -> str:
    queue_item_claim(message=message, actor=request.user, take_over=True)
    return _("You have taken over %(reference)s.") % {"reference": message.reference}


def _run_release(request, message, form) -> str:
    if queue_item_release(message=message, actor=request.user):
        return _("%(reference)s is back in the queue.") % {
            "reference": message.reference
        }
    return _("You were not holding %(reference)s.") % {"reference": message.reference}


def _run_follow_up_approve(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    follow_up = pending_follow_ups(message).first()
    if follow_up is None:
        raise ClaimConflict(_("This follow-up has already been reviewed."))
    follow_up_approve(follow_up=follow_up, actor=request.user)
    return _("The follow-up on %(reference)s goes back to the addressee.") % {
        "reference": message.reference
    }


def _run_follow_up_reject(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    follow_up = pending_follow_ups(message).first()
    if follow_up is None:
        raise ClaimConflict(_("This follow-up has already been reviewed."))
    follow_up_reject(
        follow_up=follow_up,
        actor=request.user,
        reason=form.cleaned_data["reason"].code,
        note=form.cleaned_data["note"],
    )
    return _("The follow-up on %(reference)s is not approved.") % {
        "reference": message.reference
    }


def _run_transfer_decide(request, message, form) -> str:
    _ensure_unchanged(message, form.cleaned_data["seen_updated_at"])
    transfer_request = open_transfer_requests().filter(message=message).first()
    if transfer_request is None:
        raise ClaimConflict(_("This transfer request has been decided."))
    transfer_request_decide(
        request=transfer_request,
        actor=request.user,
        to_official=form.addressee_official,
        to_department=form.addressee_department,
        note=form.cleaned_data["note"],
    )
    return _("%(reference)s is routed.") % {"reference": message.reference}


PENDING_ONLY = frozenset({MessageStatus.PENDING})
ITEM_ACTIONS = {
    "approve": ItemAction(
        moderation_forms.ApproveForm, _run_approve, False, PENDING_ONLY
    ),
    "reject": ItemAction(moderation_forms.RejectForm, _run_reject, False, PENDING_ONLY),
    "request_changes": ItemAction(
        moderation_forms.RequestChangesForm, _run_request_changes, False, PENDING_ONLY
    ),
    "redact": ItemAction(
        moderation_forms.RedactForm,
        _run_redact,
        False,
        frozenset({MessageStatus.PENDING, MessageStatus.HIDDEN, *PUBLIC_STATUSES}),
    ),
    "duplicate": ItemAction(
        moderation_forms.DuplicateForm,
        _run_duplicate,
        False,
        frozenset({MessageStatus.PENDING, *HIDEABLE_STATUSES}),
    ),
    "hide": ItemAction(
        moderation_forms.HideForm, _run_hide, False, frozenset(HIDEABLE_STATUSES)
    ),
    "restore": ItemAction(
        moderation_forms.RestoreForm,
        _run_restore,
        False,
        frozenset({MessageStatus.HIDDEN}),
    ),
    "resolve": ItemAction(
        moderation_forms.ResolveReportsForm,
        _run_resolve,
        False,
        frozenset(PUBLIC_STATUSES),
    ),
    "follow_up_approve": ItemAction(
        moderation_forms.FollowUpApproveForm,
        _run_follow_up_approve,
        False,
        frozenset({MessageStatus.REPLIED, MessageStatus.CLOSED}),
    ),
    "follow_up_reject": ItemAction(
        moderation_forms.FollowUpRejectForm,
        _run_follow_up_reject,
        False,
        frozenset({MessageStatus.REPLIED, MessageStatus.CLOSED}),
    ),
    "transfer_decide": ItemAction(
        moderation_forms.TransferDecisionForm,
        _run_transfer_decide,
        False,
        frozenset({MessageStatus.PUBLISHED, MessageStatus.ACCEPTED}),
    ),
    "note": ItemAction(moderation_forms.ModeratorNoteForm, _run_note, True),
    "take_over": ItemAction(moderation_forms.ClaimForm, _run_take_over, True),
    "release": ItemAction(moderation_forms.ClaimForm, _run_release),
}
# Forms offered on the page, in the order the page shows them.
DECISION_ACTIONS = (
    "follow_up_approve",
    "follow_up_reject",
    "transfer_decide",
    "approve",
    "reject",
    "request_changes",
    "resolve",
    "hide",
    "restore",
    "redact",
    "duplicate",
)


def _offered_decisions(message: Message) -> list[str]:
    offered = [
        name
        for name in DECISION_ACTIONS
        if message.status in ITEM_ACTIONS[name].statuses
    ]
    if not (message.flagged_at and message.status in PUBLIC_STATUSES):
        offered = [name for name in offered if name != "resolve"]
    if not pending_follow_ups(message).exists():
        offered = [name for name in offered if not name.startswith("follow_up")]
    if not open_transfer_requests().filter(message=message).exists():
        offered = [name for name in offered if name != "transfer_decide"]
    return offered


def _render_item(request, message, *, bound=None, claim_error=None, status=200):
    bound = bound or {}
    now = timezone.now()
    holder = claim_holder(message, now)
    held_by_other = holder is not None and holder.pk != request.user.pk
    forms = {}
    # A refused form is shown even where its action is no longer offered.
    for name in dict.fromkeys([*_offered_decisions(message), *bound, "note"]):
        forms[name] = bound.get(name) or ITEM_ACTIONS[name].form_class(message=message)
    waiting = None
    if message.status == MessageStatus.PENDING and message.submitted_for_review_at:
        age = now - message.submitted_for_review_at
        waiting = {
            "age": format_duration(age),
            "deadline": format_duration(review_deadline()),
            "is_overdue": age > review_deadline(),
        }
    titles = reason_titles()
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
            "forms": forms,
            "decisions": [name for name in forms if name != "note"],
            "findings": prescreen_findings(message),
            "waiting": waiting,
            "author_age": format_duration(now - message.author.date_joined),
            "reason_title": titles.get(message.moderation_reason, ""),
            "timeline": message_timeline(message),
            "notes": message.moderator_notes.select_related("author"),
            "reports": open_reports(message),
            "originals": message.originals.all(),
            "attachments": message.attachments.all(),
            "duplicates": message.duplicates.only("pk", "reference", "title"),
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
