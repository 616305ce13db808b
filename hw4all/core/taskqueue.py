"""Queueing many calls of one task at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django_tasks.base import Task
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
