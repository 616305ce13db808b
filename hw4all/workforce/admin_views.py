"""The Secretariat's workforce data screens in the Wagtail admin (mounted at /admin/workforce/):
the import runs, one run's errors and changes, and importing a file in two steps (a preview
that stores nothing, then the import). The file waits between the steps in the uploads folder,
under a random name known only to the uploader's session."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from hw4all.core.pagination import paginate
from hw4all.core.uploads import upload_limit_install
from hw4all.users.roles import SECRETARIAT, user_has_role

from . import formats
from .forms import ImportConfirmForm, ImportForm
from .models import ImportRun
from .services.imports import import_file

app_name = "workforce_admin"

PER_PAGE = 50
PREVIEW_ROWS = 20
PREVIEW_ERRORS = 100
SESSION_KEY = "workforce_pending_import"
UPLOAD_FOLDER = "workforce-imports"
# Room for the form's other fields around the largest file.
REQUEST_MAX_BYTES = formats.MAX_BYTES + 1024 * 1024


def may_manage(user) -> bool:
    # user_has_role also admits superusers.
    return user_has_role(user, SECRETARIAT)


def _forbidden(request: HttpRequest) -> HttpResponse:
    reason = _("Only the Secretariat may import health-workforce data.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


@require_http_methods(["GET"])
def run_list(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    runs = ImportRun.objects.select_related("source", "imported_by")
    page = paginate(runs, request.GET.get("p"), per_page=PER_PAGE)
    return TemplateResponse(
        request, "workforce/admin/run_list.html", {"page": page, "runs": page.object_list}
    )


@require_http_methods(["GET"])
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    run = get_object_or_404(ImportRun.objects.select_related("source", "imported_by"), pk=pk)
    return TemplateResponse(request, "workforce/admin/run_detail.html", {"run": run})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The size limit must be in place before the CSRF check reads the body, so the check runs
    inside; who may upload is known before any of the body is read."""
    if not may_manage(request.user):
        return _forbidden(request)
    refused: list[str] = []
    if request.method == "POST":
        refused = upload_limit_install(
            request, limit=formats.MAX_BYTES, request_limit=REQUEST_MAX_BYTES
        ).refused
    return _upload(request, refused=refused)


@csrf_protect
def _upload(request: HttpRequest, *, refused: list[str]) -> HttpResponse:
    if request.method != "POST":
        return TemplateResponse(request, "workforce/admin/upload.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if refused:
        form.add_error(
            "file",
            _("The file is larger than %(size)s MB: split it, or import it from the command line.")
            % {"size": formats.MAX_BYTES // (1024 * 1024)},
        )
    if not form.is_valid():
        return TemplateResponse(request, "workforce/admin/upload.html", {"form": form}, status=400)
    data = form.cleaned_data["file"].read()
    options = {
        key: form.cleaned_data[key]
        for key in ("format", "dataset", "publisher", "url", "licence", "indicator", "value_column")
    }
    parsed = formats.parse(
        data, options["format"], indicator=options["indicator"], value_column=options["value_column"]
    )
    _pending_discard(request)
    token = secrets.token_urlsafe(24)
    stored = default_storage.save(f"{UPLOAD_FOLDER}/{token}.csv", ContentFile(data))
    file_date = form.cleaned_data["file_date"]
    request.session[SESSION_KEY] = {
        "token": token,
        "path": stored,
        "file_name": form.cleaned_data["file"].name,
        "file_date": file_date.isoformat() if file_date else "",
        **options,
    }
    return TemplateResponse(
        request,
        "workforce/admin/preview.html",
        {
            "pending": request.session[SESSION_KEY],
            "parsed": parsed,
            "rows": parsed.records[:PREVIEW_ROWS],
            "errors": parsed.errors[:PREVIEW_ERRORS],
            "confirm": ImportConfirmForm(initial={"token": token}),
        },
    )


def _pending_discard(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["path"])
    return pending


@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    form = ImportConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    if not form.is_valid() or not pending or pending["token"] != form.cleaned_data["token"]:
        return TemplateResponse(
            request,
            "workforce/admin/upload.html",
            {"form": ImportForm(), "expired": True},
            status=400,
        )
    with default_storage.open(pending["path"], "rb") as stream:
        data = stream.read()
    _pending_discard(request)
    run = import_file(
        data,
        format=pending["format"],
        file_name=pending["file_name"],
        dataset=pending["dataset"],
        publisher=pending["publisher"],
        url=pending["url"],
        licence=pending["licence"],
        indicator=pending["indicator"],
        value_column=pending["value_column"],
        file_date=datetime.date.fromisoformat(pending["file_date"]) if pending["file_date"] else None,
        user=request.user,
    )
    return redirect("workforce_admin:run", pk=run.pk)


urlpatterns = [
    path("", run_list, name="runs"),
    path("runs/<int:pk>/", run_detail, name="run"),
    path("import/", upload, name="upload"),
    path("import/confirm/", confirm, name="confirm"),
]
