"""The forum's background work: recording the closing of polls, run by a task that queues its
own next run."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

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
    """Queue the next run unless one is already waiting. Only a backend that can defer (the
    database queue) keeps the chain going; with others, cron runs the command."""
    backend = forum_polls_close_task.get_backend()
    if not backend.supports_defer:
        return False
    if backend.__class__.__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=forum_polls_close_task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
    forum_polls_close_task.using(run_after=timezone.now() + POLLS_CLOSE_EVERY).enqueue()
    return True
