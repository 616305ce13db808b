"""Queueing a batch of tasks stores what queueing them one by one would, and the worker runs them."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hw4all.core.email import email_send_task
from hw4all.core.taskqueue import task_enqueue_many

FIELDS = ("args_kwargs", "priority", "task_path", "queue_name", "run_after", "backend_name", "status")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def message(number: int) -> dict:
    return {"to": [f"person{number}@example.org"], "subject": f"Message {number}", "body": "Hello"}


@pytest.mark.django_db
def test_a_batch_is_stored_as_single_enqueues_would_be(database_queue):
    email_send_task.enqueue(**message(0))
    task_enqueue_many(email_send_task, [message(1), message(2), message(3)])

    rows = list(DBTaskResult.objects.order_by("enqueued_at").values(*FIELDS, "id", "enqueued_at"))
    assert len(rows) == 4
    assert len({row["id"] for row in rows}) == 4
    single, *batch = rows
    for number, row in enumerate(batch, start=1):
        assert row["args_kwargs"] == {"args": [], "kwargs": message(number)}
        assert {field: row[field] for field in FIELDS if field != "args_kwargs"} == {
            field: single[field] for field in FIELDS if field != "args_kwargs"
        }
        assert row["enqueued_at"] >= single["enqueued_at"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_a_batch(database_queue):
    task_enqueue_many(email_send_task, [message(1), message(2)])

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0
    )

    assert sorted(m.subject for m in mail.outbox) == ["Message 1", "Message 2"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db
def test_an_empty_batch_stores_nothing(database_queue):
    task_enqueue_many(email_send_task, [])
    assert not DBTaskResult.objects.exists()
