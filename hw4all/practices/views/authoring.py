"""Members write case studies: their list, a new draft, the editor (saved in full or autosaved,
never over a co-author's save), submission, co-authors, attachments, and the history.

Every view checks who may act itself; the services check again. The Secretariat does not edit an
author's draft unless it is also one of its authors: it screens and decides, the authors write.
Every response is private to its user and never kept by a cache."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hw4all.core.ratelimit import rate_limited
from hw4all.core.sanitize import html_sanitize, text_plain
from hw4all.users.roles import MEMBER, is_secretariat, user_has_role

from .. import diff, services
from ..forms import AttachmentForm, CaseForm, CaseStartForm, CoauthorForm, html_to_paragraphs
from ..models import (
    LIST_FIELDS,
    SECTION_FIELDS,
    AssignmentStatus,
    CaseAttachment,
    CaseAuthor,
    CaseStatus,
    CaseStudy,
    EventKind,
    ReviewScore,
)
from ..permissions import is_case_author, is_case_reviewer
from ..uploads import attachment_limit_install

# The order the conflict page lists differing fields in: the form's.
COMPARED_FIELDS = (
    "title",
    "summary",
    *LIST_FIELDS,
    "actors",
    *SECTION_FIELDS,
    "contact_name",
    "contact_email",
)
# Who saved a case last, as "edit number:editor token", so that a full save following the same
# page's own autosave is not taken for a co-author's save.
LAST_SAVE_KEY = "practices:case-saved:{pk}"
LAST_SAVE_SECONDS = 3600

NEXT_STEPS = {
    CaseStatus.DRAFT: gettext_lazy("Finish writing it, then submit it to the Secretariat."),
    CaseStatus.SUBMITTED: gettext_lazy(
        "Nothing for now: the Secretariat checks that it is complete and in scope."
    ),
    CaseStatus.RETURNED: gettext_lazy(
        "Change what the Secretariat asks (see the timeline), then submit it again."
    ),
    CaseStatus.IN_REVIEW: gettext_lazy(
        "Nothing for now: reviewers are scoring it. You receive an email when the Secretariat decides."
    ),
    CaseStatus.REVISE: gettext_lazy(
        "Revise it using the Secretariat's reasons and the reviewers' comments (see its history), "
        "then submit it again."
    ),
    CaseStatus.VALIDATED: gettext_lazy("Nothing: it has been validated."),
    CaseStatus.DECLINED: gettext_lazy("Nothing: it was declined. Its history gives the reasons."),
}
# Timeline steps taken by an author; the others are the Secretariat's and show no name.
AUTHOR_STEPS = {EventKind.CREATED, EventKind.SUBMITTED, EventKind.AUTHOR_ADDED, EventKind.AUTHOR_REMOVED}


def _forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    response = render(request, "practices/author_forbidden.html", {"reason": reason}, status=403)
    add_never_cache_headers(response)
    return response


def _private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users only; the answer is theirs alone and no cache keeps it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def _authors_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The case's authors only: the view receives the case instead of its number."""

    @_private
    @functools.wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        case = get_object_or_404(CaseStudy.objects.select_related("organisation"), pk=pk)
        if not services.is_author(case, request.user):
            return _forbidden(request, _("Only the authors of this case study can open this page."))
        return view(request, case)

    return wrapper


def _not_member_reason() -> str:
    return _(
        "Case studies are written by members of Health Workers for All. Your account does not "
        "have the member role: if your organisation is a member, ask the Secretariat to give it to you."
    )


# My case studies and a new one


@require_safe
@_private
def my_cases(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user_has_role(user, MEMBER):
        return _forbidden(request, _not_member_reason())
    cases = (
        CaseStudy.objects.filter(author_links__user=user)
        .select_related("organisation")
        .order_by("-updated_at", "-pk")
    )
    return render(
        request,
        "practices/mine.html",
        {
            "rows": [(case, case.title, NEXT_STEPS[case.status]) for case in cases],
            "may_author": services.may_author(user),
        },
    )


@require_http_methods(["GET", "POST"])
@_private
@rate_limited("case-writing")
def case_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user_has_role(user, MEMBER):
        return _forbidden(request, _not_member_reason())
    if not services.may_author(user):
        return _forbidden(request, _no_organisation_reason())
    form = CaseStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(user=user, title=form.cleaned_data["title"])
        except ValidationError as error:
            _errors_add(form, error)
        else:
            messages.success(
                request, _("Your draft is started. It is saved each time you press “Save draft”.")
            )
            return redirect("practices:case_edit", pk=case.pk)
    return render(request, "practices/author_new.html", {"form": form})


def _no_organisation_reason() -> str:
    return _(
        "Your account is not linked to an organisation in the members' directory, and a case study "
        "is submitted in the name of an organisation. Ask the Secretariat to link your account to "
        "your organisation."
    )


# The editor


def _errors_add(form, error: ValidationError) -> None:
    """The services' errors beside their fields; those about no field of the form at its top."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _differences(case: CaseStudy, form: CaseForm) -> list[dict]:
    """The fields where what the author typed differs from what is saved, each with the saved
    text and the changes their save would make to it (what is only saved struck, theirs marked)."""
    typed = form.case_fields()
    changes = []
    for name in COMPARED_FIELDS:
        if name not in typed:
            continue
        saved, mine = getattr(case, name), typed[name]
        if name in LIST_FIELDS:
            saved = [str(value) for value in saved]
            mine = [str(value) for value in mine]
            if name == "code_articles":
                saved, mine = [int(value) for value in saved], [int(value) for value in mine]
            labels = dict(form.fields[name].choices)
            shown = ", ".join(str(labels.get(value, value)) for value in saved)
        elif name in SECTION_FIELDS:
            mine = html_sanitize(mine).strip()
            shown = html_to_paragraphs(saved)
        else:
            mine = (mine or "").strip()
            shown = saved
        change = diff.field_diff(name, saved, mine)
        if change is not None:
            changes.append({"label": form.fields[name].label, "saved": shown, "diff": change.as_html()})
    return changes


def _unchanged(case: CaseStudy, fields: dict) -> bool:
    """Whether saving `fields` would store exactly what is saved already."""
    for name, value in fields.items():
        saved = getattr(case, name)
        if name in LIST_FIELDS:
            if [str(item) for item in value] != [str(item) for item in saved]:
                return False
        elif name in SECTION_FIELDS:
            if html_sanitize(value or "").strip() != saved:
                return False
        elif text_plain(value or "").strip() != saved:
            return False
    return True


def _last_save_remember(case: CaseStudy, editor: str) -> None:
    if editor:
        cache.set(LAST_SAVE_KEY.format(pk=case.pk), f"{case.edit_number}:{editor}", LAST_SAVE_SECONDS)


def _last_save_was(case: CaseStudy, editor: str) -> bool:
    return bool(editor) and cache.get(LAST_SAVE_KEY.format(pk=case.pk)) == f"{case.edit_number}:{editor}"


@dataclass
class SaveResult:
    """What became of a save: `saved`, or the form with its errors and, after a conflict, the
    differences to merge."""

    form: CaseForm
    saved: bool = False
    conflict: list[dict] | None = None


def _save(request: HttpRequest, case: CaseStudy, *, autosave: bool = False) -> SaveResult:
    """Save the posted form with the edit number it was loaded with. CaseFrozen passes through."""
    form = CaseForm(request.POST)
    valid = form.is_valid()
    edit_number = form.cleaned_data.get("edit_number")
    editor = form.cleaned_data.get("editor", "")
    if valid and _unchanged(case, form.case_fields()):
        return SaveResult(form, saved=True)
    if edit_number is None:
        form.add_error(
            None,
            _(
                "This page did not say which saved version it started from, so your changes were not "
                "saved: a co-author may have saved in the meantime. Your text is still in the form: "
                "compare it with the saved version below, then save again."
            ),
        )
        return SaveResult(form, conflict=_differences(case, form))
    if not valid:
        return SaveResult(form)
    fields = form.case_fields()
    try:
        try:
            services.case_save(case=case, user=request.user, edit_number=edit_number, **fields)
        except services.EditConflict:
            # The save in between came from this same page's autosave: what is posted now is newer.
            if autosave or not _last_save_was(case, editor):
                raise
            services.case_save(case=case, user=request.user, edit_number=case.edit_number, **fields)
    except services.EditConflict as conflict:
        form.add_error(None, str(conflict))
        return SaveResult(form, conflict=_differences(case, form))
    except ValidationError as error:
        _errors_add(form, error)
        return SaveResult(form)
    _last_save_remember(case, editor)
    return SaveResult(form, saved=True)


def _timeline(case: CaseStudy) -> list:
    # Only what the authors may know: who reviews the case is the Secretariat's and reviewers' own.
    return list(case.events.filter(for_authors=True).select_related("actor").order_by("created_at", "pk"))


def _editor_page(
    request: HttpRequest,
    case: CaseStudy,
    *,
    form: CaseForm | None = None,
    conflict: list[dict] | None = None,
    submit_error: list[str] | None = None,
) -> HttpResponse:
    if form is None:
        form = CaseForm(initial=CaseForm.initial_for(case))
    posted = getattr(form, "cleaned_data", {})
    editor = posted.get("editor") or secrets.token_urlsafe(12)
    # After a conflict the next save is the author's decision, taken with the differences shown:
    # it starts from what is saved now, and autosave waits for it.
    edit_number = posted.get("edit_number")
    if conflict is not None or edit_number is None:
        edit_number = case.edit_number
    return render(
        request,
        "practices/case_form.html",
        {
            "case": case,
            "form": form,
            "editor": editor,
            "edit_number": edit_number,
            "autosave": conflict is None,
            "conflict": conflict,
            "submit_error": submit_error,
            "missing": services.missing_for_submission(case),
            "authors": _authors(case),
            "attachments": list(case.attachments.all()),
            "events": _timeline(case),
            "author_steps": AUTHOR_STEPS,
            "next_step": NEXT_STEPS[case.status],
            "heading": case.title,
            "narrative": [form[name] for name in SECTION_FIELDS],
        },
        status=409 if conflict is not None else 200,
    )


def _status_page(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    """A case with the Secretariat, or decided: what it says, where it stands, what happened."""
    return render(
        request,
        "practices/case_status.html",
        {
            "case": case,
            "title": case.title,
            "summary": case.summary,
            "actors": case.actors,
            "contact_name": case.contact_name,
            "sections": case.sections(),
            "authors": _authors(case),
            "attachments": list(case.attachments.all()),
            "events": _timeline(case),
            "author_steps": AUTHOR_STEPS,
            "next_step": NEXT_STEPS[case.status],
        },
    )


def _authors(case: CaseStudy) -> list:
    return [
        link.user for link in CaseAuthor.objects.filter(case=case).select_related("user").order_by("added_at")
    ]


def _frozen(request: HttpRequest, case: CaseStudy, error: PermissionDenied) -> HttpResponse:
    messages.error(request, str(error) or _("This case study can no longer be changed."))
    return redirect("practices:case_edit", pk=case.pk)


@require_http_methods(["GET", "POST"])
@_authors_only
@rate_limited("case-writing")
def case_edit(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    if request.method == "GET":
        if not case.is_editable:
            return _status_page(request, case)
        return _editor_page(request, case)
    if not case.is_editable:
        return _frozen(request, case, services.CaseFrozen(services.cases.frozen_message(case)))
    try:
        result = _save(request, case)
    except services.CaseFrozen as error:
        return _frozen(request, case, error)
    if result.saved:
        messages.success(request, _("Your draft is saved."))
        return redirect("practices:case_edit", pk=case.pk)
    return _editor_page(request, case, form=result.form, conflict=result.conflict)


@require_POST
@_authors_only
@rate_limited("autosave")
def case_autosave(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    """Answers a fragment for the page's status line: saved (with the new edit number for the
    next save), or why not; after a conflict autosave stops until the author saves in full."""
    context: dict = {"stop": False, "edit_number": None, "errors": []}
    try:
        if not case.is_editable:
            raise services.CaseFrozen(services.cases.frozen_message(case))
        result = _save(request, case, autosave=True)
    except services.CaseFrozen as error:
        context |= {"stop": True, "message": str(error)}
    else:
        if result.saved:
            context |= {"saved_at": timezone.now(), "edit_number": case.edit_number}
        elif result.conflict is not None:
            context |= {
                "stop": True,
                "message": _(
                    "Autosave has stopped: a co-author saved this case study while you were editing "
                    "it. Nothing you typed is lost: press “Save draft” to compare your text with theirs."
                ),
            }
        else:
            context["errors"] = _errors_listed(result.form)
    return render(request, "practices/includes/author_autosave.html", context)


def _errors_listed(form: CaseForm) -> list[str]:
    return [
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    ]


@require_POST
@_authors_only
@rate_limited("case-writing")
def case_submit(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    """The editor's "Submit" button posts the whole form here: it is saved first, so nothing
    typed since the last save is left behind; a bare POST submits what is saved."""
    form = None
    try:
        if "title" in request.POST:
            result = _save(request, case)
            form = result.form
            if not result.saved:
                return _editor_page(request, case, form=form, conflict=result.conflict)
        services.case_submit(case=case, user=request.user)
    except services.CaseFrozen as error:
        return _frozen(request, case, error)
    except ValidationError as error:
        if form is None:
            form = CaseForm(initial=CaseForm.initial_for(case))
        return _editor_page(request, case, form=form, submit_error=error.messages)
    messages.success(
        request,
        _(
            "Your case study is submitted. The Secretariat checks that it is complete and in scope; "
            "every step is emailed to its authors."
        ),
    )
    return redirect("practices:case_edit", pk=case.pk)


# Co-authors


@require_http_methods(["GET", "POST"])
@_authors_only
@rate_limited("case-writing")
def case_authors(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    form = CoauthorForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                form = CoauthorForm(request.POST)
                if form.is_valid():
                    link = services.case_author_add(
                        case=case, by=request.user, email=form.cleaned_data["email"]
                    )
                    messages.success(request, _("%(name)s is now a co-author.") % {"name": link.user})
                    return redirect("practices:case_authors", pk=case.pk)
            elif action == "remove":
                return _author_remove(request, case)
        except services.CaseFrozen as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
    return render(
        request,
        "practices/author_authors.html",
        {"case": case, "title": case.title, "authors": _authors(case), "form": form},
    )


def _author_remove(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    link = (
        CaseAuthor.objects.filter(case=case, user_id=_number(request.POST.get("user")))
        .select_related("user")
        .first()
    )
    if link is None:
        messages.error(request, _("This person is not an author of the case study."))
        return redirect("practices:case_authors", pk=case.pk)
    try:
        services.case_author_remove(case=case, by=request.user, user=link.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("practices:case_authors", pk=case.pk)
    if link.user == request.user:
        messages.success(request, _("You are no longer an author of this case study."))
        return redirect("practices:mine")
    messages.success(request, _("%(name)s is no longer an author.") % {"name": link.user})
    return redirect("practices:case_authors", pk=case.pk)


def _number(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# Attachments


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_authors_only
def case_files(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    """The size limit must be in place before the CSRF check reads the body, so the check runs
    inside (see _case_files); who may upload is known before any of the body is read."""
    limit = attachment_limit_install(request) if request.method == "POST" else None
    return _case_files(request, case, refused=limit.refused if limit else [])


@csrf_protect
@rate_limited("case-writing")
def _case_files(request: HttpRequest, case: CaseStudy, *, refused: list[str]) -> HttpResponse:
    form = AttachmentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "remove":
                return _attachment_remove(request, case)
            form = AttachmentForm(request.POST, request.FILES)
            if refused:
                form.add_error(
                    "file",
                    _("“%(name)s” is larger than %(limit)s MB, the largest file a case study accepts.")
                    % {"name": refused[0][:80], "limit": settings.PRACTICES_MAX_UPLOAD_MB},
                )
            elif form.is_valid():
                attachment = services.attachment_add(
                    case=case,
                    user=request.user,
                    file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
                messages.success(request, _("“%(title)s” is attached.") % {"title": attachment.title})
                return redirect("practices:case_files", pk=case.pk)
        except services.CaseFrozen as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error("file", error.messages)
    return render(
        request,
        "practices/author_files.html",
        {
            "case": case,
            "title": case.title,
            "attachments": list(case.attachments.all()),
            "form": form,
            "limit_mb": settings.PRACTICES_MAX_UPLOAD_MB,
        },
    )


def _attachment_remove(request: HttpRequest, case: CaseStudy) -> HttpResponse:
    attachment = CaseAttachment.objects.filter(case=case, pk=_number(request.POST.get("file"))).first()
    if attachment is not None:
        try:
            services.attachment_remove(attachment=attachment, user=request.user)
        except services.CaseFrozen as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("“%(title)s” is removed.") % {"title": attachment.title})
    return redirect("practices:case_files", pk=case.pk)


# History


def _may_see_history(user, case: CaseStudy) -> bool:
    return bool(is_case_author(user, case) or is_case_reviewer(user, case) or is_secretariat(user))


@require_safe
@_private
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Each submitted revision with what changed since the one before, the changes not yet
    submitted, and for every revise or decline decision its reasons and the reviewers' comments
    (their words, not their names or scores)."""
    case = get_object_or_404(CaseStudy, pk=pk)
    if not _may_see_history(request.user, case):
        return _forbidden(
            request,
            _("Only the case study's authors, its reviewers and the Secretariat can read its history."),
        )
    revisions = list(case.revisions.select_related("submitted_by").order_by("number"))
    versions = []
    previous = None
    for revision in revisions:
        changes = _changes(diff.revision_diff(previous.content, revision.content)) if previous else None
        versions.append({"revision": revision, "changes": changes})
        previous = revision
    unsubmitted = None
    if previous is not None and case.is_editable:
        unsubmitted = _changes(diff.revision_diff(previous.content, services.case_content(case)))
    events = _timeline(case)
    return render(
        request,
        "practices/history.html",
        {
            "case": case,
            "title": case.title,
            "versions": versions,
            "unsubmitted": unsubmitted,
            "decisions": _decisions(case, events, revisions),
            "events": events,
            "is_author": is_case_author(request.user, case),
            "author_steps": AUTHOR_STEPS,
        },
    )


def _changes(diffs: list[diff.FieldDiff]) -> list[dict]:
    labels = {name: field.label for name, field in CaseForm().fields.items()}
    return [{"label": labels.get(change.name, change.name), "html": change.as_html()} for change in diffs]


def _decisions(case: CaseStudy, events: list, revisions: list) -> list[dict]:
    """Revise and decline decisions, each with the round it judged and that round's comments."""
    decided = [event for event in events if event.kind in (EventKind.REVISE, EventKind.DECLINED)]
    if not decided:
        return []
    rounds = {}
    for event in decided:
        judged = [revision.number for revision in revisions if revision.submitted_at <= event.created_at]
        rounds[event.pk] = max(judged) if judged else case.revision
    scores = (
        ReviewScore.objects.filter(
            assignment__case=case,
            assignment__round__in=set(rounds.values()),
            assignment__status=AssignmentStatus.SUBMITTED,
        )
        .exclude(comment="")
        .select_related("criterion", "assignment")
        .order_by("assignment__round", "assignment_id", "criterion__sort_order", "criterion_id")
    )
    comments: dict[int, dict[int, list]] = {}
    for score in scores:
        comments.setdefault(score.assignment.round, {}).setdefault(score.assignment_id, []).append(score)
    return [
        {
            "event": event,
            "round": rounds[event.pk],
            # Numbered, not named: reviewers stay anonymous to the authors.
            "reviews": list(comments.get(rounds[event.pk], {}).values()),
        }
        for event in decided
    ]
