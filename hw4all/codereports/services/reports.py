"""What member organisations do with their Code reports: start one per country and round, write
it together (answer-by-answer merging through the questionnaire engine), send it to internal
review, submit it (frozen, with a PDF and an emailed receipt), publish it or withdraw it from
publication, and co-sign the published reports of other organisations.

Every step checks the permission itself, locks the report's row, refuses a step from the wrong
status with a message saying the status it found, and records an event in the report's history."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.coalition.models import Organisation
from hw4all.coalition.queries import organisation_of
from hw4all.core.pagecache import pagecache_invalidate
from hw4all.questionnaires.services.responses import (
    ResponseClosed,
    SaveResult,
    response_save,
    response_start,
    response_submit,
)
from hw4all.users.roles import MEMBER, user_has_role

from ..models import CoSignature, Report, ReportEvent, ReportEventKind, ReportStatus, Round

START = "codereports.start_report"
EDIT = "codereports.edit_report"
CHANGE_STATUS = "codereports.change_report_status"
COSIGN = "codereports.cosign_report"


class ReportError(Exception):
    """A step that cannot be taken; the message says why, in the user's language."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.report = report


class ReportExists(ReportError):
    """The organisation already has a report for this country in this round (`report`)."""

    def __init__(self, message: str, report: Report) -> None:
        super().__init__(message, report)
        self.report: Report = report


class TransitionRefused(ReportError):
    """The report is not in a status this step starts from (`report` holds the status found)."""


class ReportNotEditable(ReportError):
    """Only a draft's answers can change."""


@dataclass
class SubmitOutcome:
    report: Report
    # Errors by answer path; when there are some the report was not submitted.
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def submitted(self) -> bool:
        return not self.errors


def _require(user, permission: str, report: Report | None = None) -> None:
    if not user.has_perm(permission, report):
        raise PermissionDenied(_("You may not do this with this report."))


def _locked(report: Report) -> Report:
    # Only the report's row: its round and organisation stay free for everyone else's reports.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "response")
        .get(pk=report.pk)
    )


def _event(*, report: Report, kind: str, user=None, organisation: Organisation | None = None, note: str = ""):
    return ReportEvent.objects.create(
        report=report, kind=kind, actor=user, organisation=organisation or report.organisation, note=note
    )


def _refresh(target: Report, source: Report) -> None:
    """Give the caller's object the values just saved, so a view shows what the database holds."""
    for name in ("status", "submitted_at", "submitted_by_id", "published_at", "pdf"):
        setattr(target, name, getattr(source, name))


# Starting and writing


def report_create(*, round: Round, country: str, user, language: str = "") -> Report:
    """Start the user's organisation's report on `country` in `round`. Raises ReportExists (with
    the existing report) when the organisation already has one, even when two members start it at
    the same moment: the database's unique constraint decides."""
    if not user.has_perm(START):
        raise PermissionDenied(_("Reports are written by members of the coalition's member organisations."))
    if not round.accepts_reports or round.questionnaire is None:
        raise ReportError(_("%(round)s does not accept reports.") % {"round": round})
    code = str(country or "").upper()
    if code not in dict(countries):
        raise ValidationError({"country": _("Choose a country from the list.")})
    organisation = organisation_of(user)
    if organisation is None:  # the permission requires one; this tells the type checker
        raise PermissionDenied
    existing = Report.objects.filter(round=round, country=code, organisation=organisation).first()
    if existing is not None:
        raise ReportExists(_exists_message(existing), existing)
    try:
        with transaction.atomic():
            response = response_start(
                questionnaire=round.questionnaire, user=user, organisation=organisation, language=language
            )
            report = Report.objects.create(
                round=round, country=code, organisation=organisation, response=response, created_by=user
            )
            _event(report=report, kind=ReportEventKind.CREATED, user=user)
    except ResponseClosed:
        raise ReportError(_("%(round)s does not accept reports.") % {"round": round}) from None
    except IntegrityError:
        existing = Report.objects.filter(round=round, country=code, organisation=organisation).first()
        if existing is None:
            raise
        raise ReportExists(_exists_message(existing), existing) from None
    return report


def _exists_message(report: Report) -> str:
    return _("Your organisation already has a report on %(country)s in this round.") % {
        "country": countries.name(str(report.country))
    }


def report_save(*, report: Report, data, files, base_revision: int, user) -> SaveResult:
    """Save a member's answers to a draft, merged answer by answer with what colleagues saved
    since `base_revision` (a clash comes back as a conflict with both values)."""
    _require(user, EDIT, report)
    with transaction.atomic():
        locked = _locked(report)
        if locked.status != ReportStatus.DRAFT:
            _refresh(report, locked)
            raise ReportNotEditable(not_editable_message(locked), locked)
        # The caller's response object, so it holds the saved answers and revision afterwards.
        return response_save(
            response=report.response, data=data, files=files, base_revision=base_revision, user=user
        )


def not_editable_message(report: Report) -> str:
    if report.status == ReportStatus.REVIEW:
        return _(
            "This report is in internal review: its answers are read-only. Return it to draft to change them."
        )
    return _("This report has been submitted: its answers are frozen.")


# Status steps

REFUSALS = {
    "to_review": lambda status: (
        _("Only a draft can be sent to internal review; this report is now “%(status)s”.")
        % {"status": status}
    ),
    "to_draft": lambda status: (
        _("Only a report in internal review can return to draft; this report is now “%(status)s”.")
        % {"status": status}
    ),
    "submit": lambda status: (
        _("Only a report in internal review can be submitted; this report is now “%(status)s”.")
        % {"status": status}
    ),
    "publish": lambda status: (
        _("Only a submitted report can be published; this report is now “%(status)s”.") % {"status": status}
    ),
    "unpublish": lambda status: (
        _("Only a published report can be withdrawn from publication; this report is now “%(status)s”.")
        % {"status": status}
    ),
}


def _step(*, report: Report, user, action: str, expected: str) -> Report:
    """Check the permission, lock the row and check the status: the start of every step."""
    _require(user, CHANGE_STATUS, report)
    locked = _locked(report)
    if locked.status != expected:
        _refresh(report, locked)
        raise TransitionRefused(REFUSALS[action](locked.get_status_display()), locked)
    return locked


@transaction.atomic
def report_to_review(*, report: Report, user) -> Report:
    """Draft → internal review: the answers become read-only while colleagues read them."""
    locked = _step(report=report, user=user, action="to_review", expected=ReportStatus.DRAFT)
    locked.status = ReportStatus.REVIEW
    locked.save(update_fields=["status"])
    _event(report=locked, kind=ReportEventKind.TO_REVIEW, user=user)
    _refresh(report, locked)
    return locked


@transaction.atomic
def report_to_draft(*, report: Report, user) -> Report:
    """Internal review → draft: the answers can be changed again."""
    locked = _step(report=report, user=user, action="to_draft", expected=ReportStatus.REVIEW)
    locked.status = ReportStatus.DRAFT
    locked.save(update_fields=["status"])
    _event(report=locked, kind=ReportEventKind.TO_DRAFT, user=user)
    _refresh(report, locked)
    return locked


def report_submit(*, report: Report, user) -> SubmitOutcome:
    """Internal review → submitted, when the answers pass the questionnaire's complete
    validation: the response is frozen, and once the transaction is committed a background task
    makes the PDF and emails the receipts. When answers have errors nothing is submitted and the
    report returns to draft, so the errors can be corrected where they are shown."""
    from ..tasks import report_submitted_task

    with transaction.atomic():
        locked = _step(report=report, user=user, action="submit", expected=ReportStatus.REVIEW)
        result = response_submit(response=report.response, user=user)
        if result.errors:
            locked.status = ReportStatus.DRAFT
            locked.save(update_fields=["status"])
            _event(
                report=locked,
                kind=ReportEventKind.TO_DRAFT,
                user=user,
                note=_(
                    "Returned to draft: some answers must be corrected before the report can be submitted."
                ),
            )
            _refresh(report, locked)
            return SubmitOutcome(report=locked, errors=result.errors)
        locked.status = ReportStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save(update_fields=["status", "submitted_at", "submitted_by"])
        _event(report=locked, kind=ReportEventKind.SUBMITTED, user=user)
        transaction.on_commit(functools.partial(report_submitted_task.enqueue, report_id=locked.pk))
    _refresh(report, locked)
    return SubmitOutcome(report=locked)


@transaction.atomic
def report_publish(*, report: Report, user) -> Report:
    """Submitted → published: the report appears on the round's dashboard and the country's page."""
    locked = _step(report=report, user=user, action="publish", expected=ReportStatus.SUBMITTED)
    locked.status = ReportStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    _event(report=locked, kind=ReportEventKind.PUBLISHED, user=user)
    transaction.on_commit(pagecache_invalidate)
    _refresh(report, locked)
    return locked


@transaction.atomic
def report_unpublish(*, report: Report, user) -> Report:
    """Published → submitted: the report leaves the public pages; its co-signatures are kept for
    when it is published again (its answers cannot have changed)."""
    locked = _step(report=report, user=user, action="unpublish", expected=ReportStatus.PUBLISHED)
    locked.status = ReportStatus.SUBMITTED
    locked.published_at = None
    locked.save(update_fields=["status", "published_at"])
    _event(report=locked, kind=ReportEventKind.UNPUBLISHED, user=user)
    # Visitors' cached copies of the report, the dashboard and the country page go stale now.
    transaction.on_commit(pagecache_invalidate)
    _refresh(report, locked)
    return locked


# Co-signing


@transaction.atomic
def report_cosign(*, report: Report, user) -> CoSignature:
    """The user's member organisation stands behind another organisation's published report."""
    locked = _locked(report)
    organisation = organisation_of(user)
    if organisation is not None and organisation.pk == locked.organisation_id:
        raise ReportError(_("An organisation cannot co-sign its own report."), locked)
    if not locked.is_published:
        raise ReportError(_("Only a published report can be co-signed."), locked)
    _require(user, COSIGN, locked)
    if organisation is None:  # the permission requires one; this tells the type checker
        raise PermissionDenied
    if CoSignature.objects.filter(report=locked, organisation=organisation).exists():
        raise ReportError(_("Your organisation has already co-signed this report."), locked)
    try:
        with transaction.atomic():
            cosignature = CoSignature.objects.create(report=locked, organisation=organisation, signed_by=user)
    except IntegrityError:
        raise ReportError(_("Your organisation has already co-signed this report."), locked) from None
    _event(report=locked, kind=ReportEventKind.COSIGNED, user=user, organisation=organisation)
    transaction.on_commit(pagecache_invalidate)
    return cosignature


@transaction.atomic
def report_cosign_withdraw(*, report: Report, user) -> None:
    """The user's organisation takes back its co-signature (whatever the report's status now)."""
    locked = _locked(report)
    organisation = organisation_of(user)
    if organisation is None or not user_has_role(user, MEMBER):
        raise PermissionDenied(_("You may not do this with this report."))
    deleted, _rows = CoSignature.objects.filter(report=locked, organisation=organisation).delete()
    if not deleted:
        raise ReportError(_("Your organisation has not co-signed this report."), locked)
    _event(report=locked, kind=ReportEventKind.COSIGN_WITHDRAWN, user=user, organisation=organisation)
    transaction.on_commit(pagecache_invalidate)
