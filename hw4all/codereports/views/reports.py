"""Members' Code reports: their organisation's reports, starting one, the report's page (header,
co-signers, the steps they may take, the history, the answers), the answers' form (saved in full or
autosaved, merged answer by answer with colleagues' saves), files, the PDF, status steps and
co-signatures.

Views check who may act, call one service and render; the services check again. A report that is
not published is a 404 for anyone who may not see it, so its existence is not revealed. Pages for
members are never kept by a cache."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from hw4all.coalition.queries import organisation_of
from hw4all.core.ratelimit import rate_limited
from hw4all.core.uploads import upload_limit_install
from hw4all.questionnaires.answers import FILE_MAX_BYTES
from hw4all.questionnaires.models import ResponseFile
from hw4all.questionnaires.rendering import autosave_payload, form_context
from hw4all.questionnaires.services.responses import response_check
from hw4all.users.roles import MEMBER, is_secretariat, user_has_role

from .. import queries
from ..models import CoSignature, Report, ReportEventKind, ReportStatus, Round
from ..services import reports as services
from ..services.submission import report_document_context, report_language, report_pdf_bytes, report_pdf_store

VIEW = "codereports.view_report"
EDIT = services.EDIT
CHANGE_STATUS = services.CHANGE_STATUS
COSIGN = services.COSIGN
# A report's form holds several evidence files; one request carries a few at most.
REQUEST_MAX_BYTES = 5 * FILE_MAX_BYTES

STEPS: dict[str, Callable] = {
    "to_review": services.report_to_review,
    "to_draft": services.report_to_draft,
    "publish": services.report_publish,
    "unpublish": services.report_unpublish,
}
DONE = {
    "to_review": lambda: _(
        "The report is in internal review: its answers are read-only until it returns to draft."
    ),
    "to_draft": lambda: _("The report is a draft again: its answers can be changed."),
    "publish": lambda: _("The report is published: everyone can read it on the round's dashboard."),
    "unpublish": lambda: _(
        "The report was withdrawn from publication: only your organisation and the Secretariat can read it."
    ),
}


def _private(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed-in users only; the answer is theirs alone and no cache keeps it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def _visible_report(request: HttpRequest, pk: int) -> Report:
    """The report, if this user may see it; a 404 otherwise (the same as no report at all)."""
    report = queries.report_detail(pk)
    if report is None or not request.user.has_perm(VIEW, report):
        raise Http404
    return report


def _forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    response = render(request, "codereports/reports/forbidden.html", {"reason": reason}, status=403)
    add_never_cache_headers(response)
    return response


# What visitors and other organisations see of a report's history: not its internal steps.
PUBLIC_EVENTS = (
    ReportEventKind.SUBMITTED,
    ReportEventKind.PUBLISHED,
    ReportEventKind.UNPUBLISHED,
    ReportEventKind.COSIGNED,
    ReportEventKind.COSIGN_WITHDRAWN,
)


def _history_for(report: Report, *, show_all: bool):
    history = queries.report_history(report)
    return history if show_all else history.filter(kind__in=PUBLIC_EVENTS)


def _file_url(report: Report) -> Callable[[ResponseFile], str]:
    return lambda item: reverse("codereports:report_file", kwargs={"pk": report.pk, "file_id": item.pk})


# The organisation's reports, and a new one


@require_safe
@_private
def my_reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    is_member = user_has_role(user, MEMBER)
    may_start = user.has_perm(services.START)
    by_round: dict[Round, list[Report]] = {}
    if organisation is not None and is_member:
        for report in queries.reports_of_organisation(organisation):
            by_round.setdefault(report.round, []).append(report)
    open_rounds = [
        (round, queries.countries_without_report(round, organisation) if may_start and organisation else [])
        for round in queries.rounds_open_for_reports()
    ]
    context = {
        "organisation": organisation,
        "is_member": is_member,
        "may_start": may_start,
        "by_round": list(by_round.items()),
        "open_rounds": open_rounds,
    }
    return render(request, "codereports/reports/mine.html", context)


@require_POST
@_private
@rate_limited("report-writing")
def report_create(request: HttpRequest, number: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.select_related("questionnaire"), number=number)
    try:
        report = services.report_create(
            round=round, country=request.POST.get("country", ""), user=request.user, language=get_language()
        )
    except services.ReportExists as exists:
        existing = exists.report
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                exists.message,
                reverse("codereports:report", args=[existing.pk]),
                _("Open it"),
            ),
        )
        return redirect("codereports:report", pk=existing.pk)
    except PermissionDenied as denied:
        return _forbidden(request, str(denied))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("codereports:mine")
    except services.ReportError as error:
        messages.error(request, error.message)
        return redirect("codereports:mine")
    messages.success(
        request,
        _("Your report on %(country)s is started. Your organisation's members can write it with you.")
        % {"country": countries.name(str(report.country))},
    )
    return redirect("codereports:report_edit", pk=report.pk)


# One report


@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    user = request.user
    is_owner = user.has_perm(CHANGE_STATUS, report)
    own = organisation_of(user) if user.is_authenticated else None
    cosigned = own is not None and CoSignature.objects.filter(report=report, organisation=own).exists()
    language = get_language()
    context = report_document_context(report, language=language, file_url=_file_url(report))
    blocking = (
        response_check(report.response)
        if is_owner and report.status in (ReportStatus.DRAFT, ReportStatus.REVIEW)
        else {}
    )
    context.update(
        {
            "is_owner": is_owner,
            "may_cosign": user.has_perm(COSIGN, report) and not cosigned,
            "cosigned_by_own": cosigned,
            "own_organisation": own,
            "history": _history_for(report, show_all=is_owner or is_secretariat(user)),
            "blocking_count": len(blocking),
            "statuses": ReportStatus,
        }
    )
    response = render(request, "codereports/reports/detail.html", context)
    if user.is_authenticated or not report.is_published:
        add_never_cache_headers(response)
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_private
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload limits must be in place before the CSRF check reads the body, so the check runs
    inside (see _report_edit); who may write is known before any of the body is read."""
    report = _visible_report(request, pk)
    if not request.user.has_perm(EDIT, report):
        return _forbidden(
            request, _("Only members of the organisation that writes this report can change it.")
        )
    if report.status != ReportStatus.DRAFT:
        messages.info(request, services.not_editable_message(report))
        return redirect("codereports:report", pk=report.pk)
    limit = (
        upload_limit_install(request, limit=FILE_MAX_BYTES, request_limit=REQUEST_MAX_BYTES)
        if request.method == "POST"
        else None
    )
    return _report_edit(request, report, refused=limit.refused if limit else [])


@csrf_protect
@rate_limited("report-writing")
def _report_edit(request: HttpRequest, report: Report, *, refused: list[str]) -> HttpResponse:
    language = get_language()
    errors: dict[str, list[str]] | None = None
    conflicts = None
    posted = None
    status = 200
    if request.method == "POST":
        try:
            result = services.report_save(
                report=report,
                data=request.POST,
                files=request.FILES,
                base_revision=_revision(request),
                user=request.user,
            )
        except services.ReportNotEditable as error:
            messages.info(request, error.message)
            return redirect("codereports:report", pk=report.pk)
        for name in refused:
            messages.error(
                request,
                _("“%(name)s” is larger than %(limit)s MB, the largest file a report accepts.")
                % {"name": name, "limit": FILE_MAX_BYTES // (1024 * 1024)},
            )
        if result.ok and not refused:
            if "add_block" in request.POST or "remove_block" in request.POST:
                return redirect(reverse("codereports:report_edit", args=[report.pk]) + "#form")
            messages.success(request, _("Your answers are saved."))
            return redirect("codereports:report_edit", pk=report.pk)
        # The answers were saved when only a file was refused; the form shows them as stored.
        errors, conflicts = result.errors, result.conflicts
        posted = None if result.ok else request.POST
        status = 409 if conflicts else 422
    elif request.GET.get("check"):
        errors = response_check(report.response)
    context = form_context(
        response=report.response,
        language=language,
        action_url=reverse("codereports:report_edit", args=[report.pk]),
        autosave_url=reverse("codereports:report_autosave", args=[report.pk]),
        file_url=_file_url(report),
        errors=errors,
        conflicts=conflicts,
        posted=posted,
        submit_label=None,
    )
    context.update({"report": report, "checked": bool(request.GET.get("check"))})
    return render(request, "codereports/reports/edit.html", context, status=status)


def _revision(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("revision", "0"))
    except ValueError:
        return 0


@csrf_exempt
@require_POST
@_private
def report_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """The form's script saves a draft as the member types: JSON with the new revision, the
    time, the conflicts (409) and the errors (the same shape as the questionnaires' autosave)."""
    report = _visible_report(request, pk)
    if not request.user.has_perm(EDIT, report):
        return JsonResponse({"error": _("You may not change this report.")}, status=403)
    if report.status != ReportStatus.DRAFT:
        return JsonResponse({"error": services.not_editable_message(report), "frozen": True}, status=403)
    upload_limit_install(request, limit=FILE_MAX_BYTES, request_limit=REQUEST_MAX_BYTES)
    return _report_autosave(request, report)


@csrf_protect
@rate_limited("autosave")
def _report_autosave(request: HttpRequest, report: Report) -> HttpResponse:
    try:
        result = services.report_save(
            report=report,
            data=request.POST,
            files=request.FILES,
            base_revision=_revision(request),
            user=request.user,
        )
    except services.ReportNotEditable as error:
        return JsonResponse({"error": error.message, "frozen": True}, status=403)
    return JsonResponse(autosave_payload(result), status=409 if result.conflicts else 200)


@require_safe
def report_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """An answer's file, for whoever may see the report; always saved, never shown inline."""
    report = _visible_report(request, pk)
    item = get_object_or_404(ResponseFile, pk=file_id, response_id=report.response_id)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=PurePosixPath(item.original_name).name or "file",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if request.user.is_authenticated or not report.is_published:
        add_never_cache_headers(response)
    return response


@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A submitted report's stored PDF (made now if the background task has not run yet); a
    draft's PDF is made on the fly as a preview, marked “Draft”."""
    report = _visible_report(request, pk)
    filename = f"code-report-{report.pk}-{str(report.country).lower()}.pdf"
    if report.is_frozen:
        report_pdf_store(report)
        response: HttpResponseBase = FileResponse(report.pdf.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    else:
        pdf = report_pdf_bytes(report, draft=True, language=get_language() or report_language(report))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, f"draft-{filename}") or "inline"
    response["X-Content-Type-Options"] = "nosniff"
    if request.user.is_authenticated or not report.is_published:
        add_never_cache_headers(response)
    return response


# Steps and co-signatures


@require_POST
@_private
@rate_limited("report-writing")
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    action = request.POST.get("action", "")
    if action not in (*STEPS, "submit"):
        return HttpResponseBadRequest(_("Unknown step."))
    if not request.user.has_perm(CHANGE_STATUS, report):
        return _forbidden(request, _("Only members of the organisation that writes this report can do this."))
    try:
        if action == "submit":
            outcome = services.report_submit(report=report, user=request.user)
            if not outcome.submitted:
                messages.error(
                    request,
                    _(
                        "The report was not submitted: %(count)s answers must be corrected first. "
                        "It is a draft again; the errors are shown at their questions."
                    )
                    % {"count": len(outcome.errors)},
                )
                return redirect(reverse("codereports:report_edit", args=[report.pk]) + "?check=1")
            messages.success(
                request,
                _(
                    "The report is submitted and its answers are frozen. Your organisation's members "
                    "receive a receipt by email with its PDF's checksum."
                ),
            )
        else:
            STEPS[action](report=report, user=request.user)
            messages.success(request, DONE[action]())
    except services.TransitionRefused as refused:
        messages.error(request, refused.message)
    return redirect("codereports:report", pk=report.pk)


@require_POST
@_private
@rate_limited("report-writing")
def report_cosign(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "sign":
            cosignature = services.report_cosign(report=report, user=request.user)
            messages.success(
                request,
                _("%(organisation)s co-signs this report.") % {"organisation": cosignature.organisation.name},
            )
        elif action == "withdraw":
            services.report_cosign_withdraw(report=report, user=request.user)
            messages.success(request, _("Your organisation's co-signature is withdrawn."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except PermissionDenied:
        return _forbidden(request, _("Only members of another member organisation can co-sign a report."))
    except services.ReportError as error:
        messages.error(request, error.message)
    return redirect("codereports:report", pk=report.pk)
