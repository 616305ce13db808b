"""`manage.py library_import FILE`: the Secretariat's bulk import from the command line, with the
same per-row report as the admin's preview."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hw4all.library.bulkimport import READERS, format_detect, import_apply, import_plan, max_bytes


class Command(BaseCommand):
    help = (
        "Import library resources from a Zotero export (CSV, RIS or CSL-JSON): one line per row "
        "of the file says whether it is new, updates a resource, or is left out with its errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=sorted(READERS), help="the file's format (default: from its content)"
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; save nothing")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            if path.stat().st_size > max_bytes():
                data = path.open("rb").read(max_bytes() + 1)
            else:
                data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        file_format = options["format"] or format_detect(data, path.name)
        plan = import_plan(data, file_format)
        if plan.file_errors:
            raise CommandError(" ".join(plan.file_errors))
        for row in plan.rows:
            self.stdout.write(self._line(row))
        self.stdout.write(
            f"{len(plan.rows)} rows ({file_format}): {plan.new} new, {plan.updates} updates, "
            f"{plan.errors} with errors."
        )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing saved.")
            return
        outcome = import_apply(plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {outcome.created}, updated {outcome.updated}, "
                f"skipped {outcome.skipped} with errors."
            )
        )

    def _line(self, row) -> str:
        if row.action == "new":
            what = "new"
        elif row.action == "update":
            what = f"updates #{row.existing.pk}"
        else:
            what = "error"
        line = f"Row {row.number}: {what} — {row.title or '(no title)'}"
        notes = [f"error: {message}" for message in row.errors]
        notes += [f"warning: {message}" for message in row.warnings]
        return "\n    ".join([line, *notes])
