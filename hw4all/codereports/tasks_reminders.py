"""The daily run of the calls' reminders, as a task that queues its own next run."""

import datetime
import logging

from django_tasks import task

from hw4all.core.taskqueue import task_schedule_next

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
    """Queue the next run unless one is already waiting."""
    return task_schedule_next(codereports_remind_task, REMIND_EVERY)
