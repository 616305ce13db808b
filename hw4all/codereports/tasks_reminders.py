"""The daily run of the calls' reminders, as a task that queues its own next run."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from .services.calls import reminders_send

logger = logging.getLogger(__name__)

# Reminders are counted in days: once a day finds every reply-by date in time.
REMIND_EVERY = datetime.timedelta(days=1)


@task()
def codereports_remind_task() -> None:
    """Send the calls' reminders, then queue the next run."""
    sent = reminders_send()
    logger.info("Code reporting reminders: %s", sent)
    codereports_remind_schedule()


def codereports_remind_schedule() -> bool:
    """Queue the next reminders run unless one is already waiting. Only a backend that can
    defer (the database queue) keeps the chain going; with others, cron runs the command."""
    backend = codereports_remind_task.get_backend()
    if not backend.supports_defer:
        return False
    if backend.__class__.__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=codereports_remind_task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
    codereports_remind_task.using(run_after=timezone.now() + REMIND_EVERY).enqueue()
    return True
