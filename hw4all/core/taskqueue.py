"""Queueing many calls of one task at once, and the next run of a periodic task."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from .bulk import rows_insert


def task_enqueue_many(task: Task, calls: Iterable[dict[str, Any]]) -> None:
    """Queue `task` once for each keyword arguments in `calls`, in the caller's transaction.

    On the database queue this is one INSERT of the rows that `task.enqueue()` would insert
    one by one (the signing path queues a whole batch of confirmations at a time); other
    backends enqueue each call as usual."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for kwargs in calls:
            task.enqueue(**kwargs)
        return
    backend.validate_task(task)
    rows_insert(
        [
            DBTaskResult(
                id=backend._get_id(),
                args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                # What the queue's pre_save handler stores for "now"; a bulk insert sends no signal.
                run_after=task.run_after or get_date_max(),
                backend_name=backend.alias,
            )
            for kwargs in calls
        ]
    )


def task_schedule_next(task: Task, every: datetime.timedelta) -> bool:
    """Queue `task`'s next run `every` from now unless one is already waiting: a periodic job
    (reminders, housekeeping) is a task that queues its own next run. Only a backend that can
    defer (the database queue) keeps the chain going; with others, cron runs the command."""
    backend = task.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
        if waiting.exists():
            return False
    task.using(run_after=timezone.now() + every).enqueue()
    return True
