"""The moderation app; ``ready`` plugs it into board's hooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # Moderation builds on board: it plugs into board's flows here rather
        # than board importing it (board/hooks.py).
        from board import hooks

        from . import signals  # noqa: F401  (connects its receivers)
        from .context_processors import (
            QUEUE_IS_BEHIND_CACHE_KEY,
            site_notice_variant,
        )
        from .screening import screen_submission
        from .views.message_page import message_page_part

        hooks.register(hooks.submission_screeners, screen_submission)
        hooks.register(hooks.message_page_parts, message_page_part)
        hooks.register(hooks.page_cache_variants, site_notice_variant)
        hooks.register(hooks.page_cache_variant_keys, QUEUE_IS_BEHIND_CACHE_KEY)
