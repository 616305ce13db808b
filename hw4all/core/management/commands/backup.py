"""Write one archive with the database and every media file (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hw4all.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database and every media file to one .tar.gz, readable by its owner only "
        "(default: var/backups/hw4all-<UTC time>.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default=None, help="the archive to write (must not exist)")

    def handle(self, *args, output: str | None, **options):
        try:
            result = backup_create(output=Path(output) if output else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = result.manifest["files"]
        media = [entry for entry in files if entry["name"].startswith("media/")]
        size = result.path.stat().st_size
        for note in result.notes:
            self.stderr.write(note)
        self.stdout.write(
            f"{result.path}: the {result.manifest['database']['vendor']} database and {len(media)} media "
            f"files, {size / 1_000_000:.1f} MB. It holds personal data: keep copies encrypted."
        )
