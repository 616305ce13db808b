"""The "Personal data" screen of the Wagtail admin, for the Secretariat only: what the platform
holds about one email address (counted per app), the export of all of it as one JSON file, and
its erasure after a confirmation page.

Every form posts: an address never travels in a URL, where server logs and browser histories
would keep it."""

from __future__ import annotations

import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from hw4all.core.personaldata import (
    Section,
    personal_data_address,
    personal_data_audit,
    personal_data_collect,
    personal_data_erase,
    personal_data_export,
)

from .roles import is_secretariat

NAMESPACE = "personal_data"


class AddressForm(forms.Form):
    email = forms.CharField(label=_("Email address"), max_length=320)

    def clean_email(self) -> str:
        return personal_data_address(self.cleaned_data["email"])


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _gettext("Only the Secretariat may look up, export or erase personal data.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    return response


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return _private(TemplateResponse(request, f"users/admin/{template}", context, status=status))


def _found(sections: list[Section]) -> list[Section]:
    return [section for section in sections if section.records]


@require_http_methods(["GET", "POST"])
def personal_data_index(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: what is held about the address, per app."""
    if not is_secretariat(request.user):
        return _forbidden(request)
    form = AddressForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return _render(request, "personal_data.html", {"form": form}, status=400 if form.is_bound else 200)
    address = form.cleaned_data["email"]
    return _render(
        request,
        "personal_data.html",
        {"form": form, "address": address, "sections": _found(personal_data_collect(address))},
    )


@require_POST
def personal_data_download(request: HttpRequest) -> HttpResponse:
    if not is_secretariat(request.user):
        return _forbidden(request)
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _render(request, "personal_data.html", {"form": form}, status=400)
    address = form.cleaned_data["email"]
    document = personal_data_export(address)
    personal_data_audit(
        "export",
        address=address,
        user=request.user,
        detail={key: len(section["records"]) for key, section in document["sections"].items()},
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{timezone.now():%Y%m%d-%H%M%S}.json"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@require_POST
def personal_data_erase_view(request: HttpRequest) -> HttpResponse:
    """Without `confirmed`: the confirmation page listing what will go. With it: the erasure,
    then what was removed."""
    if not is_secretariat(request.user):
        return _forbidden(request)
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _render(request, "personal_data.html", {"form": form}, status=400)
    address = form.cleaned_data["email"]
    sections = _found(personal_data_collect(address))
    if request.POST.get("confirmed") != "yes":
        return _render(
            request, "personal_data_confirm.html", {"form": form, "address": address, "sections": sections}
        )
    erased = [(key, label, count) for key, label, count in personal_data_erase(address) if count]
    personal_data_audit(
        "erase", address=address, user=request.user, detail={key: count for key, _label, count in erased}
    )
    return _render(
        request,
        "personal_data_erased.html",
        {"address": address, "erased": erased, "index_url": reverse(f"{NAMESPACE}:index")},
    )


urlpatterns = [
    path("", personal_data_index, name="index"),
    path("export/", personal_data_download, name="export"),
    path("erase/", personal_data_erase_view, name="erase"),
]
