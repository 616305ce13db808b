"""Published case studies as JSON: the list with the public page's filters, and one case with
its sections and attachments; each with its validation record when it was validated."""

import datetime
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django_countries import countries
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from hw4all.core.apilanguage import api_language
from hw4all.core.apipagination import CursorPagination
from hw4all.core.sanitize import html_sanitize

from . import outcomes, queries
from .models import (
    CODE_ARTICLES,
    CaseStatus,
    CaseStudy,
    FacetKind,
    Level,
    Theme,
)

router = Router(tags=["practices"])

MAX_VALUES = 50
MAX_ID = 2**63 - 1  # BigAutoField's largest: a larger id is a 422 here, not a database error

ResultValue = Literal["best_practice", "promising_practice", "case_study"]
VALIDATED_RESULTS = (
    outcomes.Result.BEST_PRACTICE,
    outcomes.Result.PROMISING_PRACTICE,
    outcomes.Result.CASE_STUDY,
)
Article = Annotated[int, Field(ge=1, le=len(CODE_ARTICLES))]


class CaseFilters(Schema):
    country: list[str] = Field(
        [], description="ISO 3166 alpha-2 codes, such as KE (any of them)", max_length=MAX_VALUES
    )
    theme: list[Theme] = Field([], description="Themes (any of them)", max_length=MAX_VALUES)
    article: list[Article] = Field(
        [], description="Articles of the WHO Code, 1 to 10 (any of them)", max_length=MAX_VALUES
    )
    level: list[Level] = Field([], description="Levels (any of them)", max_length=MAX_VALUES)
    validated: bool | None = Field(
        None,
        description="true: validated practices only (they carry the badge); false: case studies "
        "published without validation; absent: both",
    )
    lang: str | None = Field(
        None,
        description="Language code (en, fr, es, pt, ...) of the labels, such as the validation "
        "result's; the cases are written in one language and given as written",
        max_length=10,
    )

    @field_validator("country")
    @classmethod
    def countries_known(cls, value: list[str]) -> list[str]:
        codes = [code.strip().upper() for code in value]
        unknown = [code for code in codes if code not in countries]
        if unknown:
            shown = ", ".join(repr(code[:10]) for code in unknown[:5])
            raise ValueError(f"Unknown country code {shown}: give ISO 3166 alpha-2 codes, such as KE")
        return codes


class OrganisationOut(Schema):
    name: str
    url: str = Field(description="Absolute address of the organisation's page in the directory")


class ResultOut(Schema):
    value: ResultValue
    label: str


class ValidationOut(Schema):
    criteria_set: str | None = Field(description="The eligibility criteria the case was judged by")
    criteria_version: int | None = Field(description="The number of that criteria set's version")
    result: ResultOut
    core_percent: float | None
    qualifier_percent: float | None
    reviews_counted: int | None
    decided_at: datetime.datetime | None


class CaseOut(Schema):
    id: int
    title: str
    url: str = Field(description="Absolute address of the case's page")
    summary: str
    countries: list[str] = Field(description="ISO 3166 alpha-2 codes")
    levels: list[Level]
    themes: list[Theme]
    code_articles: list[int] = Field(description="Articles of the WHO Code the case addresses")
    organisation: OrganisationOut = Field(description="The submitting organisation")
    published_at: datetime.datetime
    validated: bool = Field(description="Validated against the eligibility criteria (the badge)")
    validation: ValidationOut | None = Field(description="The validation record; null when not validated")


class SectionOut(Schema):
    name: str = Field(description="context, practice, results, costs, lessons, transferability or sources")
    heading: str
    html: str = Field(description="Sanitised HTML")


class AttachmentOut(Schema):
    title: str
    is_image: bool
    size: int = Field(description="Bytes")
    url: str = Field(description="Absolute download address")


class CaseDetailOut(CaseOut):
    actors: str
    sections: list[SectionOut] = Field(description="The narrative sections that have text, in reading order")
    attachments: list[AttachmentOut]
    pdf_url: str = Field(description="Absolute address of the case as a PDF")


# What the list shows: the sections' text stays in the database.
LIST_FIELDS = (
    "title",
    "slug",
    "summary",
    "countries",
    "levels",
    "themes",
    "code_articles",
    "status",
    "outcome",
    "core_percent",
    "qualifier_percent",
    "reviews_counted",
    "decided_at",
    "is_published",
    "published_at",
    "organisation__name",
    "organisation__slug",
    "criteria_version__number",
    "criteria_version__criteria_set__name",
)


def _cases_published(filters: CaseFilters) -> QuerySet[CaseStudy]:
    """The public listing's query (newest first; each facet one subquery on CaseFacet, so the
    number of queries does not grow with the cases), plus the API's `validated=false`."""
    selected = {
        FacetKind.COUNTRY: filters.country,
        FacetKind.THEME: [str(theme.value) for theme in filters.theme],
        FacetKind.ARTICLE: [str(number) for number in filters.article],
        FacetKind.LEVEL: [str(level.value) for level in filters.level],
    }
    cases = queries.cases_published(
        queries.CaseFilters(
            selected={str(facet): tuple(values) for facet, values in selected.items()},
            validated=filters.validated is True,
        )
    )
    if filters.validated is False:
        cases = cases.exclude(status=CaseStatus.VALIDATED)
    # The cursor needs a date on every row; publishing sets it.
    cases = cases.filter(published_at__isnull=False)
    return cases.select_related("organisation", "criteria_version__criteria_set").only(*LIST_FIELDS)


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _validation(case: CaseStudy) -> dict | None:
    # A validated case has an eligible outcome (the services refuse to validate any other).
    if not case.is_validated or case.outcome not in VALIDATED_RESULTS:
        return None
    result = outcomes.Result(case.outcome)
    version = case.criteria_version
    return {
        "criteria_set": version.criteria_set.name if version else None,
        "criteria_version": version.number if version else None,
        "result": {"value": result.name.lower(), "label": result.label},
        "core_percent": case.core_percent,
        "qualifier_percent": case.qualifier_percent,
        "reviews_counted": case.reviews_counted,
        "decided_at": case.decided_at,
    }


def _case(request: HttpRequest, case: CaseStudy) -> dict:
    organisation = case.organisation
    return {
        "id": case.pk,
        "title": case.title,
        "url": _absolute(request, case.get_absolute_url()),
        "summary": case.summary,
        "countries": [str(country) for country in case.countries],
        # Only the known values: the lists are JSON, checked by the services when written.
        "levels": [value for value in case.levels if value in Level.values],
        "themes": [value for value in case.themes if value in Theme.values],
        "code_articles": [number for number in case.code_articles if number in CODE_ARTICLES],
        "organisation": {
            "name": organisation.name,
            "url": _absolute(request, organisation.get_absolute_url()),
        },
        "published_at": case.published_at,
        "validated": case.is_validated,
        "validation": _validation(case),
    }


class CasePagination(CursorPagination):
    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_case(request, case) for case in page["items"]]
        return page


@router.get("/cases", response=list[CaseOut], summary="List published case studies, newest first")
@paginate(CasePagination, ordering=("-published_at", "pk"))
def case_list(request: HttpRequest, filters: Query[CaseFilters]):
    """Newest published first, then by id, as the public listing. Filters of different names
    must all hold; the values of one filter are alternatives. Drafts, cases in review and
    withdrawn cases are never listed."""
    api_language(filters.lang)
    return _cases_published(filters)


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One published case study")
def case_detail(request: HttpRequest, case_id: int = Path(..., ge=1, le=MAX_ID)):
    case = queries.case_for_page(pk=case_id)
    if case is None or not case.is_published:
        raise Http404("No published case study has this id")
    return {
        **_case(request, case),
        "actors": case.actors,
        "sections": [
            {"name": name, "heading": heading, "html": html_sanitize(html)}
            for name, heading, html in case.sections()
        ],
        "attachments": [
            {
                "title": attachment.title,
                "is_image": attachment.is_image,
                "size": attachment.size,
                "url": _absolute(
                    request, reverse("practices:attachment", kwargs={"pk": case.pk, "file_id": attachment.pk})
                ),
            }
            for attachment in case.attachments.all()
        ],
        "pdf_url": _absolute(
            request, reverse("practices:case_pdf", kwargs={"pk": case.pk, "slug": case.slug or "case"})
        ),
    }
