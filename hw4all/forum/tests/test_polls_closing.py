"""Closing: `manage.py forum_polls_close` (and its task, which queues its next run) records each
poll's closing once in the space's activity, even with two workers at once."""

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hw4all.forum.models import Activity, ActivityKind, Follow, Notification
from hw4all.forum.services import polls as services
from hw4all.forum.tasks import forum_polls_close_schedule, forum_polls_close_task

from .test_polls import close, poll_open


@pytest.mark.django_db
def test_the_command_records_each_closing_once(open_space, moderator, member):
    Follow.objects.create(user=member, space=open_space)
    ended = close(poll_open(open_space, moderator, question="Ended?"))
    poll_open(open_space, moderator, question="Still open?")
    out = StringIO()
    call_command("forum_polls_close", stdout=out)
    assert "Polls closed: 1" in out.getvalue()
    closing = Activity.objects.get(kind=ActivityKind.POLL_CLOSED)
    assert (closing.poll, closing.space, closing.actor, closing.summary) == (
        ended,
        open_space,
        None,
        "Ended?",
    )
    # The space's followers are told the results are out.
    assert Notification.objects.filter(user=member, activity=closing).exists()

    again = StringIO()
    call_command("forum_polls_close", stdout=again)
    assert "Polls closed: 0" in again.getvalue()
    assert Activity.objects.filter(kind=ActivityKind.POLL_CLOSED).count() == 1


@pytest.mark.django_db
def test_a_poll_closes_at_its_closing_time(open_space, moderator):
    poll = poll_open(open_space, moderator)
    assert services.polls_close_due(now=poll.closes_at - datetime.timedelta(seconds=1)) == 0
    assert services.polls_close_due(now=poll.closes_at) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_record_a_closing_once(open_space, moderator):
    polls = [close(poll_open(open_space, moderator, question=f"Ended {n}?")) for n in range(3)]
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            counts.append(services.polls_close_due())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counts) == 3
    for poll in polls:
        assert Activity.objects.filter(kind=ActivityKind.POLL_CLOSED, poll=poll).count() == 1


@pytest.mark.django_db
def test_the_command_does_not_schedule_without_a_deferring_backend():
    out = StringIO()
    call_command("forum_polls_close", "--schedule", stdout=out)
    assert "Not queued" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_queues_its_next_run_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert forum_polls_close_schedule() is True
    assert forum_polls_close_schedule() is False  # one run waiting is enough
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == forum_polls_close_task.module_path
    assert waiting.run_after > timezone.now() + datetime.timedelta(minutes=9)

    waiting.delete()
    forum_polls_close_task.call()  # a run queues the next one
    assert DBTaskResult.objects.get().status == "READY"
