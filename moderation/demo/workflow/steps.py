"""The steps the workflow demo's scenarios are made of.

Each step is a real action (``message_submit``, ``message_approve``,
``message_accept``, ``reply_create`` …) run on the clock at the moment it took
place, so timelines, notifications, audit records and deadlines are what the
site itself writes. A scenario starts with ``begin``, which skips it when its
message is already on the board.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from board.actions import (
    MessageDraft,
    follow_up_submit,
    message_accept,
    message_submit,
    rating_submit,
    reply_create,
)
from board.deadlines import deadline_working_days
from board.models import Category, Department, Message, Official, Region, User
from moderation.actions import message_approve

from ..places import DEPARTMENTS
from .clock import clock_at, local_moment, working_days_before
from .letters import FOLLOW_UPS, LETTERS, MAYOR, OFFICE, RATINGS, REPLIES


class Steps:
    """The clock, the people and places of the demo, and the steps on them."""

    users: dict[str, User]  # by username
    mayor: Official
    office: Department

    def __init__(self, password: str):
        self.password = password
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.added_ids: list[int] = []  # the messages this run added
        self.last_step: datetime | None = None

    def load_places(self) -> None:
        codes = {letter.region for letter in LETTERS.values()}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        self.categories = {c.slug: c for c in Category.objects.all()}
        city_names = {slug: name for slug, name, _province, _en in DEPARTMENTS}
        self.bureaus = {
            slug: Department.objects.get(region=self.mayor.region, name=name)
            for slug, name in city_names.items()
        }

    # --- Steps ---

    def begin(self, key: str) -> bool:
        """Start a scenario's clock; False when its message is on the board."""
        letter = LETTERS[key]
        author = self.users[letter.author]
        if Message.objects.filter(author=author, title=letter.title).exists():
            return False
        self.last_step = None
        return True

    def act(self, moment: datetime, action: Callable, **kwargs):
        """Take one step of a scenario at ``moment``, after the previous one."""
        if moment > self.now or (
            self.last_step is not None and moment <= self.last_step
        ):
            raise RuntimeError(f"Demo step out of order at {moment.isoformat()}")
        self.last_step = moment
        with clock_at(moment):
            return action(**kwargs)

    def submit(self, key: str, moment: datetime) -> Message:
        letter = LETTERS[key]
        official = department = None
        if letter.to == MAYOR:
            official = self.mayor
        elif letter.to == OFFICE:
            department = self.office
        else:
            department = self.bureaus[letter.to]
        draft = MessageDraft(
            region=self.regions[letter.region],
            category=self.categories[letter.category],
            kind=letter.kind,
            title=letter.title,
            body=letter.body,
            addressee_official=official,
            addressee_department=department,
            is_public=letter.is_public,
        )
        author = self.users[letter.author]
        message = self.act(moment, message_submit, author=author, draft=draft)
        self.added_ids.append(message.pk)
        return message

    def deadline_days(self, key: str) -> int:
        """Working days to reply to the scenario's letter, as routing sets them."""
        letter = LETTERS[key]
        return deadline_working_days(
            Message(addressee_official=self.mayor, kind=letter.kind)
        )

    def working_day(self, back: int, hour: int, minute: int = 0) -> datetime:
        """``hour:minute`` on the working day ``back`` working days ago."""
        return local_moment(working_days_before(self.today, back), hour, minute)

    def hours_ago(self, hours: float) -> datetime:
        return self.now - timedelta(hours=hours)

    @staticmethod
    def evening_before(moment: datetime) -> datetime:
        """The author wrote in the evening before the moderator's review."""
        return local_moment(timezone.localdate(moment) - timedelta(days=1), 20, 35)

    @staticmethod
    def same_evening(moment: datetime, minute: int = 0) -> datetime:
        """The author reads a reply after work on the day it came."""
        return local_moment(timezone.localdate(moment), 20, minute)

    def routed(self, key: str, back: int, moderator: str = "moderator") -> Message:
        """Submitted the evening before, approved and routed ``back`` working
        days ago."""
        approved = self.working_day(back, 9, 40)
        message = self.submit(key, self.evening_before(approved))
        return self.act(
            approved, message_approve, message=message, actor=self.users[moderator]
        )

    def accept(self, message: Message, back: int, by: str = "official") -> None:
        self.act(
            self.working_day(back, 10, 15),
            message_accept,
            message=message,
            actor=self.users[by],
        )

    def reply(self, message, key: str, moment: datetime, by="official", final=True):
        return self.act(
            moment,
            reply_create,
            message=message,
            actor=self.users[by],
            body=REPLIES[key],
            final=final,
        )

    def rate(self, message: Message, key: str, moment: datetime) -> None:
        attitude, speed, resolved, comment = RATINGS[key]
        self.act(
            moment,
            rating_submit,
            message=message,
            actor=message.author,
            attitude=attitude,
            speed=speed,
            resolved=resolved,
            comment=comment,
        )

    def follow_up(self, message: Message, key: str, moment: datetime):
        return self.act(
            moment,
            follow_up_submit,
            message=message,
            actor=message.author,
            body=FOLLOW_UPS[key],
        )
