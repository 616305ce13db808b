"""The practices' background work: the daily reminders to reviewers whose deadline is near or
past, run by a task that queues its own next run."""

import datetime
import logging

from django_tasks import task

from hw4all.core.taskqueue import task_schedule_next

from . import services

logger = logging.getLogger(__name__)

# Reminders are counted in days: once a day finds every deadline in time.
REMIND_EVERY = datetime.timedelta(days=1)


@task()
def practices_remind_task() -> None:
    """Send the reviewers' reminders, then queue the next run."""
    report = services.reminders_send()
    logger.info("Practices reminders: %s", report)
    practices_remind_schedule()


def practices_remind_schedule() -> bool:
    """Queue the next run unless one is already waiting."""
    return task_schedule_next(practices_remind_task, REMIND_EVERY)
