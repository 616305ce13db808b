"""The Secretariat's bulk import from a Zotero export (CSV, RIS or CSL-JSON): a plan with one line
per row of the file, then writing every valid row or none. A second import of the same file
updates what the first created (same DOI, else the same address; see
services.resource_from_record).

Between the preview and the confirmation the file waits in the private part of the var
directory, never under MEDIA_ROOT, under a random name that only a signed, one-day token names:
the browser never sends the rows back, so what is confirmed is what was previewed."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import importers, services
from .models import Resource, ResourceAuthor, Status, Topic
from .records import ResourceRecord, text_clean

logger = logging.getLogger(__name__)

PERMISSION = "library.decide_resource"
TOKEN_SALT = "hw4all.library.import"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 24 * 60 * 60
STORED_NAME = re.compile(r"[0-9a-f]{32}")
READERS: dict[str, Callable[[importers.Importer, str], None]] = {
    "csv": importers.csv_read,
    "ris": importers.ris_read,
    "csl-json": importers.csl_json_read,
}
FORMAT_CHOICES = [
    ("", gettext_lazy("Recognise it from the content")),
    ("csv", gettext_lazy("CSV (Zotero export)")),
    ("ris", gettext_lazy("RIS")),
    ("csl-json", gettext_lazy("CSL-JSON (Zotero export)")),
]


def max_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


def format_detect(data: bytes, filename: str = "") -> str:
    """CSL-JSON starts with a bracket or a brace, RIS has a "TY  - " line near the top; anything
    else is read as CSV. The file's name decides only when its content says nothing."""
    head = data[:65536].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    if head.startswith(("[", "{")):
        return "csl-json"
    if re.search(r"^TY {1,2}-", head, re.MULTILINE):
        return "ris"
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"ris": "ris", "json": "csl-json"}.get(suffix, "csv")


# The plan: what an import of a file would do, row by row.


@dataclass
class Row:
    number: int
    title: str = ""
    record: ResourceRecord | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing: Resource | None = None

    @property
    def action(self) -> str:
        if self.errors or self.record is None:
            return "error"
        return "update" if self.existing else "new"


@dataclass
class Plan:
    format: str
    rows: list[Row]
    file_errors: list[str]

    @property
    def valid(self) -> list[ResourceRecord]:
        """The records of the rows to import, in the file's order."""
        return [row.record for row in self.rows if not row.errors and row.record is not None]

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updates(self) -> int:
        return self.count("update")

    @property
    def errors(self) -> int:
        return self.count("error")


class _RowImporter(importers.Importer):
    """Remembers the row and the title of each record, which the importers' result leaves out."""

    def __init__(self):
        super().__init__()
        self.rows: dict[int, Row] = {}

    def add(self, row: int, fields: dict, date: str = ""):
        title = text_clean(str(fields.get("title", "")))
        before = len(self.result.records)
        super().add(row, fields, date)
        found = self.rows.setdefault(row, Row(row))
        found.title = found.title or title
        if len(self.result.records) > before:
            found.record = self.result.records[-1]


def _field_limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _length_problems(record: ResourceRecord) -> list[str]:
    """Values the database would refuse (PostgreSQL enforces the columns' lengths)."""
    problems = []
    for name, label in (
        ("title", _("title")),
        ("publisher", _("publisher")),
        ("doi", _("DOI")),
        ("url", _("web address")),
    ):
        limit = _field_limit(Resource, name)
        if len(getattr(record, name)) > limit:
            problems.append(
                _("The %(field)s is longer than %(limit)s characters.") % {"field": label, "limit": limit}
            )
    if any(len(str(author)) > _field_limit(ResourceAuthor, "name") for author in record.authors):
        problems.append(
            _("An author's name is longer than %(limit)s characters.")
            % {"limit": _field_limit(ResourceAuthor, "name")}
        )
    if any(len(topic) > _field_limit(Topic, "name") for topic in record.topics):
        problems.append(
            _("A tag is longer than %(limit)s characters.") % {"limit": _field_limit(Topic, "name")}
        )
    return problems


def import_plan(data: bytes, file_format: str) -> Plan:
    """Read the file and say, for each row, whether it is new, updates a resource, or is refused."""
    importer = _RowImporter()
    try:
        READERS[file_format](importer, importers.text_read(data, max_bytes()))
    except importers.Refused as refusal:
        importer.fail(0, str(refusal))
    rows = importer.rows
    file_errors = []
    for error in importer.result.errors:
        if error.row == 0:
            file_errors.append(error.message)
        else:
            rows.setdefault(error.row, Row(error.row)).errors.append(error.message)
    for warning in importer.result.warnings:
        rows.setdefault(warning.row, Row(warning.row)).warnings.append(warning.message)
    ordered = sorted(rows.values(), key=lambda row: row.number)
    _plan_actions(ordered)
    return Plan(format=file_format, rows=ordered, file_errors=file_errors)


def record_match(record: ResourceRecord) -> tuple:
    """What makes two records the same resource, as services.resource_from_record matches them:
    the DOI, else the address, else (for a record with neither) the title and the year."""
    key = record.import_key()
    return ("key", key) if key else ("title", record.title, record.year)


def _existing(records: list[ResourceRecord]) -> dict[tuple, Resource]:
    """The resources the records would update, found in two queries."""
    keys = [match[1] for match in map(record_match, records) if match[0] == "key"]
    titles = [record.title for record in records if record_match(record)[0] == "title"]
    found: dict[tuple, Resource] = {}
    for resource in Resource.objects.filter(import_key__in=keys).order_by("pk"):
        found.setdefault(("key", resource.import_key), resource)
    for resource in Resource.objects.filter(import_key=None, title__in=titles).order_by("pk"):
        found.setdefault(("title", resource.title, resource.year), resource)
    return found


def _plan_actions(rows: list[Row]) -> None:
    first_row: dict[tuple, int] = {}
    for row in rows:
        if row.errors:
            row.record = None
            continue
        if row.record is None:
            continue
        row.errors += _length_problems(row.record)
        match = record_match(row.record)
        if match in first_row:
            row.errors.append(
                _("Row %(row)s has the same DOI, address or title: only that row is imported.")
                % {"row": first_row[match]}
            )
        else:
            first_row[match] = row.number
    valid = [(row, row.record) for row in rows if not row.errors and row.record is not None]
    existing = _existing([record for _row, record in valid])
    for row, record in valid:
        row.existing = existing.get(record_match(record))


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    skipped: int = 0


def import_apply(plan: Plan, *, user=None) -> Outcome:
    """Write every valid row of the plan as a published resource, all of them or none."""
    outcome = Outcome(skipped=plan.errors)
    with transaction.atomic():
        for record in plan.valid:
            resource, created = services.resource_from_record(
                record, status=Status.PUBLISHED, submitted_by=user
            )
            services.resource_changed(resource)
            if created:
                outcome.created += 1
            else:
                outcome.updated += 1
    return outcome


# The uploaded file between preview and confirmation.


def _stored_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "private" / "library-imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _stored_clean(folder: Path) -> None:
    """Files of imports never confirmed go after a day, when the token naming them has expired."""
    too_old = time.time() - TOKEN_MAX_AGE
    for old in folder.iterdir():
        try:
            if STORED_NAME.fullmatch(old.name) and old.stat().st_mtime < too_old:
                old.unlink()
        except OSError:
            continue


def upload_store(data: bytes, *, file_format: str, filename: str, user_id: int | None) -> str:
    """Keep the file and return the signed token that names it."""
    folder = _stored_dir()
    _stored_clean(folder)
    name = secrets.token_hex(16)
    with open(folder / name, "xb") as stored:
        stored.write(data)
    (folder / name).chmod(0o600)
    return signing.dumps(
        {
            "file": name,
            "format": file_format,
            "sha256": hashlib.sha256(data).hexdigest(),
            "name": filename,
            "user": user_id,
        },
        salt=TOKEN_SALT,
        compress=True,
    )


class TokenInvalid(Exception):
    pass


@dataclass
class Upload:
    name: str
    format: str
    filename: str
    data: bytes

    def discard(self) -> None:
        (_stored_dir() / self.name).unlink(missing_ok=True)


def upload_load(token: str, *, user_id: int | None) -> Upload:
    """The file a token names, exactly as it was uploaded, or TokenInvalid."""
    try:
        claims = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        name, file_format, digest = claims["file"], claims["format"], claims["sha256"]
        filename, owner = str(claims.get("name", "")), claims.get("user")
    except (signing.BadSignature, KeyError, TypeError):
        raise TokenInvalid from None
    if owner != user_id or file_format not in READERS or not STORED_NAME.fullmatch(str(name)):
        raise TokenInvalid
    try:
        data = (_stored_dir() / name).read_bytes()
    except OSError:
        raise TokenInvalid from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise TokenInvalid
    return Upload(name=name, format=file_format, filename=filename, data=data)
