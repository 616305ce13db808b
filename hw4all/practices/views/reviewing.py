"""Reviewers: their assignments, the scoring form and the private discussion of a case.

Every page here differs per person, so none is kept by the page cache or a browser cache. A
review or a discussion someone may not see answers 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_countries import countries

from hw4all.core.ratelimit import rate_limited
from hw4all.users.roles import REVIEWER, user_has_role

from .. import diff, outcomes, services
from ..models import (
    CODE_ARTICLES,
    SECTIONS,
    AssignmentStatus,
    CaseComment,
    CaseRevision,
    CaseStatus,
    CaseStudy,
    CriterionGroup,
    Level,
    ReviewAssignment,
    Theme,
    code_article_label,
)
from ..review_forms import MessageForm, ReviewForm, StepAsideForm

DISCUSS = "practices.discuss_case"


# Reads shared with the Secretariat's case screen (admin_cases.py).


@dataclass
class RevisionText:
    """A submitted revision as a reader sees it, from the snapshot the revision recorded."""

    number: int
    title: str
    summary: str
    actors: str
    countries: list[str]
    levels: list[str]
    themes: list[str]
    code_articles: list[str]
    # (heading, sanitised HTML) of the sections that have text.
    sections: list[tuple[str, str]]


def revision_text(revision: CaseRevision) -> RevisionText:
    content = revision.content
    names = dict(countries)
    return RevisionText(
        number=revision.number,
        title=content.get("title", ""),
        summary=content.get("summary", ""),
        actors=content.get("actors", ""),
        countries=[str(names.get(code, code)) for code in content.get("countries", [])],
        levels=[str(Level(value).label) for value in content.get("levels", []) if value in Level.values],
        themes=[str(Theme(value).label) for value in content.get("themes", []) if value in Theme.values],
        code_articles=[
            code_article_label(number)
            for number in content.get("code_articles", [])
            if number in CODE_ARTICLES
        ],
        sections=[(str(label), content[name]) for name, label, _help in SECTIONS if content.get(name)],
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    html: str


def revision_changes(case: CaseStudy, revisions: list[CaseRevision], number: int) -> list[FieldChange]:
    """What revision `number` changed since the one before it (nothing for the first)."""
    by_number = {revision.number: revision for revision in revisions}
    new, old = by_number.get(number), by_number.get(number - 1)
    if new is None or old is None:
        return []
    return [
        FieldChange(label=str(CaseStudy._meta.get_field(change.name).verbose_name), html=change.as_html())
        for change in diff.revision_diff(old.content, new.content)
    ]


@dataclass
class ScoreRow:
    criterion: object
    # One (answer shown, comment) per review, in the columns' order.
    cells: list[tuple[str, str]]
    mean: float | None = None
    passes: int = 0
    answers: int = 0
    passed: bool | None = None


@dataclass
class ScoreTable:
    reviews: list[ReviewAssignment]
    groups: list[tuple[str, list[ScoreRow]]] = field(default_factory=list)
    outcome: outcomes.Outcome | None = None


def _answer_text(score, criterion) -> str:
    if score is None or score.answer() is None:
        return "—"
    if criterion.group == CriterionGroup.EXCLUSION:
        return _("Pass") if score.passed else _("Fail")
    return f"{score.score} / {criterion.scale_max}"


def scores_side_by_side(case: CaseStudy) -> ScoreTable:
    """The current round's submitted reviews, criterion by criterion, with the threshold rule's
    outcome. Reviews not yet submitted are never read here."""
    reviews = list(services.submitted_reviews(case).select_related("reviewer"))
    table = ScoreTable(reviews=reviews)
    if case.criteria_version is None:
        return table
    table.outcome = services.case_outcome(case)
    results = {result.key: result for result in table.outcome.criteria} if table.outcome else {}
    scores = {review.pk: {score.criterion_id: score for score in review.scores.all()} for review in reviews}
    grouped: dict[str, list[ScoreRow]] = {}
    for criterion in case.criteria_version.criteria.all():
        result = results.get(criterion.pk)
        cells = []
        passes = 0
        for review in reviews:
            score = scores[review.pk].get(criterion.pk)
            cells.append((_answer_text(score, criterion), score.comment if score else ""))
            passes += bool(score and score.passed)
        grouped.setdefault(criterion.group, []).append(
            ScoreRow(
                criterion=criterion,
                cells=cells,
                mean=result.mean if result else None,
                passes=passes,
                answers=result.answers if result else 0,
                passed=result.passed if result else None,
            )
        )
    table.groups = [
        (str(label), grouped[value]) for value, label in CriterionGroup.choices if value in grouped
    ]
    return table


def case_revisions(case: CaseStudy) -> list[CaseRevision]:
    return list(case.revisions.order_by("number"))


def thread_messages(case: CaseStudy) -> list[CaseComment]:
    return list(case.comments.select_related("author").order_by("created_at", "pk"))


# The reviewer's pages.


def _login(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path())


@never_cache
@require_http_methods(["GET"])
def my_reviews(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    assignments = list(
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("case__organisation")
        .order_by("deadline", "pk")
    )
    open_reviews = [assignment for assignment in assignments if _is_open(assignment)]
    closed_reviews = [assignment for assignment in assignments if not _is_open(assignment)]
    closed_reviews.sort(key=lambda assignment: assignment.assigned_at, reverse=True)
    return render(
        request,
        "practices/reviews.html",
        {
            "open_reviews": open_reviews,
            "closed_reviews": closed_reviews,
            "is_reviewer": user_has_role(request.user, REVIEWER),
            "today": timezone.localdate(),
        },
    )


def _is_open(assignment: ReviewAssignment) -> bool:
    case = assignment.case
    return (
        assignment.status == AssignmentStatus.ASSIGNED
        and assignment.round == case.revision
        and case.status == CaseStatus.IN_REVIEW
    )


def _closed_notice(assignment: ReviewAssignment) -> str:
    case = assignment.case
    if assignment.status == AssignmentStatus.SUBMITTED:
        return _("You submitted this review on %(date)s; it can no longer be changed.") % {
            "date": timezone.localtime(assignment.submitted_at).date().isoformat()
            if assignment.submitted_at
            else ""
        }
    if assignment.status == AssignmentStatus.WITHDRAWN:
        return _("The Secretariat withdrew this review; nothing more is needed from you.")
    if assignment.status == AssignmentStatus.CONFLICT:
        return _("You stepped aside from this review for a conflict of interest.")
    if assignment.round != case.revision:
        return _("This review judged an earlier revision of the case study; it is closed.")
    return _("This case study is no longer in review (%(status)s); the review is closed.") % {
        "status": case.get_status_display()
    }


def _assignment_or_404(request: HttpRequest, pk: int) -> ReviewAssignment:
    """Only the reviewer's own assignment: anyone else is told nothing exists."""
    return get_object_or_404(
        ReviewAssignment.objects.select_related("case__organisation", "case__criteria_version__criteria_set"),
        pk=pk,
        reviewer=request.user,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("case-writing")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    assignment = _assignment_or_404(request, pk)
    case = assignment.case
    is_open = _is_open(assignment)
    criteria = list(case.criteria_version.criteria.all()) if case.criteria_version else []
    scores = list(assignment.scores.all())
    form = ReviewForm(
        criteria=criteria, scores=scores, initial={"no_conflict": assignment.no_conflict_declared}
    )
    step_aside = StepAsideForm()
    if request.method == "POST":
        if not is_open:
            messages.error(request, _closed_notice(assignment))
            return redirect("practices:review", pk=assignment.pk)
        if "step_aside" in request.POST:
            step_aside = StepAsideForm(request.POST)
            if step_aside.is_valid() and _step_aside(request, assignment, step_aside):
                return redirect("practices:review", pk=assignment.pk)
        else:
            form = ReviewForm(request.POST, criteria=criteria, scores=scores)
            if form.is_valid() and _save(request, assignment, form, submit="submit" in request.POST):
                return redirect("practices:review", pk=assignment.pk)
    revisions = case_revisions(case)
    current = next((revision for revision in revisions if revision.number == case.revision), None)
    show_others = assignment.status == AssignmentStatus.SUBMITTED and services.scores_visible(
        case, request.user
    )
    return render(
        request,
        "practices/review.html",
        {
            "assignment": assignment,
            "case": case,
            "is_open": is_open,
            "closed_notice": "" if is_open else _closed_notice(assignment),
            "form": form,
            "step_aside": step_aside,
            "text": revision_text(current) if current else None,
            "changes": revision_changes(case, revisions, case.revision),
            "attachments": list(case.attachments.all()),
            "my_answers": _my_answers(criteria, scores),
            "table": scores_side_by_side(case) if show_others else None,
            "may_discuss": request.user.has_perm(DISCUSS, case),
            "overdue": is_open and assignment.deadline < timezone.localdate(),
        },
    )


def _my_answers(criteria, scores) -> list[tuple[str, list[tuple[object, str, str]]]]:
    """The reviewer's own answers, read-only, in the criteria's groups."""
    by_criterion = {score.criterion_id: score for score in scores}
    grouped: dict[str, list[tuple[object, str, str]]] = {}
    for criterion in criteria:
        score = by_criterion.get(criterion.pk)
        grouped.setdefault(criterion.group, []).append(
            (criterion, _answer_text(score, criterion), score.comment if score else "")
        )
    return [(str(label), grouped[value]) for value, label in CriterionGroup.choices if value in grouped]


def _service_error(form, error: Exception) -> None:
    """A refusal from the services, shown beside the field it concerns, or above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
        return
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    form.add_error(None, " ".join(texts))


def _save(request: HttpRequest, assignment: ReviewAssignment, form: ReviewForm, *, submit: bool) -> bool:
    try:
        services.review_save(
            assignment=assignment,
            user=request.user,
            answers=form.answers(),
            no_conflict=form.cleaned_data["no_conflict"],
            submit=submit,
        )
    except (ValidationError, PermissionDenied) as error:
        _service_error(form, error)
        return False
    if submit:
        messages.success(
            request, _("Thank you: your review is submitted. The other reviewers' scores are shown below.")
        )
    else:
        messages.success(request, _("Your answers are saved. Submit the review when it is complete."))
    return True


def _step_aside(request: HttpRequest, assignment: ReviewAssignment, form: StepAsideForm) -> bool:
    try:
        services.review_step_aside(
            assignment=assignment, user=request.user, note=form.cleaned_data["conflict_note"]
        )
    except (ValidationError, PermissionDenied) as error:
        _service_error(form, error)
        return False
    messages.success(request, _("You stepped aside. The Secretariat will ask another reviewer. Thank you."))
    return True


# The private discussion.


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("case-writing")
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    case = get_object_or_404(CaseStudy.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm(DISCUSS, case):
        raise Http404
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.comment_add(case=case, user=request.user, body=form.cleaned_data["body"])
            except (ValidationError, PermissionDenied) as error:
                _service_error(form, error)
            else:
                messages.success(request, _("Your message is posted; the others are emailed."))
                return redirect("practices:thread", pk=case.pk)
    own = (
        ReviewAssignment.objects.filter(case=case, reviewer=request.user, round=case.revision)
        .order_by("-pk")
        .first()
    )
    return render(
        request,
        "practices/thread.html",
        {
            "case": case,
            "comments": thread_messages(case),
            "form": form,
            "is_open": case.status == CaseStatus.IN_REVIEW,
            "assignment": own,
        },
    )
