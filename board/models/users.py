"""Accounts. Everyone who signs in is a ``User``: citizens, moderators,
officials, department staff and admins, told apart by their groups rather
than by separate models. A user remembers the language their emails come in
and, for department staff, the department whose inbox they work.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


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
    # 长辈模式: larger text, higher contrast and bigger targets, remembered
    # for the account as well as in the browser's cookie.
    elder_mode = models.BooleanField(_("elder mode (长辈模式)"), default=False)
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
    # Set when the citizen deleted the account: the row stays so that public
    # messages keep an author, with every personal field erased.
    deleted_at = models.DateTimeField(
        _("account deleted"), null=True, blank=True, editable=False
    )

    def __str__(self):
        if self.deleted_at is not None:
            return self.deleted_name()
        return self.display_name or self.username

    @classmethod
    def fields_besides_public_name(cls, prefix: str = "") -> list[str]:
        """Every field but those ``public_name`` reads: what a page that
        shows only the masked name defers (never the password's hash)."""
        needed = {"id", "username", "display_name", "deleted_at"}
        fields = cls._meta.concrete_fields
        return [prefix + field.name for field in fields if field.name not in needed]

    @staticmethod
    def public_name(*, username: str, display_name: str, deleted_at) -> str:
        """The name a message's masked author (王**) is made from: blank for
        an erased account. Takes the fields, so that a save can compare the
        stored row with the one being saved."""
        return "" if deleted_at else display_name or username

    @staticmethod
    def deleted_name() -> str:
        """How a deleted account is named wherever a name is shown."""
        return pgettext("author of a message", "Deleted user")

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE
