"""Where messages go: the administrative regions (province, city, county),
the departments in them and the officials who receive messages, with the
bilingual-name mixin their names (and the categories') are shown through.
Working calendars and department deadlines belong to handling.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from board.languages import in_reader_language

# Routing suggestions (board/routing_model.py) look for these words in a
# draft, beside what moderators' past routing taught them.
ROUTING_KEYWORDS_HELP = _(
    "Words that point a message here, separated by commas, spaces or 、, "
    "e.g. 公交、路灯、红绿灯. Routing suggestions look for them in a draft."
)


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
        return in_reader_language(self.name, self.name_en)


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
    routing_keywords = models.TextField(
        _("routing keywords"), blank=True, help_text=ROUTING_KEYWORDS_HELP
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
        return in_reader_language(self.title, self.title_en)
