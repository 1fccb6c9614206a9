from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ..lifecycle import PUBLIC_STATUSES, MessageStatus


class User(AbstractUser):
    """An account. Roles are groups: citizen, moderator, official, admin."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # The language the user last chose on the site (or signed up in): their
    # emails come in it. Blank means the site's language.
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Department staff (role "handler") work the inbox of this department.
    department = models.ForeignKey(
        "board.Department",
        verbose_name=_("staff of department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )

    def __str__(self):
        return self.display_name or self.username

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class BilingualNameMixin(models.Model):
    """A name kept in Chinese and English, shown in the active language."""

    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Region(BilingualNameMixin):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    code = models.CharField(_("administrative code"), max_length=12, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Department(BilingualNameMixin):
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    requires_sign_off = models.BooleanField(
        _("replies by staff need an official's sign-off"), default=False
    )
    supervisor = models.ForeignKey(
        "board.Official",
        verbose_name=_("supervising official"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_departments",
        help_text=_("Overdue messages are escalated (督办) to this official."),
    )

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="department_unique_name_per_region"
            )
        ]

    def __str__(self):
        return f"{self.region.display_name} {self.display_name}"


class Official(models.Model):
    """The public profile of an official who receives messages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official",
    )
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("job title"), max_length=100)
    title_en = models.CharField(_("job title (English)"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
    )
    is_active = models.BooleanField(_("receives messages"), default=True)

    class Meta:
        ordering = ["region__level", "region__code", "name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self):
        return f"{self.name} · {self.display_title}"

    def get_absolute_url(self):
        return reverse("board:official_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        if self.title_en and (get_language() or "").startswith("en"):
            return self.title_en
        return self.title


class Category(BilingualNameMixin):
    slug = models.SlugField(_("slug"), unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("offered to citizens"), default=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class MessageKind(models.TextChoices):
    COMPLAINT = "complaint", pgettext_lazy("message kind", "Complaint")
    SUGGESTION = "suggestion", pgettext_lazy("message kind", "Suggestion")
    INQUIRY = "inquiry", pgettext_lazy("message kind", "Inquiry")
    HELP = "help", pgettext_lazy("message kind", "Request for help")


class IntakeChannel(models.TextChoices):
    WEB = "web", _("website")
    PHONE = "phone", _("telephone")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("in person")


class ReferenceSequence(models.Model):
    """The last reference number handed out in a year (``ZT-2026-000123``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_value}"


class MessageQuerySet(models.QuerySet):
    def public(self):
        """On the public board: reviewed, routed and made public by its author.

        Every such message has a publication time; saying so lets the
        database walk the board's partial indexes (message_board_order,
        message_board_support) instead of sorting every public message.
        """
        return self.filter(
            is_public=True, status__in=PUBLIC_STATUSES, published_at__isnull=False
        )

    def with_board_relations(self):
        # A department's name includes its region's (Department.__str__).
        return self.select_related(
            "region",
            "category",
            "addressee_official",
            "addressee_department__region",
        )


class Message(models.Model):
    TITLE_MAX_LENGTH = 60
    BODY_MAX_LENGTH = 3000

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    addressee_official = models.ForeignKey(
        Official,
        verbose_name=_("addressed to official"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    addressee_department = models.ForeignKey(
        Department,
        verbose_name=_("addressed to department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("body"), max_length=BODY_MAX_LENGTH)
    # Rendered from ``body`` through board.sanitizer when the text changes.
    body_html = models.TextField(_("body (HTML)"), editable=False)
    is_public = models.BooleanField(_("public"), default=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    # Handling by the addressee: the clock starts when the message is routed.
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    due_date = models.DateField(_("reply due"), null=True, blank=True, db_index=True)
    extended_by_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    near_deadline_notified_at = models.DateTimeField(null=True, blank=True)
    transfer_count = models.PositiveSmallIntegerField(default=0)
    last_reply_at = models.DateTimeField(_("last reply"), null=True, blank=True)

    # 同问: how many signed-in people support (and follow) this message.
    support_count = models.PositiveIntegerField(_("me too"), default=0)

    # How it reached the board: the web form, or staff intake of a call/letter.
    intake_channel = models.CharField(
        _("received by"),
        max_length=8,
        choices=IntakeChannel.choices,
        default=IntakeChannel.WEB,
    )
    intake_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Moderation. A claim gives one moderator the item for a while; it is
    # taken and checked with conditional updates and row locks.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    submitted_for_review_at = models.DateTimeField(
        _("in the review queue since"), null=True, blank=True, db_index=True
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # When the author was told the review is taking longer than promised.
    waiting_notice_sent_at = models.DateTimeField(null=True, blank=True)
    prescreen_flags = models.JSONField(_("pre-screen findings"), default=list)
    # How many findings the pre-screen made; the queue can sort by it.
    prescreen_score = models.PositiveSmallIntegerField(default=0)
    needs_second_approval = models.BooleanField(default=False)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_reason = models.CharField(_("held because"), max_length=200, blank=True)
    # The code of moderation.ModerationReason behind a rejection or hiding.
    moderation_reason = models.CharField(max_length=32, blank=True)
    moderation_note = models.TextField(blank=True)
    status_before_hidden = models.CharField(
        max_length=20, choices=MessageStatus.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    flagged_at = models.DateTimeField(_("flagged"), null=True, blank=True)
    # The public version after a redaction; the addressee sees the original.
    is_redacted = models.BooleanField(default=False)
    public_title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    public_body = models.TextField(blank=True)
    public_body_html = models.TextField(blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        addressee_official__isnull=False,
                        addressee_department__isnull=True,
                    )
                    | Q(
                        addressee_official__isnull=True,
                        addressee_department__isnull=False,
                    )
                ),
                name="message_has_exactly_one_addressee",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values),
                name="message_status_is_known",
            ),
        ]
        indexes = [
            # The public board and its keyset pagination.
            models.Index(
                fields=["-published_at", "-id"],
                name="message_board_order",
                condition=Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["-support_count", "-id"],
                name="message_board_support",
                condition=Q(published_at__isnull=False),
            ),
            models.Index(fields=["author", "-created_at"], name="message_by_author"),
            models.Index(fields=["status", "created_at"], name="message_by_status"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("board:message_detail", args=[self.pk])

    @property
    def addressee(self):
        return self.addressee_official or self.addressee_department

    @property
    def is_on_public_board(self) -> bool:
        return self.is_public and self.status in PUBLIC_STATUSES

    @property
    def shown_title(self) -> str:
        """The title the public sees: the redacted one where there is one."""
        return (
            self.public_title if self.is_redacted and self.public_title else self.title
        )

    @property
    def shown_body(self) -> str:
        return self.public_body if self.is_redacted and self.public_body else self.body

    @property
    def shown_body_html(self) -> str:
        if self.is_redacted and self.public_body_html:
            return self.public_body_html
        return self.body_html


def attachment_path(instance, filename):
    return f"attachments/{instance.message.created_at:%Y/%m}/{filename}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments"
    )
    # Set for a reply's attachments; they follow the reply's visibility.
    reply = models.ForeignKey(
        "board.Reply",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    image = models.ImageField(_("image"), upload_to=attachment_path)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.image.name

    def get_absolute_url(self):
        return reverse("board:attachment", args=[self.pk])


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


class NotificationKind(models.TextChoices):
    MESSAGE_APPROVED = "message.approved", _("Your message was approved")
    MESSAGE_REJECTED = "message.rejected", _("Your message was not approved")
    MESSAGE_CHANGES_REQUESTED = (
        "message.changes_requested",
        _("Changes were requested to your message"),
    )
    MESSAGE_ROUTED = "message.routed", _("Your message was routed")
    MESSAGE_STILL_WAITING = (
        "message.still_waiting",
        _("Your message is still waiting for review"),
    )
    MESSAGE_HIDDEN = "message.hidden", _("Your message was hidden")
    MESSAGE_RESTORED = "message.restored", _("Your message was restored")
    MESSAGE_ACCEPTED = "message.accepted", _("Your message was accepted")
    MESSAGE_TRANSFERRED = "message.transferred", _("Your message was transferred")
    MESSAGE_EXTENDED = "message.extended", _("The reply deadline was extended")
    MESSAGE_INTERIM_REPLY = "message.interim_reply", _("Progress update")
    MESSAGE_REPLIED = "message.replied", _("A reply was published")
    FOLLOW_UP_APPROVED = "follow_up.approved", _("Your follow-up was sent")
    FOLLOW_UP_REJECTED = "follow_up.rejected", _("Your follow-up was not approved")
    FOLLOW_UP_ANSWERED = "follow_up.answered", _("Your follow-up was answered")
    MESSAGE_CLOSED = "message.closed", _("The message was closed")
    # To officials and department staff.
    INBOX_NEW_MESSAGE = "inbox.new_message", _("A new message was routed to you")
    INBOX_FOLLOW_UP = "inbox.follow_up", _("A follow-up question arrived")
    REPLY_AWAITING_SIGN_OFF = (
        "reply.awaiting_sign_off",
        _("A reply awaits your sign-off"),
    )
    DEADLINE_APPROACHING = "deadline.approaching", _("A reply deadline is near")
    DEADLINE_PASSED = "deadline.passed", _("A reply deadline has passed")
    MESSAGE_ESCALATED = "message.escalated", _("An overdue message was escalated")


class Notification(models.Model):
    """A durable notification: written with the action, pushed after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "id"], name="notification_catch_up")
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind}"


class MessageFollow(models.Model):
    """A signed-in user's 同问 (me too): public support, and following."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("me too")
        verbose_name_plural = _("me too")
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="follow_once")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.message_id}"


class NotificationChannel(models.TextChoices):
    IN_SITE = "inapp", _("On the site")
    EMAIL = "email", _("On the site and by email")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    """How one user wants one kind of notification; absent means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    channel = models.CharField(
        max_length=8,
        choices=NotificationChannel.choices,
        default=NotificationChannel.EMAIL,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_preference_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.channel}"


from .handling import (  # noqa: E402  (models of the officials' side)
    DepartmentDeadline,
    FollowUp,
    FollowUpStatus,
    Holiday,
    Overall,
    Rating,
    Reply,
    ReplyStatus,
    Transfer,
    TransferRequest,
)

__all__ = [
    "BilingualNameMixin",
    "Category",
    "Department",
    "DepartmentDeadline",
    "FollowUp",
    "FollowUpStatus",
    "Holiday",
    "IntakeChannel",
    "Message",
    "MessageAttachment",
    "MessageEvent",
    "MessageFollow",
    "MessageKind",
    "MessageQuerySet",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "NotificationPreference",
    "Official",
    "Overall",
    "Rating",
    "ReferenceSequence",
    "Region",
    "Reply",
    "ReplyStatus",
    "Transfer",
    "TransferRequest",
    "User",
]
