"""The Secretariat cancels a registration from the admin (someone wrote to say they cannot
come): the place goes to the first person waiting, who is emailed, as when registrants cancel
themselves. Deleting the row would free the place without giving it to anyone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from . import services
from .models import EventRegistration, RegistrationStatus

CANCEL = "events.delete_eventregistration"
LIST_URL = "registrations:index"


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(LIST_URL)


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; the POST (with its CSRF token) cancels."""
    if not request.user.has_perm(CANCEL):
        reason = _("Only the Secretariat may cancel registrations.")
        return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)
    registration = get_object_or_404(EventRegistration.objects.select_related("event"), pk=pk)
    if request.method == "POST":
        was_cancelled = registration.status == RegistrationStatus.CANCELLED
        promoted = services.registration_cancel(registration=registration)
        if not was_cancelled:
            message = _("The registration of %(name)s is cancelled.") % {"name": registration.name}
            if promoted is not None:
                message += " " + _("%(name)s, first on the waiting list, has the place and was emailed.") % {
                    "name": promoted.name
                }
            messages.success(request, message)
        return redirect(_back(request))
    label = _("Cancel the registration")
    return TemplateResponse(
        request,
        "admin/confirm_action.html",
        {
            "title": label,
            "subject": registration.name,
            "details": [
                (_("Event"), registration.event.title),
                (_("Name"), registration.name),
                (_("Email"), registration.email),
                (_("Organisation"), registration.organisation),
                (_("Status"), registration.get_status_display()),
            ],
            "button": label,
            "next": _back(request),
        },
    )
