"""The Secretariat's case screens in the Wagtail admin (mounted at /admin/practices/cases/): the
cases by status, and one case's text, history, reviews and the actions its status allows.

Every action is a POST through the services; their refusals (another secretary acted first, a
rule not met) come back as messages or beside the form's fields, never as an error page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from hw4all.core.pagination import paginate

from . import services
from .admin_forms import AcceptForm, AssignForm, DecideForm, ReturnForm, WithdrawForm
from .models import (
    ACTIVE_ASSIGNMENTS,
    AssignmentStatus,
    CaseStatus,
    CaseStudy,
    ReviewAssignment,
)
from .review_forms import MessageForm
from .views.reviewing import (
    case_revisions,
    revision_changes,
    revision_text,
    scores_side_by_side,
    thread_messages,
)

app_name = "practices_cases"

MANAGE = "practices.manage_cases"
# The statuses that wait for the Secretariat: screening, then reviews and the decision.
NEEDS_ACTION = (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW)
# Filters of the list: the default first; drafts are the authors' private work, shown apart.
FILTERS = {
    "action": (gettext_lazy("Needs action"), NEEDS_ACTION),
    CaseStatus.SUBMITTED: (CaseStatus.SUBMITTED.label, (CaseStatus.SUBMITTED,)),
    CaseStatus.IN_REVIEW: (CaseStatus.IN_REVIEW.label, (CaseStatus.IN_REVIEW,)),
    CaseStatus.RETURNED: (CaseStatus.RETURNED.label, (CaseStatus.RETURNED,)),
    CaseStatus.REVISE: (CaseStatus.REVISE.label, (CaseStatus.REVISE,)),
    CaseStatus.VALIDATED: (CaseStatus.VALIDATED.label, (CaseStatus.VALIDATED,)),
    CaseStatus.DECLINED: (CaseStatus.DECLINED.label, (CaseStatus.DECLINED,)),
    CaseStatus.DRAFT: (gettext_lazy("Drafts"), (CaseStatus.DRAFT,)),
}
PER_PAGE = 50


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may screen, assign, decide on and publish case studies.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _case(pk: int) -> CaseStudy:
    return get_object_or_404(
        CaseStudy.objects.select_related("organisation", "criteria_version__criteria_set", "decided_by"),
        pk=pk,
    )


def _case_url(case: CaseStudy, anchor: str = "") -> str:
    return reverse("practices_cases:case", kwargs={"pk": case.pk}) + (f"#{anchor}" if anchor else "")


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _form_errors(form, error: Exception) -> None:
    """A service's refusal beside the field it names, else above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
        return
    form.add_error(None, _refusal(error))


# The list.


@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    current = request.GET.get("status", "action")
    if current not in FILTERS:
        current = "action"
    counts = dict(CaseStudy.objects.values_list("status").annotate(total=Count("pk")).order_by())
    tabs = [
        (key, label, sum(counts.get(status, 0) for status in statuses), key == current)
        for key, (label, statuses) in FILTERS.items()
    ]
    round_filter = Q(assignments__round=F("revision"))
    cases = (
        CaseStudy.objects.filter(status__in=FILTERS[current][1])
        .select_related("organisation")
        .annotate(
            reviews_in=Count(
                "assignments", filter=round_filter & Q(assignments__status=AssignmentStatus.SUBMITTED)
            ),
            reviews_assigned=Count(
                "assignments", filter=round_filter & Q(assignments__status__in=ACTIVE_ASSIGNMENTS)
            ),
        )
        .order_by(F("review_deadline").asc(nulls_last=True), "-updated_at", "-pk")
    )
    page = paginate(cases, request.GET.get("p"), per_page=PER_PAGE)
    return TemplateResponse(
        request,
        "practices/admin/case_list.html",
        {
            "tabs": tabs,
            "current": current,
            "is_drafts": current == CaseStatus.DRAFT,
            "page": page,
            "cases": page.object_list,
            "today": timezone.localdate(),
        },
    )


# One case.


def _screen(request: HttpRequest, case: CaseStudy, *, status: int = 200, **forms) -> TemplateResponse:
    """The case screen; `forms` replaces the blank forms with bound ones that hold errors."""
    revisions = case_revisions(case)
    current = next((revision for revision in revisions if revision.number == case.revision), None)
    history = [
        (revision, revision_changes(case, revisions, revision.number)) for revision in reversed(revisions)
    ]
    assignments = list(
        case.assignments.select_related("reviewer__person__organisation").order_by(
            "-round", "assigned_at", "pk"
        )
    )
    in_review = case.status == CaseStatus.IN_REVIEW
    context = {
        "case": case,
        "is_draft": case.status == CaseStatus.DRAFT,
        "text": revision_text(current) if current else None,
        "attachments": list(case.attachments.all()) if case.status != CaseStatus.DRAFT else [],
        "history": history,
        "events": list(case.events.select_related("actor").order_by("created_at", "pk")),
        "assignments": assignments,
        "current_round": [a for a in assignments if a.round == case.revision],
        "earlier_rounds": [a for a in assignments if a.round != case.revision],
        "table": scores_side_by_side(case) if in_review or case.is_decided else None,
        "comments": thread_messages(case),
        "may_screen": case.status == CaseStatus.SUBMITTED,
        "in_review": in_review,
        "may_publish": case.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED) and not case.is_published,
        "may_unpublish": case.is_published,
        "today": timezone.localdate(),
        "min_reviewers": settings.PRACTICES_MIN_REVIEWERS,
    }
    if in_review:
        context["assign_form"] = forms.get("assign_form") or AssignForm(case=case)
        context["decide_form"] = forms.get("decide_form") or DecideForm()
        context["message_form"] = forms.get("message_form") or MessageForm()
    return TemplateResponse(request, "practices/admin/case.html", context, status=status)


@require_http_methods(["GET"])
def case(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    return _screen(request, _case(pk))


def _decision_page(request, case, *, form, heading: str, button: str, danger: bool = False, subject=None):
    return TemplateResponse(
        request,
        "practices/admin/decision.html",
        {
            "case": case,
            "form": form,
            "heading": heading,
            "button": button,
            "danger": danger,
            "subject": subject,
            "cancel_url": _case_url(case),
        },
    )


@require_http_methods(["GET", "POST"])
def case_accept(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    case = _case(pk)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_screen_accept(case=case, by=request.user, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal(error))
            return redirect(_case_url(case))
        messages.success(
            request, _("“%(title)s” is accepted for review: assign its reviewers.") % {"title": case.title}
        )
        return redirect(_case_url(case, "reviewers"))
    return _decision_page(
        request, case, form=form, heading=_("Accept for review"), button=_("Accept for review")
    )


@require_http_methods(["GET", "POST"])
def case_return(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    case = _case(pk)
    form = ReturnForm(request.POST or None, note_required=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_return(case=case, by=request.user, comments=form.cleaned_data["note"])
        except ValidationError as error:
            if hasattr(error, "error_dict") and "comments" in error.message_dict:
                form.add_error("note", error.message_dict["comments"])
            else:
                messages.error(request, _refusal(error))
                return redirect(_case_url(case))
        except PermissionDenied as error:
            messages.error(request, _refusal(error))
            return redirect(_case_url(case))
        else:
            messages.success(request, _("“%(title)s” is sent back to its authors.") % {"title": case.title})
            return redirect(_case_url(case))
    return _decision_page(
        request, case, form=form, heading=_("Send back to the authors"), button=_("Send back"), danger=True
    )


@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    case = _case(pk)
    if case.status != CaseStatus.IN_REVIEW:
        messages.error(request, _("Reviewers are assigned once the case has been accepted at screening."))
        return redirect(_case_url(case))
    form = AssignForm(request.POST, case=case)
    if form.is_valid():
        try:
            assignments = services.reviewers_assign(
                case=case,
                by=request.user,
                reviewers=list(form.cleaned_data["reviewers"]),
                deadline=form.cleaned_data["deadline"],
                criteria_version=None if form.version_fixed else form.cleaned_data["criteria_version"],
            )
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Assigned: %(names)s. Each is emailed.")
                % {"names": ", ".join(str(assignment.reviewer) for assignment in assignments)},
            )
            return redirect(_case_url(case, "reviewers"))
    return _screen(request, case, assign_form=form)


@require_http_methods(["GET", "POST"])
def assignment_withdraw(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    case = _case(pk)
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("reviewer"), pk=assignment_pk, case=case
    )
    form = WithdrawForm(request.POST or None, note_required=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_withdraw(
                assignment=assignment, by=request.user, reason=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(
                request, _("The review by %(name)s is withdrawn.") % {"name": assignment.reviewer}
            )
        return redirect(_case_url(case, "reviewers"))
    return _decision_page(
        request,
        case,
        form=form,
        heading=_("Withdraw a review"),
        button=_("Withdraw the review"),
        danger=True,
        subject=_("Reviewer: %(name)s") % {"name": assignment.reviewer},
    )


@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    case = _case(pk)
    if case.status != CaseStatus.IN_REVIEW:
        messages.error(
            request,
            _("This case study is now “%(status)s”; the step was not taken.")
            % {"status": case.get_status_display()},
        )
        return redirect(_case_url(case))
    form = DecideForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            services.case_decide(
                case=case,
                by=request.user,
                decision=decision,
                reasons=form.cleaned_data["reasons"],
                publish=form.cleaned_data["publish"],
            )
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is now “%(status)s”; the authors and reviewers are emailed.")
                % {"title": case.title, "status": case.get_status_display()},
            )
            return redirect(_case_url(case))
    return _screen(request, case, decide_form=form)


def _publishing(request: HttpRequest, pk: int, *, publish: bool) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    case = _case(pk)
    if request.method != "POST":
        if publish:
            message = (
                _("“%(title)s” will be shown on the website with its validation badge.")
                if case.is_validated
                else _(
                    "“%(title)s” will be shown on the website as a case study, without a validation badge."
                )
            )
        else:
            message = _("“%(title)s” will no longer be shown on the website; its record is kept.")
        return TemplateResponse(
            request,
            "admin/confirm_action.html",
            {
                "title": _("Publish the case study") if publish else _("Unpublish the case study"),
                "subject": case.title,
                "message": message % {"title": case.title},
                "button": _("Publish") if publish else _("Unpublish"),
                "next": _case_url(case),
            },
        )
    try:
        if publish:
            services.case_publish(case=case, by=request.user)
        else:
            services.case_unpublish(case=case, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        text = _("“%(title)s” is published.") if publish else _("“%(title)s” is no longer published.")
        messages.success(request, text % {"title": case.title})
    return redirect(_case_url(case))


@require_http_methods(["GET", "POST"])
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publishing(request, pk, publish=True)


@require_http_methods(["GET", "POST"])
def case_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publishing(request, pk, publish=False)


@require_POST
def case_comment(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    case = _case(pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(case=case, user=request.user, body=form.cleaned_data["body"])
        except (ValidationError, PermissionDenied) as error:
            if case.status != CaseStatus.IN_REVIEW:
                messages.error(request, _refusal(error))
                return redirect(_case_url(case, "discussion"))
            _form_errors(form, error)
        else:
            messages.success(request, _("Your message is posted; the reviewers are emailed."))
            return redirect(_case_url(case, "discussion"))
    return _screen(request, case, message_form=form)


urlpatterns = [
    path("", case_list, name="list"),
    path("<int:pk>/", case, name="case"),
    path("<int:pk>/accept/", case_accept, name="accept"),
    path("<int:pk>/send-back/", case_return, name="return"),
    path("<int:pk>/assign/", case_assign, name="assign"),
    path("<int:pk>/withdraw/<int:assignment_pk>/", assignment_withdraw, name="withdraw"),
    path("<int:pk>/decide/", case_decide, name="decide"),
    path("<int:pk>/publish/", case_publish, name="publish"),
    path("<int:pk>/unpublish/", case_unpublish, name="unpublish"),
    path("<int:pk>/discussion/", case_comment, name="comment"),
]
