"""`manage.py personal_data export <email> [--output file]` writes everything held about an
address as JSON (to standard output by default); `manage.py personal_data erase <email> --yes`
erases it and prints what went, per app. Both are recorded in the audit log, the address hashed."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hw4all.core.personaldata import (
    personal_data_address,
    personal_data_audit,
    personal_data_erase,
    personal_data_export,
)


class Command(BaseCommand):
    help = "Export or erase everything the platform holds about one email address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument(
            "--output", help="Export: write the JSON to this file instead of standard output."
        )
        parser.add_argument(
            "--yes", action="store_true", help="Erase: confirm; nothing is erased without it."
        )

    def handle(self, *args, action: str, email: str, output: str | None, yes: bool, **options) -> None:
        try:
            address = personal_data_address(email)
        except ValidationError as error:
            raise CommandError(f"Not an email address: {email!r}") from error
        if action == "export":
            self._export(address, output)
        else:
            self._erase(address, yes)

    def _export(self, address: str, output: str | None) -> None:
        document = personal_data_export(address)
        personal_data_audit(
            "export",
            address=address,
            user=None,
            detail={key: len(section["records"]) for key, section in document["sections"].items()},
        )
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            total = sum(len(section["records"]) for section in document["sections"].values())
            self.stderr.write(f"{total} records written to {output}")
        else:
            self.stdout.write(text)

    def _erase(self, address: str, yes: bool) -> None:
        if not yes:
            raise CommandError("Erasing cannot be undone: add --yes to confirm.")
        erased = [(key, count) for key, _label, count in personal_data_erase(address) if count]
        personal_data_audit("erase", address=address, user=None, detail=dict(erased))
        if not erased:
            self.stdout.write("Nothing was held about this address: nothing was erased.")
            return
        for key, count in erased:
            self.stdout.write(f"{key}: {count}")
