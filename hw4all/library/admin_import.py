"""The import screens in the Wagtail admin (Library › Import): upload, preview, confirmation.
The work is done by bulkimport."""

from __future__ import annotations

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError
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

from hw4all.core.audit import audit_record

from .bulkimport import (
    FORMAT_CHOICES,
    PERMISSION,
    TokenInvalid,
    format_detect,
    import_apply,
    import_plan,
    max_bytes,
    upload_load,
    upload_store,
)

logger = logging.getLogger(__name__)


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
    audit_record("library.import", summary=upload.filename, detail={"format": plan.format})
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
