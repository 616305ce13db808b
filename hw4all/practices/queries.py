"""Reads of the practices' eligibility criteria and of the published case studies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django_countries import countries

from .models import (
    CODE_ARTICLES,
    CaseFacet,
    CaseStatus,
    CaseStudy,
    CriteriaSet,
    CriteriaSetVersion,
    FacetKind,
    Level,
    Theme,
    VersionStatus,
)


def criteria_versions_for_admin() -> QuerySet[CriteriaSetVersion]:
    return CriteriaSetVersion.objects.select_related("criteria_set")


def criteria_version_current(*, criteria_set: CriteriaSet) -> CriteriaSetVersion | None:
    """The set's latest published version: the one new reviews are judged by."""
    return (
        criteria_set.versions.filter(status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .prefetch_related("criteria")
        .first()
    )


# The public listing of published case studies. Every filter and count reads the CaseFacet rows
# through subqueries on their (facet, value, case) index, so a page costs the same number of
# queries however many cases are published.

PER_PAGE = 20
FACETS = (FacetKind.COUNTRY, FacetKind.THEME, FacetKind.ARTICLE, FacetKind.LEVEL)


@dataclass(frozen=True)
class CaseFilters:
    """The visitor's choices: OR within a facet, AND across facets and with `validated`."""

    selected: dict[str, tuple[str, ...]] = field(default_factory=dict)
    validated: bool = False

    @property
    def active(self) -> bool:
        return self.validated or any(self.selected.values())


def _facet_value_ok(facet: str, value: str) -> bool:
    if facet == FacetKind.COUNTRY:
        return value in countries
    if facet == FacetKind.THEME:
        return value in Theme.values
    if facet == FacetKind.LEVEL:
        return value in Level.values
    return value.isdigit() and int(value) in CODE_ARTICLES


def case_filters_parse(params: Mapping[str, Iterable[str]], *, validated: bool = False) -> CaseFilters:
    """Keeps only the values that exist (known countries, themes, levels, articles 1 to 10), each
    once: anything else in an address is ignored rather than an error."""
    selected = {}
    for facet in FACETS:
        values = (str(value).strip() for value in params.get(facet, ()))
        kept = (value.upper() if facet == FacetKind.COUNTRY else value for value in values)
        selected[str(facet)] = tuple(dict.fromkeys(v for v in kept if _facet_value_ok(facet, v)))
    return CaseFilters(selected=selected, validated=validated)


def _published() -> QuerySet[CaseStudy]:
    # "IN (true)" rather than CaseStudy.objects.published(): SQLite is given a bare boolean column
    # for the latter, which its planner does not match to the (is_published, published_at) index.
    return CaseStudy.objects.filter(is_published__in=[True])


def _conditions(filters: CaseFilters, *, ignore: str | None = None) -> list[QuerySet]:
    """One subquery of case ids per active choice, leaving out `ignore`'s. CaseFacet rows exist
    only for published cases, so a facet's subquery also says "published"."""
    conditions: list[QuerySet] = [
        CaseFacet.objects.filter(facet=facet, value__in=values).values("case_id")
        for facet, values in filters.selected.items()
        if values and facet != ignore
    ]
    if filters.validated and ignore != "validated":
        # Published is already implied by the listing's own filter or by the facet rows.
        conditions.append(CaseStudy.objects.filter(status=CaseStatus.VALIDATED).values("pk"))
    return conditions


def _cases(filters: CaseFilters, *, ignore: str | None = None) -> QuerySet[CaseStudy]:
    cases = _published()
    for condition in _conditions(filters, ignore=ignore):
        cases = cases.filter(pk__in=condition)
    return cases


def cases_published(filters: CaseFilters) -> QuerySet[CaseStudy]:
    """The listing's cases, newest first, with only the columns a card shows. Ordered exactly as
    the (is_published, published_at DESC) index is (ties by id), so a page reads its rows from
    the index without sorting them all."""
    return (
        _cases(filters)
        .order_by("-published_at", "pk")
        .only(
            "title", "slug", "summary", "countries", "levels", "themes", "status", "outcome", "published_at"
        )
    )


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool


def case_facet_counts(filters: CaseFilters) -> dict[str, list[FacetCount]]:
    """For each facet, how many cases each value would give: the other facets' choices apply,
    the facet's own do not (so choosing a second country adds to the first). Values without a
    case are left out unless chosen. Each count reads only the facet rows' index."""
    counts: dict[str, list[FacetCount]] = {}
    for facet in FACETS:
        rows = CaseFacet.objects.filter(facet=facet)
        for condition in _conditions(filters, ignore=facet):
            rows = rows.filter(case_id__in=condition)
        found = dict(rows.order_by().values_list("value").annotate(count=Count("case_id")))
        chosen = filters.selected.get(facet, ())
        counts[facet] = [
            FacetCount(value, found.get(value, 0), value in chosen)
            for value in dict.fromkeys([*found, *chosen])
        ]
    return counts


def cases_validated_count(filters: CaseFilters) -> int:
    return _cases(filters, ignore="validated").filter(status=CaseStatus.VALIDATED).count()


def case_for_page(*, pk: int) -> CaseStudy | None:
    """A case with what its public page and PDF show, published or not (the view decides who may
    see it)."""
    return (
        CaseStudy.objects.select_related("organisation", "criteria_version__criteria_set")
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
