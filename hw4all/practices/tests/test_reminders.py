"""Reminders: `manage.py practices_remind` emails reviewers whose deadline is near (once) or past
(once more), and the daily task keeps one next run queued."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hw4all.practices.models import EventKind, ReviewAssignment
from hw4all.practices.tasks import practices_remind_schedule, practices_remind_task


def due_in(case, days: int) -> None:
    ReviewAssignment.objects.filter(case=case).update(
        deadline=timezone.localdate() + datetime.timedelta(days=days)
    )


@pytest.mark.django_db
def test_the_command_reminds_reviewers_once_before_the_deadline(in_review, reviewers):
    due_in(in_review, 2)
    mail.outbox.clear()
    out = StringIO()
    call_command("practices_remind", stdout=out)
    assert "Reviewers reminded before their deadline: 2" in out.getvalue()
    assert "Reviewers reminded of an overdue review: 0" in out.getvalue()
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        reviewer.email for reviewer in reviewers[:2]
    )
    assert in_review.events.filter(kind=EventKind.REMINDED, for_authors=False).count() == 2

    again = StringIO()
    call_command("practices_remind", stdout=again)
    assert "Reviewers reminded before their deadline: 0" in again.getvalue()


@pytest.mark.django_db
def test_the_command_reminds_of_an_overdue_review(in_review):
    due_in(in_review, -1)
    out = StringIO()
    call_command("practices_remind", stdout=out)
    assert "Reviewers reminded of an overdue review: 2" in out.getvalue()
    assert any("Overdue review" in message.subject for message in mail.outbox)


@pytest.mark.django_db
def test_nothing_to_remind_far_from_the_deadline(in_review):
    due_in(in_review, 20)
    mail.outbox.clear()
    out = StringIO()
    call_command("practices_remind", stdout=out)
    assert "before their deadline: 0" in out.getvalue()
    assert not mail.outbox


@pytest.mark.django_db
def test_the_command_does_not_schedule_without_a_deferring_backend():
    out = StringIO()
    call_command("practices_remind", "--schedule", stdout=out)
    assert "Not queued" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_queues_its_next_run_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert practices_remind_schedule() is True
    assert practices_remind_schedule() is False  # one run waiting is enough
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == practices_remind_task.module_path
    assert waiting.run_after > timezone.now() + datetime.timedelta(hours=23)

    waiting.delete()
    practices_remind_task.call()  # a run queues the next one
    assert DBTaskResult.objects.get().status == "READY"
