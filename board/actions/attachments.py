"""Photos kept no longer than needed: those of a message that never reached
the board (rejected) or that its author took back (withdrawn) are deleted,
files and rows, ``ZHITONG_ATTACHMENT_RETENTION_DAYS`` after that; a photo
the author removes while editing goes at once."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import MessageAttachment

logger = logging.getLogger(__name__)

# Final statuses: a message in one of them is never shown again.
PURGED_STATUSES = frozenset({MessageStatus.REJECTED, MessageStatus.WITHDRAWN})


def attachments_remove(attachments) -> None:
    """Delete these attachment rows now and their stored files once the
    transaction commits: a rolled-back edit keeps both."""
    names = [name for name in attachments.values_list("image", flat=True) if name]
    attachments.delete()
    if names:
        storage = MessageAttachment._meta.get_field("image").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def attachments_purge(*, now: datetime | None = None) -> int:
    """Delete the stored files and the rows of the photos of messages rejected
    or withdrawn more than the retention period ago; how many were deleted.

    The message's ``updated_at`` is when it was rejected or withdrawn (a
    message in those statuses does not change again). The retention is read
    when called. Each photo goes on its own: the file first, then the row, so
    a failure leaves at most a row whose file is gone, which the next run
    deletes.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ZHITONG_ATTACHMENT_RETENTION_DAYS)
    stale = MessageAttachment.objects.filter(
        message__status__in=PURGED_STATUSES, message__updated_at__lt=cutoff
    ).only("pk", "image")
    purged = 0
    for attachment in stale.iterator():
        if attachment.image.name:
            attachment.image.storage.delete(attachment.image.name)
        MessageAttachment.objects.filter(pk=attachment.pk).delete()
        purged += 1
    if purged:
        logger.info("Purged %d attachments of rejected or withdrawn messages", purged)
    return purged
