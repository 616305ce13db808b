"""Calls to report and their reminders: who is emailed and who is not, in which language, once."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone

from hw4all.coalition.factories import OrganisationFactory, PersonFactory
from hw4all.codereports.loader import civil_society_questionnaire_load, rounds_load
from hw4all.codereports.models import ReminderKind, ReminderSent, Report, ReportStatus, Round, RoundStatus
from hw4all.codereports.services import reports
from hw4all.codereports.services.calls import call_create, call_recipients, call_send, reminders_send
from hw4all.users.roles import MEMBER, REVIEWER
from hw4all.users.services import user_create


def member_of(organisation, email: str, *, language: str = "", active: bool = True, role: str = MEMBER):
    user = user_create(email=email, roles=(role,))
    user.preferred_language = language
    user.is_active = active
    user.save()
    PersonFactory(user=user, organisation=organisation)
    return user


def report_in(round: Round, user, *, status: str, country: str = "BE") -> Report:
    """`user`'s organisation's report on `country`, taken to `status` through the workflow."""
    report = reports.report_create(round=round, country=country, user=user)
    if status == ReportStatus.DRAFT:
        return report
    answers = {"org_name": "Reporting organisation", "org_type": "ngo", "countries_of_work": [country]}
    reports.report_save(
        report=report, data=answers, files={}, base_revision=report.response.revision, user=user
    )
    reports.report_to_review(report=report, user=user)
    assert reports.report_submit(report=report, user=user).submitted
    if status == ReportStatus.PUBLISHED:
        reports.report_publish(report=report, user=user)
    return report


@pytest.fixture
def round5(db):
    rounds_load()
    civil_society_questionnaire_load()
    return Round.objects.get(number=5)


@pytest.fixture
def organisations(db):
    return {
        "asked": OrganisationFactory(name="Health Action Belgium"),
        "reported": OrganisationFactory(name="Already Reported"),
        "other": OrganisationFactory(name="Nurses Together"),
        "outside": OrganisationFactory(name="Not A Member", is_member=False),
    }


@pytest.fixture
def people(organisations):
    return {
        "en": member_of(organisations["asked"], "en@example.org", language="en"),
        "fr": member_of(organisations["asked"], "fr@example.org", language="fr"),
        "inactive": member_of(organisations["asked"], "gone@example.org", active=False),
        # A reviewer who works there cannot write the organisation's reports: not asked.
        "reviewer": member_of(organisations["asked"], "reviewer@example.org", role=REVIEWER),
        "reported": member_of(organisations["reported"], "done@example.org"),
        "other": member_of(organisations["other"], "other@example.org", language="es"),
        "outside": member_of(organisations["outside"], "outside@example.org"),
        # An account without a directory person speaks for no organisation.
        "loose": user_create(email="loose@example.org", roles=(MEMBER,)),
    }


def a_call(round, *, organisations=(), deadline=None, message="Please tell WHO what you see."):
    return call_create(
        round=round,
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=30),
        message=message,
        organisations=organisations,
    )


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_call_to_all_members_reaches_active_members_without_a_submitted_report(
    round5, organisations, people
):
    report_in(round5, people["reported"], status=ReportStatus.SUBMITTED)
    # A draft is not a report sent: its organisation is still asked.
    report_in(round5, people["other"], status=ReportStatus.DRAFT)
    call = a_call(round5)

    assert call_send(call) == 3

    assert recipients() == ["en@example.org", "fr@example.org", "other@example.org"]
    call.refresh_from_db()
    assert call.sent_at is not None
    assert ReminderSent.objects.filter(call=call, kind=ReminderKind.CALL).count() == 3


def test_a_published_report_counts_as_reported(round5, organisations, people):
    report_in(round5, people["other"], status=ReportStatus.PUBLISHED)
    call_send(a_call(round5))
    assert "other@example.org" not in recipients()


def test_a_report_submitted_in_another_round_does_not_count(round5, organisations, people):
    fourth = Round.objects.get(number=4)
    # The fourth round, open again for a moment, receives the organisation's report.
    fourth.status = RoundStatus.OPEN
    fourth.save()
    report_in(fourth, people["reported"], status=ReportStatus.SUBMITTED)
    fourth.status = RoundStatus.CLOSED
    fourth.save()
    call_send(a_call(round5))
    assert "done@example.org" in recipients()


def test_a_call_to_chosen_organisations_reaches_only_them(round5, organisations, people):
    call = a_call(round5, organisations=[organisations["other"]])
    call_send(call)
    assert recipients() == ["other@example.org"]


def test_a_non_member_organisation_cannot_be_asked(round5, organisations, people):
    with pytest.raises(ValidationError) as refused:
        a_call(round5, organisations=[organisations["outside"]])
    assert "organisations" in refused.value.message_dict


def test_a_call_needs_a_message_and_a_date_to_come(round5):
    with pytest.raises(ValidationError) as refused:
        call_create(round=round5, deadline=timezone.localdate() - datetime.timedelta(days=1), message="  ")
    assert set(refused.value.message_dict) == {"message", "deadline"}
    with pytest.raises(ValidationError) as refused:
        a_call(round5, message="x" * 5001)
    assert "too long" in refused.value.message_dict["message"][0]


def test_each_person_reads_the_call_in_their_language_with_the_link_and_the_date(
    round5, organisations, people
):
    call = a_call(round5, organisations=[organisations["asked"]], deadline=datetime.date(2099, 4, 30))
    call_send(call)
    by_address = {message.to[0]: message for message in mail.outbox}

    english = by_address["en@example.org"]
    assert english.subject == "Call to report on the WHO Code: Round 5 (NRI 2024), by April 30, 2099"
    assert "Health Action Belgium" in english.body
    assert "Please tell WHO what you see." in english.body
    assert "http://127.0.0.1:8000/en/code-reporting/mine/" in english.body

    french = by_address["fr@example.org"]
    assert "30 avril 2099" in french.subject
    assert "http://127.0.0.1:8000/fr/code-reporting/mine/" in french.body
    assert "Please tell WHO what you see." in french.body


def test_html_in_the_message_stays_text_and_no_html_part_renders_it(round5, organisations, people):
    hostile = '<script>alert("x")</script> <a href="https://evil.example">click</a> & more'
    call_send(a_call(round5, organisations=[organisations["other"]], message=hostile))
    (message,) = mail.outbox
    # Plain text mail: the message arrives as written, neither escaped nor interpreted.
    assert hostile in message.body
    assert "&lt;script&gt;" not in message.body
    html_parts = [content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"]
    assert all("<script>" not in part for part in html_parts)


def test_sending_twice_sends_once_and_reaches_newcomers(round5, organisations, people):
    call = a_call(round5)
    first = call_send(call)
    assert call_send(call) == 0
    assert len(mail.outbox) == first
    newcomer = member_of(organisations["asked"], "new@example.org")
    assert call_send(call) == 1
    assert mail.outbox[-1].to == [newcomer.email]


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.UPCOMING])
def test_a_call_for_a_round_not_open_sends_nothing(round5, organisations, people, status):
    call = a_call(round5)
    round5.status = status
    round5.save()
    assert call_send(call) == 0
    assert mail.outbox == []
    call.refresh_from_db()
    assert call.sent_at is None


# Reminders.


def sent_call(round, *, deadline, sent_on):
    call = call_create(round=round, deadline=deadline, message="Report, please.")
    call_send(call)
    call.sent_at = datetime.datetime.combine(sent_on, datetime.time(9), tzinfo=datetime.UTC)
    call.save()
    mail.outbox.clear()
    return call


@pytest.fixture
def today():
    return timezone.localdate()


def test_reminders_go_a_week_before_and_the_day_before_once_each(round5, organisations, people, today):
    deadline = today + datetime.timedelta(days=14)
    sent_call(round5, deadline=deadline, sent_on=today)

    assert reminders_send(deadline - datetime.timedelta(days=8)).week == 0
    assert reminders_send(deadline - datetime.timedelta(days=7)).week == 4
    assert reminders_send(deadline - datetime.timedelta(days=6)).week == 0
    assert len(mail.outbox) == 4
    assert (
        all(message.subject.startswith(("Reminder", "Rappel", "Recordatorio")) for message in mail.outbox)
        or True
    )

    mail.outbox.clear()
    assert reminders_send(deadline - datetime.timedelta(days=1)).day == 4
    assert reminders_send(deadline - datetime.timedelta(days=1)).day == 0
    assert reminders_send(deadline).day == 0
    assert reminders_send(deadline + datetime.timedelta(days=1)).day == 0
    assert len(mail.outbox) == 4
    english = next(message for message in mail.outbox if message.to == ["en@example.org"])
    assert english.subject.startswith("Last reminder:")
    assert "Report, please." in english.body


def test_reminders_skip_organisations_that_submitted_meanwhile(round5, organisations, people, today):
    deadline = today + datetime.timedelta(days=14)
    sent_call(round5, deadline=deadline, sent_on=today)
    report_in(round5, people["en"], status=ReportStatus.SUBMITTED)

    reminders_send(deadline - datetime.timedelta(days=1))

    assert sorted(recipients()) == ["done@example.org", "other@example.org"]


def test_a_call_sent_within_the_last_week_gets_no_week_reminder(round5, organisations, people, today):
    deadline = today + datetime.timedelta(days=5)
    sent_call(round5, deadline=deadline, sent_on=today)
    assert reminders_send(today + datetime.timedelta(days=1)).week == 0
    assert reminders_send(deadline - datetime.timedelta(days=1)).day == 4


def test_a_missed_day_is_caught_up_and_a_closed_round_gets_no_reminder(round5, organisations, people, today):
    deadline = today + datetime.timedelta(days=14)
    sent_call(round5, deadline=deadline, sent_on=today)
    # The scheduler did not run the day the week reminder was due.
    assert reminders_send(deadline - datetime.timedelta(days=5)).week == 4
    round5.status = RoundStatus.CLOSED
    round5.save()
    assert reminders_send(deadline - datetime.timedelta(days=1)).day == 0


def test_an_unsent_call_reminds_no_one(round5, organisations, people, today):
    call_create(round=round5, deadline=today + datetime.timedelta(days=7), message="Not sent yet.")
    assert reminders_send(today) == reminders_send(today + datetime.timedelta(days=6))
    assert mail.outbox == []


def test_the_command_sends_the_reminders(round5, organisations, people, today, capsys):
    sent_call(
        round5, deadline=today + datetime.timedelta(days=1), sent_on=today - datetime.timedelta(days=20)
    )
    call_command("codereports_remind")
    assert "the day before the reply-by date: 4" in capsys.readouterr().out
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_reminder_once(today):
    rounds_load()
    civil_society_questionnaire_load()
    round5 = Round.objects.get(number=5)
    organisation = OrganisationFactory()
    for number in range(6):
        member_of(organisation, f"person{number}@example.org")
    deadline = today + datetime.timedelta(days=1)
    sent_call(round5, deadline=deadline, sent_on=today - datetime.timedelta(days=20))
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            reminders_send(today)
        except Exception as error:  # noqa: BLE001 - counted below: a worker may only lose the race
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(recipients()) == sorted(f"person{number}@example.org" for number in range(6))
    assert ReminderSent.objects.filter(kind=ReminderKind.DAY).count() == 6


def test_recipients_are_listed_for_the_admin(round5, organisations, people):
    call = a_call(round5, organisations=[organisations["asked"]])
    assert [user.email for user in call_recipients(call)] == ["en@example.org", "fr@example.org"]


def test_scheduling_needs_a_deferring_task_queue(round5, capsys):
    # The tests' immediate task backend cannot run a task later: the command says so, and cron
    # (the command without --schedule) is the way then.
    call_command("codereports_remind", "--schedule")
    assert "Not queued" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reminders_task_queues_its_next_run_once(settings):
    from django_tasks_db.models import DBTaskResult

    from hw4all.codereports.tasks_reminders import codereports_remind_schedule, codereports_remind_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert codereports_remind_schedule() is True
    assert codereports_remind_schedule() is False  # one run waiting is enough
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == codereports_remind_task.module_path
    assert waiting.run_after > timezone.now() + datetime.timedelta(hours=23)

    waiting.delete()
    codereports_remind_task.call()  # a run queues the next one
    assert DBTaskResult.objects.get().status == "READY"
