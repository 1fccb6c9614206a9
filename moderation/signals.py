"""Signal receivers of moderation's own models and of what its queues show,
connected in ``ready``."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from board import filter_choices, page_cache
from board.models import FollowUp, Message, Reply

from .models import ModerationReason, Report, SiteNotice
from .selectors import queue_counts_changed, queue_rows_changed


@receiver(post_save, sender=SiteNotice, dispatch_uid="moderation.notice_saved")
@receiver(post_delete, sender=SiteNotice, dispatch_uid="moderation.notice_deleted")
def site_notice_changed(sender, **kwargs):
    """Every page shows the notice while reviews are late."""
    page_cache.reference_changed()


@receiver(post_save, sender=ModerationReason, dispatch_uid="moderation.reason_saved")
@receiver(
    post_delete, sender=ModerationReason, dispatch_uid="moderation.reason_deleted"
)
def reason_changed(sender, **kwargs):
    """The reasons' list is kept with the filter lists (ReasonChoiceField);
    the rejected and hidden queues' rows name them."""
    filter_choices.sources_changed(sender, **kwargs)
    queue_rows_changed()


# What a queue's row shows (moderation/views/queue.py, ``_queue_rows``): the
# message's own columns, its open reports, its follow-ups and flagged
# replies. Any save may change one; the claims, which update the row
# without a signal, say so themselves (moderation/actions/claims.py).
QUEUE_ROW_SOURCES = (Message, Report, FollowUp, Reply)


def queue_row_source_changed(sender, **kwargs):
    queue_rows_changed()


for _model in QUEUE_ROW_SOURCES:
    post_save.connect(
        queue_row_source_changed,
        sender=_model,
        dispatch_uid=f"moderation.queue_rows_{_model.__name__}",
    )
    post_delete.connect(
        queue_row_source_changed,
        sender=_model,
        dispatch_uid=f"moderation.queue_rows_{_model.__name__}_deleted",
    )


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
