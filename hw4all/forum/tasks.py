"""The forum's background work: recording the closing of polls, run by a task that queues its
own next run."""

import datetime
import logging

from django_tasks import task

from hw4all.core.taskqueue import task_schedule_next

from .services import polls

logger = logging.getLogger(__name__)

# A poll's page shows it closed at its closing time whatever happens here; the run only records
# the closing in the activity (and tells the followers), so a few minutes late is fine.
POLLS_CLOSE_EVERY = datetime.timedelta(minutes=10)


@task()
def forum_polls_close_task() -> None:
    """Record the polls that closed since the last run, then queue the next run."""
    count = polls.polls_close_due()
    logger.info("Forum polls closed: %s", count)
    forum_polls_close_schedule()


def forum_polls_close_schedule() -> bool:
    """Queue the next run unless one is already waiting."""
    return task_schedule_next(forum_polls_close_task, POLLS_CLOSE_EVERY)
