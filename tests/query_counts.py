"""The data of tests/test_query_counts.py: a fixed set of reference data and
readers, and one builder per kind of row a page lists.

Every builder takes the ``World`` and the row's number and varies what a
page shows per row (region, category, kind, addressee, status, author,
claims, findings, reports, replies, drafts, ratings …) by that number, so
that 50 rows are as varied as a real page and 1 row differs from 50 in the
number of rows only: the reference data is the same for both.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from board.lifecycle import PUBLIC_STATUSES, MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageAttachment,
    MessageEvent,
    MessageKind,
    Notification,
    NotificationKind,
    Official,
    Rating,
    Region,
    ReplyStatus,
    User,
)
from moderation.models import Report
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    FollowUpFactory,
    HandlerUserFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    ReplyFactory,
    UserFactory,
)

# In a fixed order: ``pick`` cycles through them.
PUBLIC = sorted(PUBLIC_STATUSES)
ALL_STATUSES = list(MessageStatus.values)
KINDS = list(MessageKind.values)
REASONS = ["duplicate", "out_of_scope", "abusive", "advertising", "personal_data"]
FINDINGS = ["rule", "links", "phone", "near_duplicate", "new_account"]
VERBS = list(MessageEvent.Verb.values)
NOTIFICATION_KINDS = list(NotificationKind.values)


def pick(items, number: int):
    return items[number % len(items)]


@dataclass
class World:
    """What both sizes share: regions, categories, departments, officials,
    and the readers. ``officials[0]`` (``official``) and the ``handler``
    work in ``departments[0]``, which needs sign-off."""

    regions: list[Region]
    categories: list[Category]
    departments: list[Department]
    officials: list[Official]
    citizens: list[User]
    moderators: list[User]
    handler: User
    # The message page's message, for the cases that show one.
    message: Message | None = None
    # Published replies of ``message`` so far: corrections point at them.
    replies: list = field(default_factory=list)

    @property
    def citizen(self) -> User:
        return self.citizens[0]

    @property
    def official(self) -> Official:
        return self.officials[0]

    def reader(self, role: str | None) -> User | None:
        return {
            None: None,
            "citizen": self.citizen,
            "moderator": self.moderators[0],
            "official": self.official.user,
            "handler": self.handler,
        }[role]


def build_world() -> World:
    province = RegionFactory(name="江南省", name_en="Jiangnan")
    cities = [RegionFactory(parent=province) for _ in range(2)]
    counties = [RegionFactory(parent=city) for city in cities]
    regions = [province, *cities, *counties]
    departments = [
        DepartmentFactory(region=cities[0], requires_sign_off=True),
        DepartmentFactory(region=counties[1]),
        DepartmentFactory(region=province),
    ]
    officials = [
        OfficialFactory(
            user=UserFactory(official=True),
            region=cities[0],
            department=departments[0],
        ),
        OfficialFactory(region=cities[1]),
        OfficialFactory(region=counties[0], department=departments[1]),
        OfficialFactory(region=province, title_en=""),
    ]
    return World(
        regions=regions,
        categories=[
            CategoryFactory(slug=slug, name=name, name_en=name_en)
            for slug, name, name_en in [
                ("roads", "道路", "Roads"),
                ("schools", "学校", ""),
                ("health", "卫生", "Health"),
            ]
        ],
        departments=departments,
        officials=officials,
        citizens=[UserFactory(citizen=True) for _ in range(3)],
        moderators=[UserFactory(moderator=True) for _ in range(2)],
        handler=HandlerUserFactory(department=departments[0]),
    )


def message(world: World, number: int, **fields) -> Message:
    """A message varied by ``number``: author, region, category, kind, an
    official or a department as addressee, 同问, a redacted public title."""
    to_department = number % 3 == 2
    values = {
        "author": pick(world.citizens, number),
        "region": pick(world.regions, number),
        "category": pick(world.categories, number),
        "kind": pick(KINDS, number),
        "addressee_official": None if to_department else pick(world.officials, number),
        "addressee_department": (
            pick(world.departments, number) if to_department else None
        ),
        "support_count": number % 4,
        "is_redacted": number % 5 == 4,
        "public_title": "***" if number % 5 == 4 else "",
        "status": pick(PUBLIC, number),
    }
    values.update(fields)
    return MessageFactory(**values)


# --- The lists -------------------------------------------------------------------


def board_row(world: World, number: int) -> None:
    message(world, number)


def official_row(world: World, number: int) -> None:
    message(world, number, addressee_official=world.official, addressee_department=None)


def my_messages_row(world: World, number: int) -> None:
    message(
        world,
        number,
        author=world.citizen,
        status=pick(ALL_STATUSES, number),
        is_public=number % 4 != 3,
    )


def inbox_row(world: World, number: int) -> None:
    """Routed to the official or their department (so the department's
    staff see it too): due past, soon or later; extended, escalated,
    private, with drafts awaiting sign-off and follow-ups awaiting a reply."""
    today = timezone.localdate()
    to_department = number % 2 == 1
    routed = message(
        world,
        number,
        addressee_official=None if to_department else world.official,
        addressee_department=world.departments[0] if to_department else None,
        status=pick(
            [MessageStatus.PUBLISHED, MessageStatus.ACCEPTED, MessageStatus.REPLIED],
            number,
        ),
        is_public=number % 4 != 3,
        routed_at=timezone.now(),
        due_date=today + timedelta(days=pick([-3, 1, 12, 30], number)),
        extended_by_days=pick([0, 0, 5], number),
        escalated_at=timezone.now() if number % 6 == 0 else None,
        last_reply_at=timezone.now() if number % 3 == 2 else None,
    )
    if number % 3 == 1:
        ReplyFactory(message=routed, author=world.handler, status=ReplyStatus.DRAFT)
    if number % 5 == 0:
        FollowUpFactory(message=routed, author=routed.author, status="approved")


def notification_row(world: World, number: int) -> None:
    """To the citizen, about their own message, one they follow (hidden
    since, or redacted) or none; some read, some with a due date."""
    # The first row reads the most: whether the reader is the addressee.
    about = pick(["private", "own", "public", "hidden", None], number)
    subject = None
    if about == "own":
        subject = message(world, number, author=world.citizen)
    elif about == "public":
        subject = message(world, number, author=world.citizens[1])
    elif about == "hidden":
        subject = message(world, number, status=MessageStatus.HIDDEN)
    elif about == "private":
        subject = message(world, number, is_public=False, author=world.citizens[2])
    Notification.objects.create(
        recipient=world.citizen,
        kind=pick(NOTIFICATION_KINDS, number),
        message=subject,
        payload={"due_date": "2030-01-15"} if number % 2 else {},
        read_at=timezone.now() if number % 3 == 0 else None,
    )


# --- The moderation queues ---------------------------------------------------------


def pending_row(world: World, number: int) -> None:
    """Waiting for review: findings, second approvals, claims by another
    moderator, private ones, some long overdue."""
    holder = world.moderators[1]
    is_claimed = number % 3 == 0
    message(
        world,
        number,
        status=MessageStatus.PENDING,
        is_public=number % 4 != 3,
        submitted_for_review_at=timezone.now() - timedelta(hours=number * 5),
        prescreen_flags=[
            {"code": code, "detail": f"第{number}条", "needs_second_approval": False}
            for code in FINDINGS[: number % 3]
        ],
        prescreen_score=number % 3,
        needs_second_approval=number % 4 == 0,
        first_approved_by=holder if number % 8 == 0 else None,
        claimed_by=holder if is_claimed else None,
        claim_expires_at=timezone.now() + timedelta(minutes=10) if is_claimed else None,
    )


def flagged_row(world: World, number: int) -> None:
    """Flagged by reports, open and resolved, or through a flagged reply."""
    flagged = message(
        world, number, flagged_at=None if number % 4 == 3 else timezone.now()
    )
    if number % 4 == 3:
        ReplyFactory(
            message=flagged, author=world.official.user, flagged_at=timezone.now()
        )
    for reporter in world.citizens[: 1 + number % 3]:
        Report.objects.create(
            message=flagged,
            reporter=reporter,
            reason="不实信息",
            resolved_at=timezone.now() if reporter == world.citizens[1] else None,
        )


def follow_ups_row(world: World, number: int) -> None:
    answered = message(world, number, status=MessageStatus.REPLIED)
    FollowUpFactory(message=answered, author=answered.author)


def rejected_row(world: World, number: int) -> None:
    message(
        world,
        number,
        status=MessageStatus.REJECTED,
        moderation_reason=pick(REASONS, number),
        reviewed_at=timezone.now() - timedelta(minutes=number),
    )


def hidden_row(world: World, number: int) -> None:
    message(
        world,
        number,
        status=MessageStatus.HIDDEN,
        status_before_hidden=pick(PUBLIC, number),
        moderation_reason=pick(REASONS, number),
        reviewed_at=timezone.now() - timedelta(minutes=number),
    )


QUEUE_ROWS = {
    "pending": pending_row,
    "flagged": flagged_row,
    "followups": follow_ups_row,
    "rejected": rejected_row,
    "hidden": hidden_row,
}


# --- One message's page ----------------------------------------------------------


def message_page_subject(world: World) -> None:
    """A replied message by the citizen to the official."""
    world.message = message(
        world,
        0,
        author=world.citizen,
        addressee_official=world.official,
        addressee_department=None,
        status=MessageStatus.REPLIED,
        routed_at=timezone.now(),
        due_date=timezone.localdate() + timedelta(days=10),
    )


def message_page_row(world: World, number: int) -> None:
    """One more of everything the page lists: a timeline entry (by the
    author, a moderator, the official, staff or nobody), a photo (some
    hidden from the public), a reply (interim, final, a correction or a
    draft; some with a photo), a rating of a final reply, a follow-up, and
    a message marked as its duplicate."""
    subject = world.message
    MessageEvent.objects.create(
        message=subject,
        verb=pick(VERBS, number),
        actor=pick(
            [
                world.citizen,
                world.moderators[0],
                world.official.user,
                world.handler,
                None,
            ],
            number,
        ),
        note=f"备注{number}" if number % 2 else "",
        note_is_public=number % 4 == 1,
    )
    MessageAttachment.objects.create(
        message=subject,
        image=f"attachments/2030/01/photo{number}.png",
        content_type="image/png",
        width=40,
        height=30,
        size=100,
        is_hidden_from_public=number % 4 == 3,
    )
    is_draft = number % 5 == 4
    corrects = world.replies[-1] if number % 5 == 3 and world.replies else None
    reply = ReplyFactory(
        message=subject,
        author=world.handler if is_draft else world.official.user,
        is_final=number % 2 == 0,
        status=ReplyStatus.DRAFT if is_draft else ReplyStatus.PUBLISHED,
        corrects=corrects,
    )
    if not is_draft:
        world.replies.append(reply)
    if number % 3 == 0:
        MessageAttachment.objects.create(
            message=subject,
            reply=reply,
            image=f"attachments/2030/01/reply{number}.png",
            content_type="image/png",
            width=40,
            height=30,
            size=100,
        )
    if reply.is_final and not is_draft:
        Rating.objects.create(
            message=subject,
            reply=reply,
            attitude=1 + number % 5,
            speed=5 - number % 5,
            resolved=1 + number % 5,
            overall=pick(["satisfied", "basically_satisfied", "dissatisfied"], number),
            comment=f"评价{number}",
        )
    FollowUpFactory(
        message=subject,
        author=world.citizen,
        # The first pending: moderators get its review form with the first row.
        status=pick(["pending", "approved", "answered", "rejected"], number),
    )
    message(
        world,
        number,
        duplicate_of=subject,
        status=pick([MessageStatus.REJECTED, MessageStatus.HIDDEN], number),
        moderation_reason="duplicate",
    )
