"""The workflow demo's clock: actions run as if in the past, on working days.

``clock_at`` sets the time each step took place; ``working_days_before`` and
``local_moment`` name those moments as a person would ("10:15 three working
days ago"), on the board's calendar of holidays and make-up working days.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from board.deadlines import calendar_exceptions, is_working_day

# Logged while seeding at these levels only: Celery's line for each task run
# in-process, and kombu's warning that the in-memory broker has no host name.
QUIET_LOGGERS = {"celery.app.trace": logging.WARNING, "kombu.connection": logging.ERROR}


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run actions as if at ``moment``: ``timezone.now()`` returns it.

    The actions, the ``auto_now`` fields and the deadline arithmetic all read
    the time through ``django.utils.timezone.now``, so a step of the demo's
    past is written as the site would have written it then. Only for this
    one-off command: a server must never swap the module's function.
    """
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


@contextmanager
def quiet_task_logs() -> Iterator[None]:
    """No log line for each of the demo's tasks that runs in-process."""
    saved = {}
    for name, level in QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        saved[logger] = logger.level
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, level in saved.items():
            logger.setLevel(level)


def local_moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def working_days_before(day: date, count: int) -> date:
    """The date ``count`` working days before ``day`` (the reverse of
    ``board.deadlines.add_working_days``)."""
    holidays, make_up_days = calendar_exceptions(
        day - timedelta(days=count * 2 + 40), day
    )
    while count:
        day -= timedelta(days=1)
        if is_working_day(day, holidays, make_up_days):
            count -= 1
    return day
