"""Admin views where the Secretariat accepts or declines a membership application."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from . import services
from .forms import DecisionForm
from .models import ApplicationStatus, MembershipApplication

LIST_URL = "wagtailsnippets_coalition_membershipapplication:list"


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may accept or decline membership applications.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _decide(request: HttpRequest, pk: int, *, accept: bool) -> HttpResponse:
    if not request.user.has_perm("coalition.decide_membershipapplication"):
        return _forbidden(request)
    application = get_object_or_404(MembershipApplication, pk=pk)
    form = DecisionForm(request.POST or None, note_required=not accept)
    if application.status != ApplicationStatus.PENDING:
        messages.error(request, _("This application has already been decided."))
        return redirect(LIST_URL)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if accept:
                organisation = services.membership_application_accept(
                    application=application, decided_by=request.user, note=note
                )
                messages.success(request, _("%(name)s is now a member.") % {"name": organisation.name})
            else:
                services.membership_application_decline(
                    application=application, decided_by=request.user, note=note
                )
                messages.success(
                    request,
                    _("The application of %(name)s was declined.") % {"name": application.organisation_name},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(LIST_URL)
    return TemplateResponse(
        request,
        "coalition/admin/decision.html",
        {
            "application": application,
            "form": form,
            "accept": accept,
        },
    )


@require_http_methods(["GET", "POST"])
def application_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=True)


@require_http_methods(["GET", "POST"])
def application_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=False)
