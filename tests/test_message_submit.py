"""message_submit: permission, validation, reference numbers, timeline, atomicity."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from board.actions import MessageDraft, message_submit
from board.errors import NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import Message, MessageAttachment, MessageEvent
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def draft_for(official, **changes):
    values = {
        "region": official.region,
        "category": CategoryFactory(),
        "kind": "complaint",
        "title": "小区门口路灯坏了",
        "body": "路灯已经坏了两周，晚上很黑。\n\n请尽快修理。",
        "addressee_official": official,
        "is_public": True,
        "contact_phone": "138 0000 0000",
    }
    values.update(changes)
    return MessageDraft(**values)


def test_submit_creates_pending_message_with_reference_and_timeline(citizen):
    official = OfficialFactory()
    message = message_submit(author=citizen, draft=draft_for(official))
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert re.fullmatch(r"ZT-\d{4}-\d{6}", message.reference)
    assert (
        message.body_html
        == "<p>路灯已经坏了两周，晚上很黑。</p>\n<p>请尽快修理。</p>\n"
    )
    assert message.published_at is None
    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.to_status) == (
        "submitted",
        citizen,
        "pending",
    )


def test_references_increase_and_never_repeat(citizen):
    official = OfficialFactory()
    references = [
        message_submit(author=citizen, draft=draft_for(official)).reference
        for _ in range(3)
    ]
    numbers = [int(reference.rsplit("-", 1)[1]) for reference in references]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_department_addressee_in_a_parent_region_is_accepted(citizen):
    province = RegionFactory()
    county = RegionFactory(parent=RegionFactory(parent=province))
    department = DepartmentFactory(region=province)
    message = message_submit(
        author=citizen,
        draft=draft_for(
            OfficialFactory(region=county),
            region=county,
            addressee_official=None,
            addressee_department=department,
        ),
    )
    assert message.addressee == department


def test_addressee_outside_the_region_is_refused(citizen):
    official = OfficialFactory()
    with pytest.raises(ValidationFailed) as caught:
        message_submit(
            author=citizen, draft=draft_for(official, region=RegionFactory())
        )
    assert caught.value.field == "addressee_official"
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "长" * 61}, "title"),
        ({"body": ""}, "body"),
        ({"body": "字" * 3001}, "body"),
        ({"kind": "praise"}, "kind"),
        ({"contact_phone": "call me maybe"}, "contact_phone"),
    ],
)
def test_invalid_draft_is_refused_naming_the_field(citizen, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        message_submit(author=citizen, draft=draft_for(OfficialFactory(), **changes))
    assert caught.value.field == field
    assert Message.objects.count() == 0


def test_both_or_neither_addressee_is_refused(citizen):
    official = OfficialFactory()
    department = DepartmentFactory(region=official.region)
    for changes in (
        {"addressee_official": None},
        {"addressee_department": department},
    ):
        with pytest.raises(ValidationFailed):
            message_submit(author=citizen, draft=draft_for(official, **changes))
    assert Message.objects.count() == 0


def test_inactive_official_is_refused(citizen):
    with pytest.raises(ValidationFailed):
        message_submit(
            author=citizen, draft=draft_for(OfficialFactory(is_active=False))
        )


@pytest.mark.parametrize(
    "user_kwargs",
    [{"moderator": True}, {"citizen": True, "email_verified": False}, {}],
)
def test_only_verified_citizens_may_submit(user_kwargs):
    user = UserFactory(**user_kwargs)
    with pytest.raises(NotAllowed):
        message_submit(author=user, draft=draft_for(OfficialFactory()))
    assert Message.objects.count() == 0


def test_images_are_attached(citizen):
    message = message_submit(
        author=citizen,
        draft=draft_for(OfficialFactory()),
        images=[png_upload(), png_upload("second.png")],
    )
    attachments = list(message.attachments.all())
    assert [(a.content_type, a.width, a.height) for a in attachments] == [
        ("image/png", 40, 30),
        ("image/png", 40, 30),
    ]


def test_a_bad_image_leaves_nothing_half_saved(citizen):
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as caught:
        message_submit(
            author=citizen,
            draft=draft_for(OfficialFactory()),
            images=[png_upload(), fake],
        )
    assert caught.value.field == "attachments"
    assert Message.objects.count() == 0
    assert MessageAttachment.objects.count() == 0
    assert MessageEvent.objects.count() == 0


def test_more_than_three_images_are_refused(citizen):
    with pytest.raises(ValidationFailed) as caught:
        message_submit(
            author=citizen,
            draft=draft_for(OfficialFactory()),
            images=[png_upload(f"{n}.png") for n in range(4)],
        )
    assert caught.value.field == "attachments"
    assert Message.objects.count() == 0
