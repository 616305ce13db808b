from django.core.management.base import BaseCommand

from hw4all.forum.services import delivery
from hw4all.forum.tasks_digests import forum_digests_schedule


class Command(BaseCommand):
    help = (
        "Email the forum's daily digests, and on Mondays the weekly ones, to the people who chose "
        "them: the notifications not emailed yet. Running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Also queue the digests task, which then runs again once a day.",
        )

    def handle(self, *args, schedule: bool = False, **options):
        report = delivery.digests_send()
        self.stdout.write(f"Daily digests sent: {report.daily}\nWeekly digests sent: {report.weekly}")
        if schedule:
            queued = forum_digests_schedule()
            self.stdout.write(
                "Next run queued." if queued else "Not queued (already waiting, or no deferring backend)."
            )
