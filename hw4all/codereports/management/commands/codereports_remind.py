from django.core.management.base import BaseCommand

from hw4all.codereports.services.calls import reminders_send
from hw4all.codereports.tasks_reminders import codereports_remind_schedule


class Command(BaseCommand):
    help = (
        "Remind the members of organisations asked to report (by a call to report) and still without "
        "a submitted report: a week before the call's reply-by date and the day before (once each)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Also queue the reminders task, which then runs again once a day.",
        )

    def handle(self, *args, schedule: bool = False, **options):
        sent = reminders_send()
        self.stdout.write(
            f"Reminded a week before the reply-by date: {sent.week}\n"
            f"Reminded the day before the reply-by date: {sent.day}"
        )
        if schedule:
            queued = codereports_remind_schedule()
            self.stdout.write(
                "Next run queued." if queued else "Not queued (already waiting, or no deferring backend)."
            )
