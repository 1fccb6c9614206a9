"""The board app; ``ready`` connects allauth's signals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = _("Message board")

    def ready(self):
        from . import signals  # noqa: F401  (connects allauth's signals)
