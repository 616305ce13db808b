"""Reads of Code reports that views, the API and exports share."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from hw4all.coalition.models import Organisation

from .models import CoSignature, Report, ReportStatus, Round


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
