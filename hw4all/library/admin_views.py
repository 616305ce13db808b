"""Admin views where the Secretariat approves or declines a member's resource; the submitter is
told by email, in their language."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from . import services
from .forms import DecisionForm
from .models import Resource, Status

DECIDE = "library.decide_resource"
LIST_URL = "wagtailsnippets_library_resource:list"


def _waiting_url() -> str:
    return f"{reverse(LIST_URL)}?status={Status.SUBMITTED}"


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may approve or decline resources.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _decide(request: HttpRequest, pk: int, *, accept: bool) -> HttpResponse:
    if not request.user.has_perm(DECIDE):
        return _forbidden(request)
    resource = get_object_or_404(Resource.objects.select_related("submitted_by"), pk=pk)
    already_decided = _("This resource has already been decided.")
    if resource.status != Status.SUBMITTED:
        messages.error(request, already_decided)
        return redirect(_waiting_url())
    form = DecisionForm(request.POST or None, note_required=not accept)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_decide(
                resource=resource, user=request.user, accept=accept, note=form.cleaned_data["note"]
            )
        except services.AlreadyDecided:
            messages.error(request, already_decided)
            return redirect(_waiting_url())
        if accept:
            messages.success(request, _("“%(title)s” is published.") % {"title": resource.title})
        else:
            messages.success(request, _("“%(title)s” was declined.") % {"title": resource.title})
        return redirect(_waiting_url())
    return TemplateResponse(
        request,
        "library/admin/decision.html",
        {"resource": resource, "form": form, "accept": accept, "list_url": _waiting_url()},
    )


@require_http_methods(["GET", "POST"])
def resource_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=True)


@require_http_methods(["GET", "POST"])
def resource_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=False)
