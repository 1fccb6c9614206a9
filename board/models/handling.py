"""The officials' side: deadlines, transfers, replies, ratings and follow-ups."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from board.languages import in_reader_language

from .messages import Message


class Holiday(models.Model):
    """A public holiday, or a make-up working day (调休) on a weekend."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    is_working_day = models.BooleanField(
        _("make-up working day"),
        default=False,
        help_text=_("Tick for a weekend day that is worked in exchange for a holiday."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")

    def __str__(self):
        return f"{self.date} {self.name}"


class DepartmentDeadline(models.Model):
    """A department's own response deadline for one kind of message."""

    department = models.ForeignKey(
        "board.Department", on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=16)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("response deadline")
        verbose_name_plural = _("response deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind"], name="one_deadline_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=60),
                name="deadline_between_1_and_60_days",
            ),
        ]

    def __str__(self):
        return f"{self.department} {self.kind}: {self.working_days}"


class Transfer(models.Model):
    """One hand-over (转办) of a message to another official or department."""

    # Also the limit of a transfer request's reason: the same input.
    REASON_MAX_LENGTH = 1000

    message = models.ForeignKey(
        "board.Message", on_delete=models.CASCADE, related_name="transfers"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_official = models.ForeignKey(
        "board.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_department = models.ForeignKey(
        "board.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_official = models.ForeignKey(
        "board.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_department = models.ForeignKey(
        "board.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.message_id}: {self.reason[:30]}"


class TransferRequest(models.Model):
    """Past the transfer limit the moderators decide where a message belongs."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")

    message = models.ForeignKey(
        "board.Message", on_delete=models.CASCADE, related_name="transfer_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_official = models.ForeignKey(
        "board.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_department = models.ForeignKey(
        "board.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        constraints = [
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(status="open"),
                name="one_open_transfer_request_per_message",
            )
        ]

    def __str__(self):
        return f"{self.message_id}: {self.reason[:30]}"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("reply status", "Draft awaiting sign-off")
    PUBLISHED = "published", pgettext_lazy("reply status", "Published")
    HIDDEN = "hidden", pgettext_lazy("reply status", "Hidden")


class ReplyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ReplyStatus.PUBLISHED)


class Reply(models.Model):
    """An interim or final reply under the office's name; never edited once out.

    A correction is a new reply linked to the one it corrects.
    """

    BODY_MAX_LENGTH = 5000

    message = models.ForeignKey(
        "board.Message", on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The replying office as shown publicly, fixed when the reply is written,
    # in Chinese and in English (readers of English see the English name).
    office = models.CharField(_("replying office"), max_length=120)
    # db_default: bulk loaders that list their columns (the query-plan and
    # benchmark data) need not name it; default: those that fill every
    # column from the model's defaults (moderation/demo/rows.py) get "".
    office_en = models.CharField(
        _("replying office (English)"),
        max_length=120,
        blank=True,
        default="",
        db_default="",
    )
    body = models.TextField(_("reply"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    is_final = models.BooleanField(_("final reply"), default=False)
    status = models.CharField(
        max_length=12, choices=ReplyStatus.choices, default=ReplyStatus.PUBLISHED
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    follow_up = models.ForeignKey(
        "board.FollowUp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Moderation, as for messages.
    status_before_hidden = models.CharField(max_length=12, blank=True)
    moderation_reason = models.CharField(max_length=32, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)
    is_redacted = models.BooleanField(default=False)
    public_body_html = models.TextField(blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [
            # The moderators' flagged queue (with message_flagged).
            models.Index(
                fields=["message"],
                name="reply_flagged",
                condition=Q(flagged_at__isnull=False),
            ),
            # The newest replies (the replies feed) and the open data's
            # replies by day of publication.
            models.Index(
                fields=["-published_at", "-id"],
                name="reply_published",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self):
        return f"{self.message_id}: {self.body[:30]}"

    @property
    def display_office(self) -> str:
        return in_reader_language(self.office, self.office_en)

    @property
    def shown_body_html(self) -> str:
        if self.is_redacted and self.public_body_html:
            return self.public_body_html
        return self.body_html


class Overall(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Rating(models.Model):
    """The author's rating (评价) of a final reply."""

    COMMENT_MAX_LENGTH = 1000

    message = models.ForeignKey(
        "board.Message", on_delete=models.CASCADE, related_name="ratings"
    )
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="rating")
    attitude = models.PositiveSmallIntegerField(_("attitude"))
    speed = models.PositiveSmallIntegerField(_("speed"))
    resolved = models.PositiveSmallIntegerField(_("problem resolved"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    overall = models.CharField(max_length=20, choices=Overall.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        # The open data's ratings by the day they were given.
        indexes = [models.Index(fields=["created_at", "id"], name="rating_given")]
        constraints = [
            models.CheckConstraint(
                condition=Q(attitude__range=(1, 5))
                & Q(speed__range=(1, 5))
                & Q(resolved__range=(1, 5)),
                name="rating_scores_between_1_and_5",
            )
        ]

    def __str__(self):
        return f"{self.message_id}: {self.overall}"


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("follow-up status", "Awaiting review")
    APPROVED = "approved", pgettext_lazy("follow-up status", "Sent to the addressee")
    REJECTED = "rejected", pgettext_lazy("follow-up status", "Not approved")
    ANSWERED = "answered", pgettext_lazy("follow-up status", "Answered")


class FollowUp(models.Model):
    """The author asks again (追问) after a reply; reviewed like a message."""

    BODY_MAX_LENGTH = Message.BODY_MAX_LENGTH

    message = models.ForeignKey(
        "board.Message", on_delete=models.CASCADE, related_name="follow_ups"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("follow-up"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderation_reason = models.CharField(max_length=32, blank=True)
    moderation_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            # Those still open: the follow-ups queue (pending) and the
            # inbox's "a follow-up awaits your answer" (approved). Answered
            # and rejected ones, the most, are left out.
            models.Index(
                fields=["status", "message"],
                name="follow_up_open",
                condition=Q(
                    status__in=[FollowUpStatus.PENDING, FollowUpStatus.APPROVED]
                ),
            ),
        ]

    def __str__(self):
        return f"{self.message_id}: {self.body[:30]}"
