"""factory_boy factories for the board's models."""

import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import format_html
from factory.django import DjangoModelFactory
from PIL import Image

from board.actions import MessageDraft, format_reference, user_grant_role
from board.lifecycle import MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageKind,
    Official,
    Region,
    User,
)
from board.roles import Role
from moderation.models import ScreeningRule

TEST_PASSWORD = "correct-horse-battery-staple"
# Far above what ``reference_next`` hands out in a test, so a factory message
# never takes the reference of a submitted one.
REFERENCE_OFFSET = 900_000
# Statuses of a message that never passed review, so was never published.
UNREVIEWED_STATUSES = frozenset(
    {"pending", "changes_requested", "rejected", "withdrawn"}
)


def _grant_roles(*default_roles):
    """Add ``default_roles``, or the roles passed as ``roles=[...]``."""

    def grant(user, create, extracted, **kwargs):
        if not create:
            return
        for role in default_roles if extracted is None else extracted:
            user_grant_role(user=user, role=role)

    return factory.PostGeneration(grant)


class UserFactory(DjangoModelFactory):
    """A user with a verified email address and no role.

    ``UserFactory(citizen=True)`` (or ``moderator``, ``official``, ``admin``)
    adds the role; ``roles=[...]`` adds several; ``email_verified=False``
    leaves the address unverified.
    """

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        citizen = factory.Trait(roles=_grant_roles(Role.CITIZEN))
        moderator = factory.Trait(roles=_grant_roles(Role.MODERATOR))
        official = factory.Trait(roles=_grant_roles(Role.OFFICIAL))
        admin = factory.Trait(roles=_grant_roles(Role.ADMIN))

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        if not create:
            return
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            primary=True,
            verified=extracted is not False,
        )

    roles = _grant_roles()


class RegionFactory(DjangoModelFactory):
    """A province, or the level below ``parent`` when one is given."""

    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"地区{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    parent = None
    level = factory.LazyAttribute(
        lambda region: region.parent.level + 1 if region.parent else 1
    )
    code = factory.Sequence(lambda n: f"{100000 + n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    region = factory.SubFactory(RegionFactory)


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    user = None
    name = factory.Sequence(lambda n: f"官员{n}")
    title = "局长"
    title_en = "Director"
    region = factory.SubFactory(RegionFactory)
    department = None
    is_active = True


class CategoryFactory(DjangoModelFactory):
    """One of the categories the migration creates, or a new one by slug."""

    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "other"
    name = factory.LazyAttribute(lambda category: category.slug)
    name_en = factory.LazyAttribute(lambda category: category.slug)


class MessageFactory(DjangoModelFactory):
    """A published public message to an official of its region.

    ``published_at`` is set unless the status says the message was never
    reviewed (``status=MessageStatus.PENDING``, rejected, withdrawn).
    """

    class Meta:
        model = Message

    reference = factory.Sequence(
        lambda n: format_reference(timezone.now().year, REFERENCE_OFFSET + n)
    )
    author = factory.SubFactory(UserFactory, citizen=True)
    region = factory.SubFactory(RegionFactory)
    addressee_official = factory.SubFactory(
        OfficialFactory, region=factory.SelfAttribute("..region")
    )
    addressee_department = None
    category = factory.SubFactory(CategoryFactory)
    kind = MessageKind.COMPLAINT
    title = factory.Sequence(lambda n: f"Message {n}")
    body = factory.Sequence(lambda n: f"The street lamp number {n} is broken.")
    body_html = factory.LazyAttribute(
        lambda message: format_html("<p>{}</p>", message.body)
    )
    is_public = True
    contact_phone = ""
    status = MessageStatus.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda message: (
            None if message.status in UNREVIEWED_STATUSES else timezone.now()
        )
    )


def png_upload(name="photo.png", size=(40, 30)) -> SimpleUploadedFile:
    """A small, real PNG as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class PendingMessageFactory(MessageFactory):
    """A message waiting in the review queue since now."""

    status = MessageStatus.PENDING
    submitted_for_review_at = factory.LazyFunction(timezone.now)


class MessageDraftFactory(factory.Factory):
    """What a citizen writes to ``addressee_official``, in its region."""

    class Meta:
        model = MessageDraft

    addressee_official = factory.SubFactory(OfficialFactory)
    addressee_department = None
    region = factory.LazyAttribute(lambda draft: draft.addressee_official.region)
    category = factory.SubFactory(CategoryFactory)
    kind = MessageKind.COMPLAINT
    title = "小区门口路灯坏了"
    body = "路灯已经坏了两周，晚上很黑。\n\n请尽快修理。"
    is_public = True
    contact_phone = ""


class ScreeningRuleFactory(DjangoModelFactory):
    class Meta:
        model = ScreeningRule

    pattern = "法轮"
    is_regex = False
    label = factory.Sequence(lambda n: f"敏感词{n}")
    needs_second_approval = False
    is_active = True


# --- The officials' side: handling, deadlines, replies and follow-ups ---


class HandlerUserFactory(UserFactory):
    """Department staff (role "handler") of ``department``."""

    department = factory.SubFactory(DepartmentFactory)
    roles = _grant_roles(Role.HANDLER)


class HolidayFactory(DjangoModelFactory):
    """A public holiday; ``is_working_day=True`` makes it a make-up day (调休)."""

    class Meta:
        model = "board.Holiday"
        django_get_or_create = ("date",)

    name = "节假日"
    is_working_day = False


class DepartmentDeadlineFactory(DjangoModelFactory):
    class Meta:
        model = "board.DepartmentDeadline"

    department = factory.SubFactory(DepartmentFactory)
    kind = MessageKind.INQUIRY
    working_days = 3


def _in_three_weeks():
    from datetime import timedelta

    return timezone.localdate() + timedelta(days=21)


class RoutedMessageFactory(MessageFactory):
    """A published message whose handling clock started now, due in three
    weeks (tests that care about the date set ``due_date``)."""

    routed_at = factory.LazyFunction(timezone.now)
    reviewed_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(_in_three_weeks)


class ReplyFactory(DjangoModelFactory):
    """A published final reply; ``status=ReplyStatus.DRAFT`` for a draft."""

    class Meta:
        model = "board.Reply"

    message = factory.SubFactory(RoutedMessageFactory)
    author = factory.SubFactory(UserFactory, official=True)
    office = "市住房和城乡建设局"
    body = factory.Sequence(lambda n: f"已安排维修，第{n}号。")
    body_html = factory.LazyAttribute(lambda reply: f"<p>{reply.body}</p>\n")
    is_final = True
    status = "published"
    published_at = factory.LazyAttribute(
        lambda reply: timezone.now() if reply.status == "published" else None
    )


class FollowUpFactory(DjangoModelFactory):
    """A follow-up question by the message's author, awaiting review."""

    class Meta:
        model = "board.FollowUp"

    message = factory.SubFactory(RoutedMessageFactory, status=MessageStatus.REPLIED)
    author = factory.LazyAttribute(lambda follow_up: follow_up.message.author)
    body = "维修后又坏了，什么时候能彻底修好？"
    body_html = factory.LazyAttribute(lambda follow_up: f"<p>{follow_up.body}</p>\n")
    status = "pending"
