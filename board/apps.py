"""The board app; ``ready`` connects allauth's signals."""

from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from board.ids import IdConverter


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = _("Message board")

    def ready(self):
        from . import signals  # noqa: F401  (connects allauth's signals)

        # ``<id:…>`` in URL paths: a row id, bounded (board/ids.py).
        register_converter(IdConverter, "id")
