"""The moderation queue and the officials' workflow of ``seed_demo``.

``seed_workflow`` adds what issues 3 and 4 ask of the demo:

- the accounts ``moderator2`` and ``handler`` (staff of the demo official's
  department), with the demo password, and two citizens who cannot log in:
  ``newcomer``, who joined today, and ``spammer``, whom the moderator blocked;
- the mayor's general office (人民政府办公室), the demo official's department:
  its staff's replies need an official's sign-off, and overdue messages
  escalate to its supervising official;
- screening rules, and messages awaiting review that trip every finding of
  the pre-screen, one of them waiting for a second moderator's approval;
- the public holidays and make-up working days (调休) of 2026 and 2027;
- messages to the demo official in every state of the officials' workflow.

Every row is written by the real actions (``message_submit``,
``message_approve``, ``message_accept``, ``reply_create`` …), so the
timelines, notifications, audit records and deadlines are what the site
itself writes. To give the messages a past, each step runs on a clock set to
the moment it took place (``clock_at``); only the periodic checks run at the
present, as the scheduler would have run them this morning.

Idempotent: accounts, the office, its supervisor and the rules are keyed on
their natural keys, holidays on their date and messages on (author, title); a
scenario whose message is already on the board is left alone, so a second run
changes nothing but the passwords, as for the other demo accounts.

``people`` and ``reference`` seed the accounts, the office, the rules and the
holidays; ``letters`` holds the texts; ``steps`` (on the ``clock``) is what
the scenarios of ``handling`` and ``review`` are made of; ``seeder`` runs them.
"""

from .letters import (
    DEMO_ID_NUMBER,
    HANDLING_LETTERS,
    LETTERS,
    PENDING_LETTERS,
    WORKFLOW_TITLES,
)
from .people import (
    SPAMMER_BLOCK_REASON,
    SUPERVISOR,
    WORKFLOW_ACCOUNTS,
    WORKFLOW_CITIZENS,
)
from .seeder import seed_workflow

__all__ = [
    "DEMO_ID_NUMBER",
    "HANDLING_LETTERS",
    "LETTERS",
    "PENDING_LETTERS",
    "SPAMMER_BLOCK_REASON",
    "SUPERVISOR",
    "WORKFLOW_ACCOUNTS",
    "WORKFLOW_CITIZENS",
    "WORKFLOW_TITLES",
    "seed_workflow",
]
