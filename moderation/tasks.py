"""Task entry points of moderation (Celery beat schedules them)."""

import logging

from celery import shared_task

from .periodic import periodic_checks_run

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def run_periodic_checks() -> dict:
    """Deadlines and escalation, auto-closing, "still waiting" notices."""
    figures, failed = periodic_checks_run()
    logger.info("periodic checks: %s (failed: %s)", figures, failed or "none")
    return figures
