"""Moderation's records: reasons, the append-only audit trail, reports,
blocks, screening rules, moderator notes, kept originals and site notices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from board.languages import in_reader_language
from board.models import Message


class ModerationReason(models.Model):
    """A reason for rejecting or hiding, with its public explanation.

    The codes are part of the API; the texts are edited in the admin.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title (Chinese)"), max_length=60)
    title_en = models.CharField(_("title (English)"), max_length=60)
    explanation = models.TextField(_("public explanation (Chinese)"))
    explanation_en = models.TextField(_("public explanation (English)"))
    requires_note = models.BooleanField(_("a note is required"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("offered to moderators"), default=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("moderation reason")
        verbose_name_plural = _("moderation reasons")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    def is_note_missing(self, note: str) -> bool:
        """This reason must be explained in a note, and none was given."""
        return self.requires_note and not note.strip()

    @property
    def display_explanation(self) -> str:
        return in_reader_language(self.explanation, self.explanation_en)


class AuditVerb(models.TextChoices):
    CLAIMED = "claimed", _("claimed")
    RELEASED = "released", _("released")
    TAKEN_OVER = "taken_over", _("took over a claim")
    APPROVED = "approved", _("approved")
    FIRST_APPROVAL = "first_approval", _("gave the first of two approvals")
    REJECTED = "rejected", _("rejected")
    CHANGES_REQUESTED = "changes_requested", _("requested changes")
    REDACTED = "redacted", _("redacted")
    MARKED_DUPLICATE = "marked_duplicate", _("marked as duplicate")
    HIDDEN = "hidden", _("hid")
    RESTORED = "restored", _("restored")
    NOTE_ADDED = "note_added", _("added a moderator note")
    REPORT_RESOLVED = "report_resolved", _("resolved reports")
    USER_BLOCKED = "user_blocked", _("blocked a user")
    USER_UNBLOCKED = "user_unblocked", _("unblocked a user")
    DOMAIN_BLOCKED = "domain_blocked", _("blocked an email domain")
    DOMAIN_UNBLOCKED = "domain_unblocked", _("unblocked an email domain")
    STAFF_INTAKE = "staff_intake", _("entered a message for a citizen")
    FOLLOW_UP_APPROVED = "follow_up_approved", _("approved a follow-up")
    FOLLOW_UP_REJECTED = "follow_up_rejected", _("rejected a follow-up")
    TRANSFER_DECIDED = "transfer_decided", _("decided a transfer request")
    # A citizen's own data rights (moderation/actions/data_rights.py).
    ACCOUNT_EXPORTED = "account_exported", _("downloaded their data")
    ACCOUNT_DELETED = "account_deleted", _("deleted their account")


class Resolution(models.TextChoices):
    """How a moderator resolves the reports on a message or a reply.

    The values are part of the API and are stored in ``Report.resolution``.
    """

    KEEP = "keep", _("Keep it as it is")
    REDACT = "redact", _("Mask personal data")
    HIDE = "hide", _("Hide it")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """Append-only record of one moderation action: who, when, what, why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=32, choices=AuditVerb.choices)
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # For actions on something other than a message (a user, a domain).
    target_type = models.CharField(_("target type"), max_length=32)
    target_id = models.CharField(_("target"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    extra = models.JSONField(_("before and after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.verb}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")


class OriginalContent(models.Model):
    """The text as the citizen wrote it, kept before a moderator changes it."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="originals"
    )
    title = models.CharField(max_length=Message.TITLE_MAX_LENGTH)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("original content")
        verbose_name_plural = _("original contents")

    def __str__(self):
        return f"{self.message_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ModeratorNote(models.Model):
    """A note moderators leave each other on an item; never shown outside."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    BODY_MAX_LENGTH = 2000

    body = models.TextField(_("note"), max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("moderator note")
        verbose_name_plural = _("moderator notes")

    def __str__(self):
        return self.body[:40]


class Report(models.Model):
    """A signed-in user's report of a published message; one per user."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports"
    )
    # Set when the report is about one of the message's replies.
    reply = models.ForeignKey(
        "board.Reply",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    REASON_MAX_LENGTH = 500

    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=models.Q(reply__isnull=True),
                name="report_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["reply", "reporter"],
                condition=models.Q(reply__isnull=False),
                name="report_reply_once_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.message_id}: {self.reason[:40]}"


class UserBlock(models.Model):
    """While active, the user's new submissions are held with this reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("user block")
        verbose_name_plural = _("user blocks")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_block_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.reason}"


def normalise_domain(domain: str) -> str:
    """A domain as stored: lower case, no leading "@" or trailing dot."""
    return domain.strip().lower().lstrip("@").rstrip(".")


def email_domain(address: str) -> str:
    """The normalised domain of an email address; "" when it has none."""
    return normalise_domain(address.rsplit("@", 1)[1]) if "@" in address else ""


class BlockedEmailDomain(models.Model):
    domain = models.CharField(_("domain"), max_length=253, unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("blocked email domain")
        verbose_name_plural = _("blocked email domains")

    def __str__(self):
        return self.domain

    @classmethod
    def blocking(cls, address: str) -> "BlockedEmailDomain | None":
        """The block on this email address's domain, if there is one."""
        domain = email_domain(address)
        return cls.objects.filter(domain=domain).first() if domain else None


class ScreeningRule(models.Model):
    """A sensitive word or regular expression the pre-screen looks for."""

    pattern = models.CharField(_("word or pattern"), max_length=200)
    is_regex = models.BooleanField(_("regular expression"), default=False)
    label = models.CharField(_("label shown to moderators"), max_length=60)
    needs_second_approval = models.BooleanField(
        _("needs a second moderator's approval"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["label", "pk"]
        verbose_name = _("screening rule")
        verbose_name_plural = _("screening rules")

    def __str__(self):
        return self.label


class SiteNotice(models.Model):
    """A notice shown to citizens while the review queue is behind."""

    text = models.TextField(_("notice (Chinese)"))
    text_en = models.TextField(_("notice (English)"))
    is_active = models.BooleanField(
        _("show while the queue is behind its deadline"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site notice")
        verbose_name_plural = _("site notices")

    def __str__(self):
        return self.text[:40]

    @property
    def display_text(self) -> str:
        return in_reader_language(self.text, self.text_en)
