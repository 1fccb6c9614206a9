"""Signal receivers of moderation's own models, connected in ``ready``."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from board import page_cache

from .models import SiteNotice


@receiver(post_save, sender=SiteNotice, dispatch_uid="moderation.notice_saved")
@receiver(post_delete, sender=SiteNotice, dispatch_uid="moderation.notice_deleted")
def site_notice_changed(sender, **kwargs):
    """Every page shows the notice while reviews are late."""
    page_cache.reference_changed()
