"""The board app; ``ready`` connects the signal receivers."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from board.ids import IdConverter


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = _("Message board")

    def ready(self):
        # signals connects its receivers as it is imported.
        from . import filter_choices, signals  # noqa: F401

        # The filter forms' cached lists follow edits of what they list.
        for model in filter_choices.SOURCES:
            for signal in (post_save, post_delete):
                signal.connect(
                    filter_choices.sources_changed,
                    sender=model,
                    dispatch_uid="board.filter_choices",
                )

        # ``<id:…>`` in URL paths: a row id, bounded (board/ids.py).
        register_converter(IdConverter, "id")
