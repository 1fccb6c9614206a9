"""Signal receivers of moderation's own models and of what its queues show,
connected in ``ready``."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from board import page_cache
from board.models import FollowUp, Message, Reply

from .models import SiteNotice
from .selectors import queue_counts_changed


@receiver(post_save, sender=SiteNotice, dispatch_uid="moderation.notice_saved")
@receiver(post_delete, sender=SiteNotice, dispatch_uid="moderation.notice_deleted")
def site_notice_changed(sender, **kwargs):
    """Every page shows the notice while reviews are late."""
    page_cache.reference_changed()


# What decides the queues' members (moderation.selectors._queue_base): a
# message's status and flag, a reply's flag, a follow-up's status. A report
# counts only through the flag it raises, which is a message or reply save.
QUEUE_FIELDS = {
    Message: frozenset({"status", "flagged_at"}),
    Reply: frozenset({"flagged_at"}),
    FollowUp: frozenset({"status"}),
}


def queue_member_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """Saves that name their fields and none of these move no item between
    queues (a claim, a view count, an edit); any other save may."""
    if created and sender is Reply and instance.flagged_at is None:
        return
    if update_fields is not None and QUEUE_FIELDS[sender].isdisjoint(update_fields):
        return
    queue_counts_changed()


def queue_member_deleted(sender, instance, **kwargs):
    if sender is Reply and instance.flagged_at is None:
        return
    queue_counts_changed()


for _model in QUEUE_FIELDS:
    post_save.connect(
        queue_member_saved,
        sender=_model,
        dispatch_uid=f"moderation.queue_counts_{_model.__name__}",
    )
    post_delete.connect(
        queue_member_deleted,
        sender=_model,
        dispatch_uid=f"moderation.queue_counts_{_model.__name__}_deleted",
    )
