"""The Secretariat's questionnaire screens in the Wagtail admin (mounted at /admin/questionnaires/):
the questionnaires, one questionnaire's settings and versions, its invitations, its results, its
responses one by one, and its exports. Importing a questionnaire or a new version from an
XLSForm lives in admin_xlsform.

Every screen is the Secretariat's alone; anyone else with the admin gets a plain 403."""

import csv
import io
from urllib.parse import quote, urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin import messages

from hw4all.core.audit import audit_record
from hw4all.core.pagination import paginate

from . import exports
from .analysis import filter_fields, filter_responses
from .models import (
    Access,
    Invitation,
    Questionnaire,
    Response,
    ResponseFile,
    ResponseStatus,
)
from .rendering import answers_context, file_download
from .services.invitations import invitations_create
from .services.questionnaires import questionnaire_update
from .views.results import language_code, requested_filters, results_context

MANAGE = "questionnaires.manage"
PER_PAGE = 50
INVITATIONS_PER_PAGE = 100
# Invitations made at once; the service has its own ceiling too.
INVITATIONS_AT_ONCE = 500
STATUS_CHOICES = {
    "submitted": (gettext_lazy("Submitted"), (ResponseStatus.SUBMITTED,)),
    "draft": (gettext_lazy("Drafts"), (ResponseStatus.DRAFT,)),
    "all": (gettext_lazy("All"), (ResponseStatus.SUBMITTED, ResponseStatus.DRAFT)),
}


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may manage questionnaires, their invitations, responses and exports.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _questionnaire(pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.select_related("current_version"), pk=pk)


def _status(request: HttpRequest, default: str) -> str:
    status = request.GET.get("status", default)
    return status if status in STATUS_CHOICES else default


def _responses(questionnaire: Questionnaire, status: str):
    return Response.objects.filter(questionnaire=questionnaire, status__in=STATUS_CHOICES[status][1])


# The list.


@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaires = Questionnaire.objects.select_related("current_version").annotate(
        submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)),
        drafts=Count("responses", filter=Q(responses__status=ResponseStatus.DRAFT)),
    )
    return TemplateResponse(request, "questionnaires/admin/list.html", {"questionnaires": questionnaires})


# One questionnaire.


class SettingsForm(forms.ModelForm):
    """Shapes the settings; questionnaire_update writes them."""

    class Meta:
        model = Questionnaire
        fields = ["name", "access", "status", "opens_at", "closes_at", "results_public"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("It must close after it opens."))
        return data

    def _post_clean(self):
        # The model instance is changed by the service, not by the form.
        pass


@require_http_methods(["GET", "POST"])
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaire = _questionnaire(pk)
    form = SettingsForm(request.POST or None, instance=questionnaire)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            questionnaire_update(questionnaire=questionnaire, **form.cleaned_data)
            messages.success(request, _("The settings are saved."))
            return redirect("questionnaires_admin:detail", pk=questionnaire.pk)
        status = 400
    versions = questionnaire.versions.annotate(
        submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)),
        drafts=Count("responses", filter=Q(responses__status=ResponseStatus.DRAFT)),
    ).order_by("-number")
    counts = dict(questionnaire.responses.values_list("status").annotate(total=Count("pk")).order_by())
    public_link = request.build_absolute_uri(
        reverse("questionnaires:start", kwargs={"slug": questionnaire.slug})
    )
    results_link = request.build_absolute_uri(
        reverse("questionnaires:results", kwargs={"slug": questionnaire.slug})
    )
    return TemplateResponse(
        request,
        "questionnaires/admin/detail.html",
        {
            "questionnaire": questionnaire,
            "form": form,
            "versions": versions,
            "submitted": counts.get(ResponseStatus.SUBMITTED, 0),
            "drafts": counts.get(ResponseStatus.DRAFT, 0),
            "public_link": public_link,
            "results_link": results_link,
            "shareable": questionnaire.access == Access.PUBLIC,
            "invitation_only": questionnaire.access == Access.INVITATION,
        },
        status=status,
    )


# Invitations.


class InvitationsForm(forms.Form):
    labels = forms.CharField(
        label=gettext_lazy("Invitations with a label"),
        help_text=gettext_lazy("One line per invitation: whom it is for (a name, an organisation)."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    unlabelled = forms.IntegerField(
        label=gettext_lazy("Invitations without a label"),
        help_text=gettext_lazy("How many more links to make, told apart by nothing but their number."),
        min_value=0,
        max_value=INVITATIONS_AT_ONCE,
        required=False,
    )

    def clean(self):
        data = super().clean()
        labels = [line.strip() for line in (data.get("labels") or "").splitlines() if line.strip()]
        total = len(labels) + (data.get("unlabelled") or 0)
        if not self.errors and total == 0:
            raise ValidationError(_("Give at least one label, or a number of invitations."))
        if total > INVITATIONS_AT_ONCE:
            raise ValidationError(
                _("At most %(max)s invitations at a time; you asked for %(total)s.")
                % {"max": INVITATIONS_AT_ONCE, "total": total}
            )
        data["all_labels"] = labels + [""] * (data.get("unlabelled") or 0)
        return data


def _links_csv(made: list[tuple[str, str]]) -> str:
    """The new links as a CSV a browser downloads from the page itself (a data: address), so the
    tokens are never stored, not even for a download."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["label", "link"])
    for label, link in made:
        writer.writerow([exports.safe_cell(label), link])
    return "data:text/csv;charset=utf-8," + quote("\ufeff" + output.getvalue())


def _invitation_link(request: HttpRequest, questionnaire: Questionnaire, token: str) -> str:
    path = reverse("questionnaires:invitation", kwargs={"slug": questionnaire.slug, "token": token})
    return request.build_absolute_uri(path)


@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaire = _questionnaire(pk)
    form = InvitationsForm(request.POST or None)
    made: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid() and questionnaire.access != Access.INVITATION:
            form.add_error(
                None,
                _(
                    "Invitations work only for a questionnaire answered by invitation: change who answers first."
                ),
            )
        if form.is_valid():
            try:
                created = invitations_create(
                    questionnaire=questionnaire, labels=form.cleaned_data["all_labels"], user=request.user
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                made = [
                    (invitation.label, _invitation_link(request, questionnaire, token))
                    for invitation, token in created
                ]
                form = InvitationsForm()
        if form.errors:
            status = 400
    existing = Invitation.objects.filter(questionnaire=questionnaire).order_by("-created_at", "-pk")
    page = paginate(existing, request.GET.get("p"), per_page=INVITATIONS_PER_PAGE)
    response = TemplateResponse(
        request,
        "questionnaires/admin/invitations.html",
        {
            "questionnaire": questionnaire,
            "form": form,
            "made": made,
            "made_csv": _links_csv(made) if made else "",
            "page": page,
            "invitations": page.object_list,
            "used": existing.filter(used_at__isnull=False).count(),
            "invitation_only": questionnaire.access == Access.INVITATION,
        },
        status=status,
    )
    # The links are shown once: no cache may keep the page that holds them.
    response["Cache-Control"] = "no-store"
    return response


# Results and exports.


def _definition_or_404(questionnaire: Questionnaire):
    if questionnaire.current_version is None:
        raise Http404
    return questionnaire.current_version.definition


@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaire = _questionnaire(pk)
    definition = _definition_or_404(questionnaire)
    status = _status(request, "submitted")
    context = results_context(
        request=request,
        questionnaire=questionnaire,
        definition=definition,
        responses=_responses(questionnaire, status),
        public=False,
        version_id=questionnaire.current_version_id,
    )
    query = {"status": status, **context["filter_query"]}
    context.update(
        {
            "status": status,
            "statuses": [
                (key, label) for key, (label, _statuses) in STATUS_CHOICES.items() if key != "draft"
            ],
            "keep": [("status", status)],
            "keep_query": urlencode({"status": status}),
            "exports": [
                (
                    fmt,
                    labels,
                    reverse("questionnaires_admin:export", kwargs={"pk": questionnaire.pk, "fmt": fmt})
                    + "?"
                    + urlencode({**query, "labels": "1" if labels else "0"}),
                )
                for fmt in exports.FORMATS
                for labels in (True, False)
            ],
        }
    )
    return TemplateResponse(request, "questionnaires/admin/results.html", context)


def _organisation(response: Response) -> str:
    return response.organisation.name if response.organisation else ""


@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    if fmt not in exports.FORMATS:
        raise Http404
    questionnaire = _questionnaire(pk)
    definition = _definition_or_404(questionnaire)
    status = request.GET.get("status", "submitted")
    status = status if status in ("submitted", "all") else "submitted"
    responses = _responses(questionnaire, status)
    language = language_code()
    chosen = requested_filters(request, filter_fields(definition, language=language))
    responses = filter_responses(responses, definition, chosen)
    leading: list = []
    if questionnaire.access in (Access.IDENTIFIED, Access.EMBEDDED):
        responses = responses.select_related("organisation")
        leading.append(("organisation", _organisation))
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    audit_record(
        "questionnaires.export",
        obj=questionnaire,
        detail={"format": fmt, "status": status, "filters": chosen},
    )
    return exports.export_http_response(
        fmt=fmt,
        responses=responses,
        definition=definition,
        filename=f"{questionnaire.slug}-{stamp}",
        labels=request.GET.get("labels", "1") != "0",
        language=language,
        leading=leading,
    )


# Responses.


@require_GET
def response_list(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaire = _questionnaire(pk)
    status = _status(request, "all")
    versions = list(questionnaire.versions.order_by("-number").values_list("number", flat=True))
    version = request.GET.get("version", "")
    responses = _responses(questionnaire, status)
    if version.isdigit() and int(version) in versions:
        responses = responses.filter(version__number=int(version))
    else:
        version = ""
    # The list shows no answers: leave them and the versions' definitions unread.
    responses = (
        responses.select_related("organisation")
        .annotate(version_number=F("version__number"))
        .defer("answers", "answer_revisions")
        .order_by("-updated_at", "-pk")
    )
    page = paginate(responses, request.GET.get("p"), per_page=PER_PAGE)
    query = urlencode({key: value for key, value in (("status", status), ("version", version)) if value})
    return TemplateResponse(
        request,
        "questionnaires/admin/responses.html",
        {
            "questionnaire": questionnaire,
            "page": page,
            "responses": page.object_list,
            "status": status,
            "statuses": [(key, label) for key, (label, _statuses) in STATUS_CHOICES.items()],
            "version": version,
            "versions": versions,
            "query": query,
        },
    )


def _response(questionnaire: Questionnaire, response_id: int) -> Response:
    return get_object_or_404(
        Response.objects.select_related("version", "organisation", "user"),
        pk=response_id,
        questionnaire=questionnaire,
    )


@require_GET
def response_detail(request: HttpRequest, pk: int, response_id: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaire = _questionnaire(pk)
    response = _response(questionnaire, response_id)

    def file_url(item) -> str:
        return reverse(
            "questionnaires_admin:response_file",
            kwargs={"pk": questionnaire.pk, "response_id": response.pk, "file_id": item.pk},
        )

    context = {
        "questionnaire": questionnaire,
        "response": response,
        "is_current_version": response.version_id == questionnaire.current_version_id,
        **answers_context(
            definition=response.version.definition,
            answers=response.answers or {},
            language=language_code(),
            file_url=file_url,
        ),
    }
    return TemplateResponse(request, "questionnaires/admin/response.html", context)


@require_GET
def response_file(request: HttpRequest, pk: int, response_id: int, file_id: int) -> HttpResponseBase:
    """Always a download, never shown inline: a respondent's file is not trusted to be what it
    says."""
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaire = _questionnaire(pk)
    response = _response(questionnaire, response_id)
    item = get_object_or_404(ResponseFile, pk=file_id, response=response)
    download = file_download(item)
    download["Cache-Control"] = "private, no-store"
    return download
