"""attachments_purge: the photos of long-rejected or withdrawn messages go."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from board.actions import attachments_purge
from board.lifecycle import MessageStatus
from board.models import Message, MessageAttachment
from moderation.periodic import periodic_checks_run
from tests.factories import MessageFactory, png_upload

pytestmark = pytest.mark.django_db


def photo_of(status, *, days_ago):
    message = MessageFactory(status=status)
    Message.objects.filter(pk=message.pk).update(
        updated_at=timezone.now() - timedelta(days=days_ago)
    )
    upload = png_upload()
    return MessageAttachment.objects.create(
        message=message,
        image=ContentFile(upload.read(), name="photo.png"),
        content_type="image/png",
        width=40,
        height=30,
        size=upload.size,
    )


def is_gone(attachment) -> bool:
    row_gone = not MessageAttachment.objects.filter(pk=attachment.pk).exists()
    file_gone = not attachment.image.storage.exists(attachment.image.name)
    assert row_gone == file_gone
    return row_gone


@pytest.mark.parametrize("status", [MessageStatus.REJECTED, MessageStatus.WITHDRAWN])
def test_old_photos_of_rejected_or_withdrawn_messages_are_purged(status):
    old = photo_of(status, days_ago=31)
    recent = photo_of(status, days_ago=29)
    published = photo_of(MessageStatus.PUBLISHED, days_ago=400)
    pending = photo_of(MessageStatus.PENDING, days_ago=400)

    assert attachments_purge() == 1

    assert is_gone(old)
    assert not is_gone(recent)
    assert not is_gone(published)
    assert not is_gone(pending)
    assert Message.objects.filter(pk=old.message_id).exists()
    assert attachments_purge() == 0


def test_the_retention_is_read_when_called(settings):
    attachment = photo_of(MessageStatus.REJECTED, days_ago=3)
    settings.ZHITONG_ATTACHMENT_RETENTION_DAYS = 5
    assert attachments_purge() == 0

    settings.ZHITONG_ATTACHMENT_RETENTION_DAYS = 2
    assert attachments_purge() == 1
    assert is_gone(attachment)


def test_now_can_be_given():
    attachment = photo_of(MessageStatus.WITHDRAWN, days_ago=0)

    assert attachments_purge(now=timezone.now() + timedelta(days=29)) == 0
    assert attachments_purge(now=timezone.now() + timedelta(days=31)) == 1
    assert is_gone(attachment)


def test_a_row_whose_file_is_already_gone_is_deleted():
    attachment = photo_of(MessageStatus.REJECTED, days_ago=40)
    attachment.image.storage.delete(attachment.image.name)

    assert attachments_purge() == 1
    assert is_gone(attachment)


def test_the_periodic_checks_purge_them():
    attachment = photo_of(MessageStatus.REJECTED, days_ago=40)

    figures, failed = periodic_checks_run()

    assert failed == []
    assert figures["purged_attachments"] == 1
    assert is_gone(attachment)
