"""Admin views where the Secretariat creates a criteria set's next version and publishes a draft."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from . import queries, services

MANAGE = "practices.manage_criteria"
VERSIONS = "wagtailsnippets_practices_criteriasetversion"


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may change eligibility criteria.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _confirm(request: HttpRequest, *, heading: str, message: str, button: str, version) -> HttpResponse:
    return TemplateResponse(
        request,
        "admin/confirm_action.html",
        {
            "title": heading,
            "subject": version,
            "message": message,
            "button": button,
            "next": reverse(f"{VERSIONS}:list"),
        },
    )


@require_http_methods(["GET", "POST"])
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The next version of the set that version `pk` belongs to, as a draft copy of its latest."""
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    version = get_object_or_404(queries.criteria_versions_for_admin(), pk=pk)
    if request.method != "POST":
        return _confirm(
            request,
            heading=_("New version"),
            message=_(
                "Create the next version of “%(set)s” as a draft copy of its latest version. "
                "Published versions stay as they are."
            )
            % {"set": version.criteria_set.name},
            button=_("Create the draft"),
            version=version,
        )
    try:
        new = services.criteria_version_new(criteria_set=version.criteria_set)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{VERSIONS}:list")
    messages.success(
        request, _("Version %(number)s is a draft: edit it, then publish it.") % {"number": new.number}
    )
    return redirect(f"{VERSIONS}:edit", new.pk)


@require_http_methods(["GET", "POST"])
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    version = get_object_or_404(queries.criteria_versions_for_admin(), pk=pk)
    if request.method != "POST":
        return _confirm(
            request,
            heading=_("Publish the version"),
            message=_(
                "Once published, “%(version)s” is frozen: cases judged by it keep it, and changes "
                "need a new version."
            )
            % {"version": version},
            button=_("Publish"),
            version=version,
        )
    try:
        services.criteria_version_publish(version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{VERSIONS}:list")
    messages.success(request, _("“%(version)s” is published.") % {"version": version})
    return redirect(f"{VERSIONS}:list")
