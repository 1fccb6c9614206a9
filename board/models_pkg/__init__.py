from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .lifecycle import PUBLIC_STATUSES, MessageStatus


class User(AbstractUser):
    """An account. Roles are groups: citizen, moderator, official, admin."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)

    def __str__(self):
        return self.display_name or self.username


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


class ReferenceSequence(models.Model):
    """The last reference number handed out in a year (``ZT-2026-000123``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_value}"


class MessageQuerySet(models.QuerySet):
    def public(self):
        """On the public board: reviewed, routed and made public by its author."""
        return self.filter(is_public=True, status__in=PUBLIC_STATUSES)

    def with_board_relations(self):
        return self.select_related(
            "region", "category", "addressee_official", "addressee_department"
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
        max_length=16,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

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


def attachment_path(instance, filename):
    return f"attachments/{instance.message.created_at:%Y/%m}/{filename}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments"
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

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="events"
    )
    verb = models.CharField(max_length=32, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    from_status = models.CharField(
        max_length=16, choices=MessageStatus.choices, blank=True
    )
    to_status = models.CharField(
        max_length=16, choices=MessageStatus.choices, blank=True
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self):
        return f"{self.message_id} {self.verb}"
