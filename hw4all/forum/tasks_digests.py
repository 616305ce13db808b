"""The forum's daily run: the daily digests, and on their day the weekly ones, by a task that
queues its own next run (like the practices' reminders)."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

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
    """Queue the next digests run unless one is already waiting. Only a backend that can defer
    (the database queue) keeps the chain going; with others, cron runs the command."""
    backend = forum_digests_task.get_backend()
    if not backend.supports_defer:
        return False
    if backend.__class__.__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=forum_digests_task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
    forum_digests_task.using(run_after=timezone.now() + DIGESTS_EVERY).enqueue()
    return True
