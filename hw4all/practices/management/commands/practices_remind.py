from django.core.management.base import BaseCommand

from hw4all.practices import services
from hw4all.practices.tasks import practices_remind_schedule


class Command(BaseCommand):
    help = (
        "Email the reviewers whose review is due within PRACTICES_REMIND_DAYS_BEFORE days (once) "
        "and those whose deadline has passed (once more)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Also queue the reminders task, which then runs again once a day.",
        )

    def handle(self, *args, schedule: bool = False, **options):
        report = services.reminders_send()
        self.stdout.write(
            f"Reviewers reminded before their deadline: {report.before_deadline}\n"
            f"Reviewers reminded of an overdue review: {report.overdue}"
        )
        if schedule:
            queued = practices_remind_schedule()
            self.stdout.write(
                "Next run queued." if queued else "Not queued (already waiting, or no deferring backend)."
            )
