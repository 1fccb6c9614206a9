"""The citizen's message: its category, kind and intake channel, the yearly
reference counter behind ``ZT-2026-000123``, the ``Message`` itself with its
named querysets, the images attached to it (or to a reply) and the 同问
(me too) follows of signed-in supporters. Its timeline is in ``timeline``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from ..lifecycle import PUBLIC_STATUSES, MessageStatus
from .geography import (
    ROUTING_KEYWORDS_HELP,
    BilingualNameMixin,
    Department,
    Official,
    Region,
)


class Category(BilingualNameMixin):
    slug = models.SlugField(_("slug"), unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("offered to citizens"), default=True)
    routing_keywords = models.TextField(
        _("routing keywords"), blank=True, help_text=ROUTING_KEYWORDS_HELP
    )

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


class AuthorShownAs(models.TextChoices):
    """How the public sees who wrote a message, as its author chose."""

    MASKED = "masked", _("My name, masked (e.g. 王**)")
    ANONYMOUS = "anonymous", _("Anonymous (匿名)")


# What the board filters its public messages on besides their order:
# included in its order index (Message.Meta.indexes).
BOARD_FILTER_COLUMNS = ["region", "category", "kind", "status", "is_public"]


class Message(models.Model):
    TITLE_MAX_LENGTH = 60
    BODY_MAX_LENGTH = 3000
    CONTACT_PHONE_MAX_LENGTH = 20
    # The public reason an addressee gives for extending the deadline.
    EXTENSION_REASON_MAX_LENGTH = 1000
    # The optional note of an author who withdraws the message.
    WITHDRAW_NOTE_MAX_LENGTH = 500

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    # The public never sees the author's full name: masked or 匿名.
    author_shown_as = models.CharField(
        _("author shown as"),
        max_length=10,
        choices=AuthorShownAs.choices,
        default=AuthorShownAs.MASKED,
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
    contact_phone = models.CharField(
        _("contact phone"), max_length=CONTACT_PHONE_MAX_LENGTH, blank=True
    )
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
    # Handling facts for the statistics (board/statistics.py), written by the
    # actions when they happen: taken on (受理), the first reply of any kind,
    # the first final one, and how many working days each took from routing.
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    first_reply_at = models.DateTimeField(_("first reply"), null=True, blank=True)
    final_reply_at = models.DateTimeField(_("final reply"), null=True, blank=True)
    first_reply_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    final_reply_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # The final reply came on or before the (extended) due date.
    final_reply_on_time = models.BooleanField(null=True, blank=True)

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
            # The board's filters ride along (``include``): a filtered page
            # first reads the keys of its rows from the index alone
            # (selectors.messages.board_page_numbered), filtering on them
            # there rather than on rows read from the table. Both these
            # indexes: migration 0025.
            models.Index(
                fields=["-published_at", "-id"],
                name="message_board_order",
                condition=Q(published_at__isnull=False),
                include=BOARD_FILTER_COLUMNS,
            ),
            models.Index(
                fields=["-support_count", "-id"],
                name="message_board_support",
                condition=Q(published_at__isnull=False),
            ),
            # The board filtered by category (and kind), newest first: a
            # rare combination walked in message_board_order reads most of
            # the board to find twenty rows.
            models.Index(
                fields=["category", "kind", "-published_at", "-id"],
                name="message_board_category",
                condition=Q(published_at__isnull=False),
                include=["region", "status", "is_public"],
            ),
            # The board filtered by category and status without a kind: in
            # message_board_category the kind comes between them, so the
            # planner ANDed three bitmaps of a hundred thousand rows each
            # and sorted what was left (65 ms at a million messages, the
            # slowest of the board's filter combinations). Migration 0026.
            models.Index(
                fields=["category", "status", "-published_at", "-id"],
                name="message_board_category_status",
                condition=Q(published_at__isnull=False),
                include=["region", "kind", "is_public"],
            ),
            # An official's page: its list newest first, and its counts per
            # status read from the index alone.
            models.Index(
                fields=["addressee_official", "-published_at", "-id"],
                name="message_board_official",
                include=["status", "is_public"],
                condition=Q(published_at__isnull=False),
            ),
            models.Index(fields=["author", "-created_at"], name="message_by_author"),
            # The messages received on a day: the statistics' summary rows
            # for that day are counted again from them (board/statistics.py).
            models.Index(fields=["created_at"], name="message_received"),
            models.Index(fields=["status", "created_at"], name="message_by_status"),
            # The review queue's pages in both of its orders (oldest first;
            # pre-screen findings first), and the queue's health. Pending
            # messages are few: the partial indexes stay small.
            models.Index(
                fields=["submitted_for_review_at", "id"],
                name="message_review_queue",
                condition=Q(status=MessageStatus.PENDING),
            ),
            models.Index(
                fields=[
                    "-needs_second_approval",
                    "-prescreen_score",
                    "submitted_for_review_at",
                    "id",
                ],
                name="message_review_queue_risk",
                condition=Q(status=MessageStatus.PENDING),
            ),
            # The rejected and hidden queues, latest decision first.
            # PostgreSQL only: SQLite cannot write NULLS LAST in an index
            # (migration 0011 skips it there).
            models.Index(
                "status",
                F("reviewed_at").desc(nulls_last=True),
                F("updated_at").desc(),
                name="message_decided_queue",
                condition=Q(status__in=[MessageStatus.REJECTED, MessageStatus.HIDDEN]),
            ),
            # The flagged queue (with reply_flagged); flags are rare.
            models.Index(
                fields=["flagged_at"],
                name="message_flagged",
                condition=Q(flagged_at__isnull=False),
            ),
            # The queue's health (the median review time of the last seven
            # days, on every page through the site notice) and the
            # transparency figures.
            models.Index(fields=["reviewed_at"], name="message_reviewed"),
            # The inbox, its counts and its order, read index-only one
            # addressee column at a time (selectors.handling._inbox_branches).
            # SQLite builds them without the included id.
            models.Index(
                fields=["addressee_official", "status", "due_date"],
                name="message_inbox_official",
                include=["id"],
            ),
            models.Index(
                fields=["addressee_department", "status", "due_date"],
                name="message_inbox_department",
                include=["id"],
            ),
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
    def public_author_name(self) -> str:
        """Who wrote it, as the public sees it: 匿名, or the name masked
        after its first character (王**), never the full name. Needs
        ``author`` loaded (select_related) on lists."""
        author = self.author
        name = author.public_name(
            username=author.username,
            display_name=author.display_name,
            deleted_at=author.deleted_at,
        )
        return self.author_name_for_public(self.author_shown_as, name)

    @staticmethod
    def author_name_for_public(shown_as: str, name: str | None) -> str:
        """The rule of ``public_author_name``, for lists that read the
        author's name (blank for a deleted account) without the row."""
        if shown_as == AuthorShownAs.ANONYMOUS or not name:
            return pgettext("author of a message", "Anonymous")
        return f"{name[:1]}**"

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

    def has_live_claim(self, now=None) -> bool:
        """A moderator holds this item: claimed, and the claim not expired."""
        return (
            self.claimed_by_id is not None
            and self.claim_expires_at is not None
            and self.claim_expires_at > (now or timezone.now())
        )


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
    # Set by a moderator's redaction: kept and shown to those involved
    # (board.permissions.can_see_hidden_attachments), not to the public.
    is_hidden_from_public = models.BooleanField(
        _("hidden from the public"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.image.name

    def get_absolute_url(self):
        return reverse("board:attachment", args=[self.pk])


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
