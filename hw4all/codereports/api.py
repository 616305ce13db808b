"""WHO Code reporting as JSON: the rounds with their counts, a round's dashboard (the countries
reported on), a round's published civil-society reports with their answers as stored (codes,
read with the questionnaire version they answered), and one published report. Drafts, reports
in review and submitted reports that their organisation has not published do not exist here
(404)."""

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Count, F, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django_countries import countries
from ninja import Field, Path, Query, Router, Schema
from pydantic import field_validator

from hw4all.core.apilanguage import api_language
from hw4all.core.apipagination import CursorPagination

from . import queries
from .comparison import country_name
from .models import Report, ReportStatus, Round, RoundStatus

router = Router(tags=["code reports"])

PER_PAGE = 50
MAX_ID = 2**63 - 1  # BigAutoField's largest: a larger id is a 422 here, not a database error
MAX_ROUND = 32767  # PositiveSmallIntegerField's largest
EXPORT_FORMATS = ("csv", "xlsx", "json")
# Reports hold codes, not prose in a language: `lang` translates what is around them.
LANG_DESCRIPTION = (
    "Language code (en, fr, es, pt, ...) of the labels, country names and addresses; the answers "
    "are codes, the same in every language. The request's language when empty"
)


class LanguageFilter(Schema):
    lang: str | None = Field(None, description=LANG_DESCRIPTION, max_length=10)


class ReportFilters(LanguageFilter):
    country: str | None = Field(
        None, description="ISO 3166 alpha-2 code of the country reported on, such as KE"
    )

    @field_validator("country")
    @classmethod
    def country_known(cls, value: str | None) -> str | None:
        if not value:
            return None
        code = value.strip().upper()
        if code not in countries:
            raise ValueError(
                f"Unknown country code {value[:10]!r}: give an ISO 3166 alpha-2 code, such as KE"
            )
        return code


class RoundOut(Schema):
    number: int
    instrument: str = Field(description="The WHO National Reporting Instrument, e.g. “NRI 2024”")
    period: str
    deadline: datetime.date | None = Field(description="The WHO deadline, when the day is known")
    deadline_text: str = Field(description="The deadline as published, when only a month or year is known")
    reported_to: str = Field(description="The World Health Assembly or Executive Board reported to")
    status: RoundStatus
    status_label: str
    is_current: bool
    published_reports: int = Field(description="Published civil-society reports")
    countries: int = Field(description="Countries those reports are on")
    url: str = Field(description="Absolute address of the round's dashboard")


class CountryReportsOut(Schema):
    code: str = Field(description="ISO 3166 alpha-2 code")
    name: str
    reports: int = Field(description="Published reports on the country in the round")
    url: str = Field(description="Absolute address of the country's Code reporting page")


class RoundDetailOut(RoundOut):
    notes: str
    questionnaire: str | None = Field(description="Slug of the round's civil-society questionnaire")
    reports_url: str = Field(
        description="Absolute address of this API's list of the round's published reports"
    )
    exports: dict[str, str] | None = Field(
        description="Absolute addresses of the round's exports by format (csv, xlsx, json; answers as labels)"
    )
    dashboard: list[CountryReportsOut] = Field(
        description="The dashboard's table: the countries reported on, by name in the language asked"
    )


class RoundPageOut(Schema):
    items: list[RoundOut]
    next: str | None = Field(description="Address of the next page; null on the last page")


class OrganisationOut(Schema):
    name: str
    url: str = Field(description="Absolute address of the organisation's page in the directory")


class ReportOut(Schema):
    id: int
    round: int = Field(description="The round's number")
    country: str = Field(description="ISO 3166 alpha-2 code of the country reported on")
    country_name: str
    organisation: OrganisationOut
    cosigners: list[OrganisationOut] = Field(description="Member organisations that co-signed, by name")
    published_at: datetime.datetime | None
    url: str = Field(description="Absolute address of the report's page")
    questionnaire_version: int = Field(description="The number of the questionnaire version answered")
    answers: dict[str, Any] = Field(
        description="The answers as stored, keyed by question name: choice codes, numbers, "
        "ISO dates and country codes, lists for multiple choices and repeated groups, "
        "{row: choice} for a matrix"
    )


class ReportPageOut(Schema):
    items: list[ReportOut]
    next: str | None = Field(description="Address of the next page; null on the last page")


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _round(request: HttpRequest, round: Round) -> dict:
    return {
        "number": round.number,
        "instrument": round.instrument,
        "period": round.period,
        "deadline": round.deadline,
        "deadline_text": round.deadline_text,
        "reported_to": round.reported_to,
        "status": round.status,
        "status_label": str(round.get_status_display()),
        "is_current": round.is_current,
        "published_reports": round.published_count,
        "countries": round.country_count,
        "url": _absolute(request, reverse("codereports:round", kwargs={"number": round.number})),
    }


def _organisation(request: HttpRequest, organisation) -> dict:
    return {"name": organisation.name, "url": _absolute(request, organisation.get_absolute_url())}


def _report(request: HttpRequest, report: Report) -> dict:
    return {
        "id": report.pk,
        "round": report.round_number,
        "country": report.country.code,
        "country_name": str(countries.name(report.country.code)),
        "organisation": _organisation(request, report.organisation),
        "cosigners": [_organisation(request, item) for item in queries.cosigners_of(report)],
        "published_at": report.published_at,
        "url": _absolute(request, reverse("codereports:report", kwargs={"pk": report.pk})),
        "questionnaire_version": report.version_number,
        "answers": report.response.answers or {},
    }


def _with_numbers(reports: QuerySet[Report]) -> QuerySet[Report]:
    # The round's and the version's numbers without loading either row (a version holds its
    # whole questionnaire).
    return reports.annotate(round_number=F("round__number"), version_number=F("response__version__number"))


def _round_or_404(number: int) -> Round:
    round = queries.rounds_with_counts().filter(number=number).first()
    if round is None:
        raise Http404("No round has this number")
    return round


_round_pages = CursorPagination(ordering=("-number",), page_size=PER_PAGE)
# The dashboard's order; the country's code read as text (the field gives an object).
_report_pages = CursorPagination(ordering=("country_code", "organisation__name", "pk"), page_size=PER_PAGE)


def _page(
    paginator: CursorPagination,
    queryset: QuerySet,
    pagination: CursorPagination.Input,
    request: HttpRequest,
    build: Callable[[Any], dict],
) -> dict:
    page = paginator.paginate_queryset(queryset, pagination, request)
    return {"items": [build(item) for item in page["items"]], "next": page["next"]}


def _dashboard(request: HttpRequest, round: Round) -> list[dict]:
    counted = (
        Report.objects.filter(round=round, status=ReportStatus.PUBLISHED)
        .values_list("country")
        .annotate(reports=Count("pk"))
        .order_by()
    )
    rows = [
        {
            "code": code,
            "name": country_name(code),
            "reports": reports,
            "url": _absolute(request, reverse("codereports:country", kwargs={"code": code})),
        }
        for code, reports in counted
    ]
    return sorted(rows, key=lambda row: row["name"].casefold())


@router.get("/rounds", response=RoundPageOut, summary="List the rounds of reporting, newest first")
def round_list(
    request: HttpRequest, filters: Query[LanguageFilter], pagination: Query[CursorPagination.Input]
):
    """By number, newest first, each with its number of published civil-society reports and
    countries."""
    api_language(filters.lang)
    return _page(
        _round_pages, queries.rounds_with_counts(), pagination, request, lambda item: _round(request, item)
    )


@router.get("/rounds/{number}", response=RoundDetailOut, summary="One round of reporting")
def round_detail(
    request: HttpRequest, filters: Query[LanguageFilter], number: int = Path(..., ge=1, le=MAX_ROUND)
):
    """With the dashboard's table of countries and the addresses of the exports."""
    api_language(filters.lang)
    round = _round_or_404(number)
    exports = None
    if round.questionnaire_id is not None:
        exports = {
            fmt: _absolute(
                request, reverse("codereports:round_export", kwargs={"number": round.number, "fmt": fmt})
            )
            for fmt in EXPORT_FORMATS
        }
    return {
        **_round(request, round),
        "notes": round.notes,
        "questionnaire": round.questionnaire.slug if round.questionnaire else None,
        "reports_url": _absolute(request, reverse("api:code_report_list", kwargs={"number": round.number})),
        "exports": exports,
        "dashboard": _dashboard(request, round),
    }


@router.get(
    "/rounds/{number}/reports",
    response=ReportPageOut,
    summary="The published reports of a round, by country code, organisation and id",
    url_name="code_report_list",
)
def report_list(
    request: HttpRequest,
    filters: Query[ReportFilters],
    pagination: Query[CursorPagination.Input],
    number: int = Path(..., ge=1, le=MAX_ROUND),
):
    """50 a page by default; `country` keeps the reports on one country, as on the round's
    dashboard. The round's `published_reports` counts them."""
    api_language(filters.lang)
    round = _round_or_404(number)
    reports = queries.published_reports(round)
    if filters.country:
        reports = reports.filter(country=filters.country)
    reports = _with_numbers(reports).annotate(country_code=F("country"))
    return _page(_report_pages, reports, pagination, request, lambda item: _report(request, item))


@router.get("/reports/{report_id}", response=ReportOut, summary="One published report")
def report_detail(
    request: HttpRequest, filters: Query[LanguageFilter], report_id: int = Path(..., ge=1, le=MAX_ID)
):
    api_language(filters.lang)
    report = queries.published_report(report_id)
    if report is None:
        raise Http404("No published report has this id")
    return _report(request, report)
