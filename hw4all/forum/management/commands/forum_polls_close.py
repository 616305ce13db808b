from django.core.management.base import BaseCommand

from hw4all.forum.services import polls
from hw4all.forum.tasks import forum_polls_close_schedule


class Command(BaseCommand):
    help = "Record the closing of every poll past its closing time (once each) and tell its followers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Also queue the closing task, which then runs again every ten minutes.",
        )

    def handle(self, *args, schedule: bool = False, **options):
        count = polls.polls_close_due()
        self.stdout.write(f"Polls closed: {count}")
        if schedule:
            queued = forum_polls_close_schedule()
            self.stdout.write(
                "Next run queued." if queued else "Not queued (already waiting, or no deferring backend)."
            )
