"""Reads of Code reports that views, the API and exports share."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django_countries import countries

from hw4all.coalition.models import Organisation
from hw4all.questionnaires.models import Response

from .models import CoSignature, Report, ReportEvent, ReportStatus, Round, RoundStatus

User = get_user_model()


def _cosignatures() -> Prefetch:
    return Prefetch(
        "cosignatures",
        queryset=CoSignature.objects.select_related("organisation").order_by("organisation__name"),
    )


def published_reports(round: Round) -> QuerySet[Report]:
    """The round's published reports, by country and organisation, with their organisation,
    response and co-signers fetched."""
    return (
        Report.objects.filter(round=round, status=ReportStatus.PUBLISHED)
        .select_related("organisation", "response")
        .defer("response__answer_revisions")
        .prefetch_related(_cosignatures())
        .order_by("country", "organisation__name", "pk")
    )


def cosigners_of(report: Report) -> list[Organisation]:
    """The organisations that co-signed `report`, by name (from the prefetch when there is one)."""
    return [cosignature.organisation for cosignature in report.cosignatures.all()]


def published_reports_of_country(code: str) -> QuerySet[Report]:
    """A country's published reports across rounds, newest round first."""
    return (
        Report.objects.filter(country=code, status=ReportStatus.PUBLISHED)
        .select_related("organisation", "round")
        .prefetch_related(_cosignatures())
        .order_by("-round__number", "organisation__name", "pk")
    )


PUBLISHED = Q(reports__status=ReportStatus.PUBLISHED)


def rounds_with_counts() -> QuerySet[Round]:
    """Every round, newest first, with `published_count` (published reports) and
    `country_count` (countries they cover)."""
    return Round.objects.annotate(
        published_count=Count("reports", filter=PUBLISHED),
        country_count=Count("reports__country", filter=PUBLISHED, distinct=True),
    ).order_by("-number")


# The members' side: an organisation's reports, one report's page, starting a report.


def report_detail(pk: int) -> Report | None:
    """One report with what its page shows: round, organisation, response, co-signers."""
    return (
        Report.objects.select_related(
            "round", "organisation", "response", "response__version", "created_by", "submitted_by"
        )
        .prefetch_related(_cosignatures())
        .filter(pk=pk)
        .first()
    )


def report_history(report: Report) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor", "organisation").order_by("at", "pk")


def reports_of_organisation(organisation: Organisation) -> QuerySet[Report]:
    """An organisation's reports, newest round first, with their round and response (for the
    last save)."""
    return (
        Report.objects.filter(organisation=organisation)
        .select_related("round", "response", "response__updated_by", "created_by")
        .defer("response__answers", "response__answer_revisions")
        .order_by("-round__number", "country", "pk")
    )


def rounds_open_for_reports() -> QuerySet[Round]:
    return Round.objects.filter(status=RoundStatus.OPEN, questionnaire__isnull=False).order_by("-number")


def countries_without_report(round: Round, organisation: Organisation) -> list[tuple[str, str]]:
    """(code, name in the current language) of the countries `organisation` has not started a
    report on in `round`, by name."""
    taken = set(
        Report.objects.filter(round=round, organisation=organisation).values_list("country", flat=True)
    )
    return [(code, name) for code, name in countries if code not in taken]


def organisation_accounts(organisation: Organisation) -> QuerySet:
    """The active accounts speaking for `organisation` through their directory person."""
    return User.objects.filter(is_active=True, person__organisation=organisation).order_by("pk")


def published_responses(round: Round) -> QuerySet[Response]:
    """The responses of the round's published reports, for the exports: each with its report,
    the report's organisation and co-signers."""
    return (
        Response.objects.filter(code_report__round=round, code_report__status=ReportStatus.PUBLISHED)
        .select_related("code_report__organisation")
        .prefetch_related(Prefetch("code_report__cosignatures", queryset=_cosignatures().queryset))
        .order_by("code_report__country", "code_report__organisation__name", "pk")
    )


def published_report(pk: int) -> Report | None:
    """One published report with its organisation, response and co-signers, and the numbers of
    its round and questionnaire version (`round_number`, `version_number`); None for any other
    report, as if it did not exist."""
    return (
        Report.objects.filter(pk=pk, status=ReportStatus.PUBLISHED)
        .select_related("organisation", "response")
        .defer("response__answer_revisions")
        .prefetch_related(_cosignatures())
        .annotate(round_number=F("round__number"), version_number=F("response__version__number"))
        .first()
    )
