"""Queueing many calls of one task at once, and the next run of a periodic task."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from .bulk import values_insert


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
    template = _row_template(
        task.module_path, task.priority, task.queue_name, task.run_after, backend.alias, connection.vendor
    )
    pk, args_kwargs, enqueued_at = (DBTaskResult._meta.get_field(name) for name in _PER_ROW)
    now = enqueued_at.get_db_prep_save(timezone.now(), connection)
    rows = []
    for kwargs in calls:
        row = list(template.values)
        row[template.slots[0]] = pk.get_db_prep_save(backend._get_id(), connection)
        row[template.slots[1]] = args_kwargs.get_db_prep_save(
            normalize_json({"args": [], "kwargs": kwargs}), connection
        )
        row[template.slots[2]] = now
        rows.append(row)
    values_insert(DBTaskResult, template.fields, rows)


# The columns that differ from one queued call to the next; the others are the same for every
# call of one task and are prepared once.
_PER_ROW = ("id", "args_kwargs", "enqueued_at")


class _RowTemplate(NamedTuple):
    fields: list[Field]
    values: list[Any]
    slots: list[int]


@functools.lru_cache(maxsize=64)
def _row_template(
    task_path: str,
    priority: int,
    queue_name: str,
    run_after: datetime.datetime | None,
    backend_name: str,
    vendor: str,
) -> _RowTemplate:
    """A row as `task.enqueue()` would store it, in the database's values, for one task."""
    example: DBTaskResult = DBTaskResult(
        priority=priority,
        task_path=task_path,
        queue_name=queue_name,
        # What the queue's pre_save handler stores for "now"; a bulk insert sends no signal.
        run_after=run_after or get_date_max(),
        backend_name=backend_name,
    )
    fields = list(DBTaskResult._meta.concrete_fields)
    values = [
        None if field.name in _PER_ROW else field.get_db_prep_save(field.pre_save(example, True), connection)
        for field in fields
    ]
    return _RowTemplate(fields, values, [[field.name for field in fields].index(name) for name in _PER_ROW])


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
