"""The forum's daily run: the daily digests, and on their day the weekly ones, by a task that
queues its own next run (like the practices' reminders)."""

import datetime
import logging

from django_tasks import task

from hw4all.core.taskqueue import task_schedule_next

from .services import delivery

logger = logging.getLogger(__name__)

DIGESTS_EVERY = datetime.timedelta(days=1)


@task()
def forum_digests_task() -> None:
    """Send the digests that are due, then queue the next run."""
    report = delivery.digests_send()
    logger.info("Forum digests: %s", report)
    forum_digests_schedule()


def forum_digests_schedule() -> bool:
    """Queue the next run unless one is already waiting."""
    return task_schedule_next(forum_digests_task, DIGESTS_EVERY)
