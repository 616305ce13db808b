from django.core.management.base import BaseCommand

from hw4all.library.search import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the library's search index from the published resources."

    def handle(self, *args, **options):
        count = index_rebuild()
        self.stdout.write(f"Indexed {count} published resources.")
