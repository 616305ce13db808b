"""Bring back a site from an archive written by `manage.py backup` (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hw4all.core.backup import BackupError, backup_check, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and media files from a backup archive. The whole archive is checked "
        "before anything is changed; a database that holds data is replaced only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="replace the current database and media, which hold data"
        )
        parser.add_argument(
            "--check", action="store_true", help="only check that the archive is whole; change nothing"
        )

    def handle(self, *args, archive: str, yes: bool, check: bool, **options):
        path = Path(archive)
        try:
            if check:
                manifest = backup_check(archive=path)
                self.stdout.write(
                    f"{path} is whole: {len(manifest['files'])} files, a {manifest['database']['vendor']} "
                    f"database, made {manifest['created_at']} by hw4all {manifest.get('hw4all_version')}."
                )
                return
            result = backup_restore(archive=path, replace=yes, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not result.restored:
            raise CommandError(
                f"The database already holds data ({' '.join(result.notes)}), which restoring replaces "
                "with the media files. Stop the site and its task worker, then run again with --yes."
            )
        for note in result.notes:
            self.stderr.write(note)
        self.stdout.write(
            f"Restored from {path} (made {result.manifest['created_at']}); the cache is cleared."
        )
