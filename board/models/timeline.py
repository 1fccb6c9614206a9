"""A message's timeline: one ``MessageEvent`` per thing that happened to it
(submitted, approved, replied, hidden…), with the actor, the status before
and after, and a note that stays with staff unless the action makes it public.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..languages import choice_label
from ..lifecycle import MessageStatus
from .handling import Overall
from .messages import Message


class MessageEvent(models.Model):
    """One entry of a message's timeline: what happened, who, when, and a note."""

    class Verb(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("timeline", "Submitted")
        EDITED = "edited", pgettext_lazy("timeline", "Edited by the author")
        WITHDRAWN = "withdrawn", pgettext_lazy("timeline", "Withdrawn by the author")
        PUBLISHED = "published", pgettext_lazy("timeline", "Approved and routed")
        REJECTED = "rejected", pgettext_lazy("timeline", "Rejected")
        ACCEPTED = "accepted", pgettext_lazy("timeline", "Accepted")
        REPLIED = "replied", pgettext_lazy("timeline", "Replied")
        CLOSED = "closed", pgettext_lazy("timeline", "Closed")
        TRANSFERRED = "transferred", pgettext_lazy("timeline", "Transferred")
        TRANSFER_REQUESTED = (
            "transfer_requested",
            pgettext_lazy("timeline", "Transfer referred to the moderators"),
        )
        INTERIM_REPLY = "interim_reply", pgettext_lazy("timeline", "Progress update")
        EXTENDED = "extended", pgettext_lazy("timeline", "Deadline extended")
        ESCALATED = "escalated", pgettext_lazy("timeline", "Escalated as overdue")
        RATED = "rated", pgettext_lazy("timeline", "Rated by the author")
        FOLLOW_UP = "follow_up", pgettext_lazy("timeline", "Follow-up question")
        CHANGES_REQUESTED = (
            "changes_requested",
            pgettext_lazy("timeline", "Returned to the author for changes"),
        )
        RESUBMITTED = "resubmitted", pgettext_lazy("timeline", "Resubmitted for review")
        HIDDEN = "hidden", pgettext_lazy("timeline", "Hidden by a moderator")
        RESTORED = "restored", pgettext_lazy("timeline", "Restored by a moderator")
        REDACTED = "redacted", pgettext_lazy("timeline", "Personal data masked")
        DUPLICATE = "duplicate", pgettext_lazy("timeline", "Marked as a duplicate")
        ROUTED = "routed", pgettext_lazy("timeline", "Addressee changed")
        ENTERED_BY_STAFF = (
            "entered_by_staff",
            pgettext_lazy("timeline", "Entered by staff on the citizen's behalf"),
        )

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="events"
    )
    verb = models.CharField(max_length=32, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    from_status = models.CharField(
        max_length=20, choices=MessageStatus.choices, blank=True
    )
    to_status = models.CharField(
        max_length=20, choices=MessageStatus.choices, blank=True
    )
    note = models.TextField(blank=True)
    # Staff notes (why it was hidden, what was redacted) stay with the author,
    # the moderators and the addressee unless the action marks them public.
    note_is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self):
        return f"{self.message_id} {self.verb}"

    @property
    def verb_label(self) -> str:
        return choice_label(self.Verb, self.verb)

    @property
    def shown_note(self) -> str:
        """The note, with a rating's verdict in the reader's language: it is
        stored as its code (older rows hold the label in the rater's)."""
        if self.verb == self.Verb.RATED:
            for value, label in Overall.choices:
                if self.note == value or self.note in _labels_of(label):
                    return str(label)
        return self.note


def _labels_of(label) -> set[str]:
    labels = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.add(str(label))
    return labels
