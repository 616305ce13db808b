"""The Secretariat's Code reporting screens in the Wagtail admin (mounted at /admin/code-reporting/):
every report, read-only, and the calls to report (make one, see whom it reaches, send it)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.admin.widgets import AdminDateInput

from hw4all.coalition.models import Organisation
from hw4all.core.pagination import paginate
from hw4all.users.roles import SECRETARIAT, user_has_role

from .models import ReminderKind, Report, ReportingCall, ReportStatus, Round
from .services import calls as call_services

app_name = "codereports_admin"

PER_PAGE = 50


def may_manage(user) -> bool:
    # user_has_role also admits superusers.
    return user_has_role(user, SECRETARIAT)


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may see every Code report and call members to report.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


# Every report.


@require_http_methods(["GET"])
def report_list(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    rounds = list(Round.objects.order_by("-number"))
    reports = Report.objects.select_related("round", "organisation").order_by(
        "-round__number", "country", "pk"
    )
    chosen_round = next((r for r in rounds if str(r.number) == request.GET.get("round", "")), None)
    if chosen_round is not None:
        reports = reports.filter(round=chosen_round)
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    if status:
        reports = reports.filter(status=status)
    page = paginate(reports, request.GET.get("p"), per_page=PER_PAGE)
    query = "&".join(
        part
        for part in (
            f"round={chosen_round.number}" if chosen_round else "",
            f"status={status}" if status else "",
        )
        if part
    )
    return TemplateResponse(
        request,
        "codereports/admin/report_list.html",
        {
            "rounds": rounds,
            "chosen_round": chosen_round,
            "statuses": ReportStatus.choices,
            "status": status,
            "page": page,
            "reports": page.object_list,
            "query": query,
        },
    )


# Calls to report.


class CallForm(forms.Form):
    round = forms.ModelChoiceField(label=gettext_lazy("Round"), queryset=Round.objects.order_by("-number"))
    deadline = forms.DateField(
        label=gettext_lazy("Reply by"),
        widget=AdminDateInput,
        help_text=gettext_lazy("Reminders go a week before and the day before this date."),
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=call_services.MESSAGE_MAX_LENGTH,
        help_text=gettext_lazy(
            "Plain text, sent to each organisation's members with the reply-by date and the link to "
            "their reports."
        ),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Organisations"),
        queryset=Organisation.objects.filter(is_member=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave all unticked to ask every member organisation."),
    )


@require_http_methods(["GET"])
def call_list(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    calls = (
        ReportingCall.objects.select_related("round")
        .annotate(
            chosen=Count("organisations", distinct=True),
            sent_call=Count("reminders", filter=Q(reminders__kind=ReminderKind.CALL), distinct=True),
            sent_reminders=Count("reminders", filter=~Q(reminders__kind=ReminderKind.CALL), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )
    page = paginate(calls, request.GET.get("p"), per_page=PER_PAGE)
    return TemplateResponse(
        request, "codereports/admin/call_list.html", {"page": page, "calls": page.object_list}
    )


@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    current = Round.objects.filter(is_current=True).first()
    form = CallForm(request.POST or None, initial={"round": current})
    if request.method == "POST" and form.is_valid():
        try:
            call = call_services.call_create(
                round=form.cleaned_data["round"],
                deadline=form.cleaned_data["deadline"],
                message=form.cleaned_data["message"],
                organisations=form.cleaned_data["organisations"],
                user=request.user,
            )
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
        else:
            messages.success(request, _("The call is ready. Check whom it reaches, then send it."))
            return redirect("codereports_admin:call", pk=call.pk)
    return TemplateResponse(
        request,
        "codereports/admin/call_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    call = get_object_or_404(ReportingCall.objects.select_related("round", "created_by"), pk=pk)
    recipients = list(call_services.call_recipients(call))
    sent = dict(call.reminders.values_list("kind").annotate(total=Count("pk")).order_by())
    return TemplateResponse(
        request,
        "codereports/admin/call_detail.html",
        {
            "call": call,
            "organisations": list(call.organisations.order_by("name")),
            "recipients": recipients,
            "not_yet_sent": [user for user in recipients if user.pk not in _sent_to(call)],
            "sent": [(label, sent.get(kind, 0)) for kind, label in ReminderKind.choices],
            "accepts_reports": call.round.accepts_reports,
        },
    )


def _sent_to(call: ReportingCall) -> set[int]:
    return set(call.reminders.filter(kind=ReminderKind.CALL).values_list("user_id", flat=True))


@require_POST
def call_send(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage(request.user):
        return _forbidden(request)
    call = get_object_or_404(ReportingCall.objects.select_related("round"), pk=pk)
    if not call.round.accepts_reports:
        messages.error(request, _("This round does not accept reports: nothing was sent."))
        return redirect("codereports_admin:call", pk=call.pk)
    sent = call_services.call_send(call)
    if sent:
        messages.success(request, _("The call was sent to %(count)s people.") % {"count": sent})
    else:
        messages.warning(request, _("Everyone it reaches has already been sent this call: nothing was sent."))
    return redirect("codereports_admin:call", pk=call.pk)


urlpatterns = [
    path("reports/", report_list, name="reports"),
    path("calls/", call_list, name="calls"),
    path("calls/new/", call_new, name="call_new"),
    path("calls/<int:pk>/", call_detail, name="call"),
    path("calls/<int:pk>/send/", call_send, name="call_send"),
]
