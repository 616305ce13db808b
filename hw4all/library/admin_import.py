"""The Secretariat imports many resources at once from a Zotero export (CSV, RIS or CSL-JSON):
upload, a preview with one line per row of the file, then a confirmation that writes every valid
row or none. A second import of the same file updates what the first created (same DOI, else the
same address; see services.resource_from_record).

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

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem, SubmenuMenuItem, admin_menu

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


# Views.


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Export file"), allow_empty_file=True)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            # The importers' own words for a file over the limit, without reading it.
            raise ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes())}
            )
        return upload


def _forbidden(request: HttpRequest) -> HttpResponse:
    reason = _("Only the Secretariat may import resources into the library.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _token_invalid(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "library/admin/import_expired.html", status=400)


def _user_id(request: HttpRequest) -> int | None:
    return request.user.pk


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a file refused whole is answered here, with the reason."""
    if not request.user.has_perm(PERMISSION):
        return _forbidden(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        file_format = form.cleaned_data["format"] or format_detect(data, upload.name)
        plan = import_plan(data, file_format)
        refusals = plan.file_errors
        if not refusals:
            token = upload_store(
                data, file_format=file_format, filename=upload.name, user_id=_user_id(request)
            )
            return redirect(reverse("library_import_preview") + "?" + urlencode({"token": token}))
    return TemplateResponse(
        request,
        "library/admin/import_upload.html",
        {"form": form, "refusals": refusals, "limit": max_bytes()},
    )


@require_http_methods(["GET"])
def import_preview(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        return _forbidden(request)
    token = request.GET.get("token", "")
    try:
        upload = upload_load(token, user_id=_user_id(request))
    except TokenInvalid:
        return _token_invalid(request)
    plan = import_plan(upload.data, upload.format)
    return TemplateResponse(
        request,
        "library/admin/import_preview.html",
        {"plan": plan, "upload": upload, "token": token, "format_label": dict(FORMAT_CHOICES)[plan.format]},
    )


@require_http_methods(["POST"])
def import_confirm(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        return _forbidden(request)
    token = request.POST.get("token", "")
    try:
        upload = upload_load(token, user_id=_user_id(request))
    except TokenInvalid:
        return _token_invalid(request)
    plan = import_plan(upload.data, upload.format)
    try:
        outcome = import_apply(plan, user=request.user)
    except (DatabaseError, ValidationError):
        logger.exception("Library import of %s failed", upload.filename)
        return TemplateResponse(
            request,
            "library/admin/import_failed.html",
            {"upload": upload, "token": token, "plan": plan},
            status=500,
        )
    upload.discard()
    return TemplateResponse(request, "library/admin/import_done.html", {"outcome": outcome, "upload": upload})


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("library/import/", import_upload, name="library_import"),
        path("library/import/preview/", import_preview, name="library_import_preview"),
        path("library/import/confirm/", import_confirm, name="library_import_confirm"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("construct_main_menu")
def library_menu_import(request, menu_items):
    """Put "Import" in the Library menu, which wagtail_hooks.py builds from the snippets."""
    library = next(
        (
            item
            for item in admin_menu.registered_menu_items
            if isinstance(item, SubmenuMenuItem) and item.name == "library"
        ),
        None,
    )
    if library is None:
        return
    registered = library.menu.registered_menu_items
    if not any(isinstance(item, ImportMenuItem) for item in registered):
        registered.append(
            ImportMenuItem(
                gettext_lazy("Import"),
                reverse("library_import"),
                name="library-import",
                icon_name="upload",
                order=900,
            )
        )
    # The group is left out of the menu when the user may see none of its snippets.
    if library not in menu_items and library.is_shown(request):
        menu_items.append(library)
