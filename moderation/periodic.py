"""The periodic checks, listed once: the board's deadline warnings and
escalation (督办), auto-closing replied messages, moderation's "still
waiting" notices, deleting expired API tokens and the photos of rejected or
withdrawn messages, and retraining the routing suggestions' model.

``manage.py run_periodic`` (cron) and Celery beat
(``moderation.tasks.run_periodic_checks``) both run them through
``periodic_checks_run``. The list lives in ``moderation`` because it is the
app that builds on ``board`` and so sees both apps' jobs.
"""

import logging

from django.conf import settings

from board.actions import (
    api_tokens_delete_expired,
    attachments_purge,
    deadlines_check,
    messages_auto_close,
)
from board.routing_model import routing_model_train

from .actions import message_still_waiting_notify

logger = logging.getLogger(__name__)


def periodic_checks_run() -> tuple[dict, list[str]]:
    """Run every check once; answers the figures and the checks that failed.

    Each check commits message by message, and one failing check does not
    keep the others from running.
    """
    failed = []

    def run(name, check, empty):
        try:
            return check()
        except Exception:
            logger.exception("Periodic check %s failed", name)
            failed.append(name)
            return empty

    # Looked up when called, so each check can be replaced in a test.
    figures = run(
        "deadlines_check", deadlines_check, {"approaching": 0, "escalated": 0}
    )
    figures["closed"] = run("messages_auto_close", messages_auto_close, 0)
    figures["still_waiting"] = run(
        "message_still_waiting_notify", message_still_waiting_notify, 0
    )
    # Expired API tokens no longer work; their rows go.
    figures["expired_tokens"] = run(
        "api_tokens_delete_expired", api_tokens_delete_expired, 0
    )
    # Photos of rejected or withdrawn messages, past the retention period.
    figures["purged_attachments"] = run("attachments_purge", attachments_purge, 0)
    # Rows the routing model was retrained on: 0 until enough new routing.
    figures["routing_model_rows"] = run(
        "routing_model_retrain", routing_model_retrain, 0
    )
    return figures, failed


def routing_model_retrain() -> int:
    """Retrain once ``ROUTING_RETRAIN_MIN_DECISIONS`` messages were routed
    (or transferred) since the model was trained; answers its rows."""
    result = routing_model_train(
        min_new_decisions=settings.ROUTING_RETRAIN_MIN_DECISIONS
    )
    return result.rows if result else 0
