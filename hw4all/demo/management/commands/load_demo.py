from django.core.management.base import BaseCommand

from hw4all.demo.services import demo_complete, demo_is_loaded, demo_load
from hw4all.demo.workforce import workforce_demo_skipped


class Command(BaseCommand):
    help = "Load the demo content from the coalition's source documents (once; safe to run again)."

    def handle(self, *args, **options) -> None:
        if skipped := workforce_demo_skipped():
            self.stdout.write(self.style.WARNING(skipped))
        if demo_is_loaded():
            added = demo_complete()
            self.stdout.write("Demo content is already loaded.")
            if added:
                self.stdout.write(self.style.SUCCESS(f"Added what it lacked: {', '.join(added)}."))
            return
        demo_load()
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
