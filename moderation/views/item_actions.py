"""What a moderator can do from an item's page: for each action, its form,
what runs when the form is sent (one action each), and how the page shows it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from board.lifecycle import (
    ANSWERED_STATUSES,
    HIDEABLE_STATUSES,
    IN_HANDLING_STATUSES,
    PUBLIC_STATUSES,
    MessageStatus,
)
from board.models import Message

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
from ..selectors import open_transfer_requests, pending_follow_ups


@dataclass(frozen=True)
class ItemAction:
    """One thing a moderator does from an item's page: its form, what runs
    when the form is sent, and how the page shows it."""

    form_class: type
    run: Callable[..., str]
    # The card's heading and button; the claim panel draws its own buttons.
    title: str = ""
    button: str = ""
    # "" for the main action, "secondary" or "danger".
    button_style: str = ""
    # Shown unfolded when the page opens.
    is_open: bool = False
    # Decisions go back to the queue; notes and take-overs stay on the item.
    stays_on_item: bool = False
    # Offered as a decision while the message is in one of these statuses,
    statuses: frozenset = frozenset()
    # and, where given, while this holds too.
    is_due: Callable[[Message], bool] | None = None

    def is_offered(self, message: Message) -> bool:
        return message.status in self.statuses and (
            self.is_due is None or self.is_due(message)
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
    message_redact(
        message=message,
        actor=request.user,
        title=form.cleaned_data["title"],
        body=form.cleaned_data["body"],
        note=form.cleaned_data["note"],
        hidden_attachment_ids=form.hidden_attachment_ids,
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("The public version of %(reference)s is masked.") % {
        "reference": message.reference
    }


def _run_duplicate(request, message, form) -> str:
    original = form.cleaned_data["of"]
    message_mark_duplicate(
        message=message,
        actor=request.user,
        of=original,
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("%(reference)s is marked as a duplicate of %(original)s.") % {
        "reference": message.reference,
        "original": original.reference,
    }


def _run_hide(request, message, form) -> str:
    message_hide(
        message=message,
        actor=request.user,
        reason=form.cleaned_data["reason"].code,
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("%(reference)s is hidden.") % {"reference": message.reference}


def _run_restore(request, message, form) -> str:
    message_restore(
        message=message,
        actor=request.user,
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("%(reference)s is restored.") % {"reference": message.reference}


def _run_resolve(request, message, form) -> str:
    reason = form.cleaned_data["reason"]
    reports_resolve(
        message=message,
        actor=request.user,
        resolution=form.cleaned_data["resolution"],
        reason=reason.code if reason else "",
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
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
    follow_up = pending_follow_ups(message).first()
    if follow_up is None:
        raise ClaimConflict(_("This follow-up has already been reviewed."))
    follow_up_approve(
        follow_up=follow_up,
        actor=request.user,
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("The follow-up on %(reference)s goes back to the addressee.") % {
        "reference": message.reference
    }


def _run_follow_up_reject(request, message, form) -> str:
    follow_up = pending_follow_ups(message).first()
    if follow_up is None:
        raise ClaimConflict(_("This follow-up has already been reviewed."))
    follow_up_reject(
        follow_up=follow_up,
        actor=request.user,
        reason=form.cleaned_data["reason"].code,
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("The follow-up on %(reference)s is not approved.") % {
        "reference": message.reference
    }


def _run_transfer_decide(request, message, form) -> str:
    transfer_request = open_transfer_requests().filter(message=message).first()
    if transfer_request is None:
        raise ClaimConflict(_("This transfer request has been decided."))
    transfer_request_decide(
        request=transfer_request,
        actor=request.user,
        to_official=form.addressee_official,
        to_department=form.addressee_department,
        note=form.cleaned_data["note"],
        seen_updated_at=form.cleaned_data["seen_updated_at"],
    )
    return _("%(reference)s is routed.") % {"reference": message.reference}


def _is_flagged(message: Message) -> bool:
    return message.flagged_at is not None


def _has_pending_follow_up(message: Message) -> bool:
    return pending_follow_ups(message).exists()


def _has_open_transfer_request(message: Message) -> bool:
    return open_transfer_requests().filter(message=message).exists()


PENDING_ONLY = frozenset({MessageStatus.PENDING})
# Everything the page can do, decisions in the order the page shows them.
ITEM_ACTIONS = {
    "follow_up_approve": ItemAction(
        moderation_forms.FollowUpApproveForm,
        _run_follow_up_approve,
        title=gettext_lazy("Approve the follow-up"),
        button=gettext_lazy("Send it to the addressee"),
        is_open=True,
        statuses=ANSWERED_STATUSES,
        is_due=_has_pending_follow_up,
    ),
    "follow_up_reject": ItemAction(
        moderation_forms.FollowUpRejectForm,
        _run_follow_up_reject,
        title=gettext_lazy("Do not approve the follow-up"),
        button=gettext_lazy("Reject with this reason"),
        button_style="danger",
        statuses=ANSWERED_STATUSES,
        is_due=_has_pending_follow_up,
    ),
    "transfer_decide": ItemAction(
        moderation_forms.TransferDecisionForm,
        _run_transfer_decide,
        title=gettext_lazy("Decide where it belongs"),
        button=gettext_lazy("Route it there"),
        is_open=True,
        statuses=IN_HANDLING_STATUSES,
        is_due=_has_open_transfer_request,
    ),
    "approve": ItemAction(
        moderation_forms.ApproveForm,
        _run_approve,
        title=gettext_lazy("Approve and route"),
        button=gettext_lazy("Approve and route"),
        is_open=True,
        statuses=PENDING_ONLY,
    ),
    "reject": ItemAction(
        moderation_forms.RejectForm,
        _run_reject,
        title=gettext_lazy("Reject"),
        button=gettext_lazy("Reject with this reason"),
        button_style="danger",
        statuses=PENDING_ONLY,
    ),
    "request_changes": ItemAction(
        moderation_forms.RequestChangesForm,
        _run_request_changes,
        title=gettext_lazy("Request changes"),
        button=gettext_lazy("Return to the author"),
        button_style="secondary",
        statuses=PENDING_ONLY,
    ),
    "resolve": ItemAction(
        moderation_forms.ResolveReportsForm,
        _run_resolve,
        title=gettext_lazy("Resolve the reports"),
        button=gettext_lazy("Resolve"),
        is_open=True,
        statuses=PUBLIC_STATUSES,
        is_due=_is_flagged,
    ),
    "hide": ItemAction(
        moderation_forms.HideForm,
        _run_hide,
        title=gettext_lazy("Hide from the board"),
        button=gettext_lazy("Hide"),
        button_style="danger",
        statuses=HIDEABLE_STATUSES,
    ),
    "restore": ItemAction(
        moderation_forms.RestoreForm,
        _run_restore,
        title=gettext_lazy("Restore"),
        button=gettext_lazy("Restore to the board"),
        is_open=True,
        statuses=frozenset({MessageStatus.HIDDEN}),
    ),
    "redact": ItemAction(
        moderation_forms.RedactForm,
        _run_redact,
        title=gettext_lazy("Mask personal data"),
        button=gettext_lazy("Save the public version"),
        button_style="secondary",
        statuses=frozenset({MessageStatus.PENDING, MessageStatus.HIDDEN}).union(
            PUBLIC_STATUSES
        ),
    ),
    "duplicate": ItemAction(
        moderation_forms.DuplicateForm,
        _run_duplicate,
        title=gettext_lazy("Mark as duplicate"),
        button=gettext_lazy("Mark as duplicate"),
        button_style="secondary",
        statuses=PENDING_ONLY.union(HIDEABLE_STATUSES),
    ),
    # Not decisions: the note card sits with the notes, the claim buttons
    # in the claim panel.
    "note": ItemAction(
        moderation_forms.ModeratorNoteForm,
        _run_note,
        title=gettext_lazy("Add a note"),
        button=gettext_lazy("Add note"),
        button_style="secondary",
        stays_on_item=True,
    ),
    "take_over": ItemAction(
        moderation_forms.ClaimForm, _run_take_over, stays_on_item=True
    ),
    "release": ItemAction(moderation_forms.ClaimForm, _run_release),
}
