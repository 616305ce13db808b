from django.core.management.base import BaseCommand

from hw4all.campaigns.maintenance import campaigns_maintain
from hw4all.campaigns.tasks import campaigns_maintain_schedule


class Command(BaseCommand):
    help = (
        "Delete expired unconfirmed signatures, delete personal data of campaigns past their "
        "retention period (keeping counts by country and day) and flag suspicious bursts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Also queue the maintenance task, which then runs again every ten minutes.",
        )

    def handle(self, *args, schedule: bool = False, **options):
        report = campaigns_maintain()
        self.stdout.write(
            f"Expired pending signatures deleted: {report.expired}\n"
            f"Campaigns archived: {report.archived_campaigns} ({report.deleted} signatures deleted)\n"
            f"Suspicious patterns flagged: {report.flags}"
        )
        if schedule:
            queued = campaigns_maintain_schedule()
            self.stdout.write(
                "Next run queued." if queued else "Not queued (already waiting, or no deferring backend)."
            )
