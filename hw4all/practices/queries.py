"""Reads of the practices' eligibility criteria and of the published case studies."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

from django.db.models import QuerySet
from django_countries import countries

from .facetindex import FacetIndex, facet_index
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


# The published case studies, filtered. The public listing reads them through the facet index
# (facetindex.py); the API and the country pages filter in the database, each facet a subquery on
# the CaseFacet rows' (facet, value, case) index: either way a page costs the same number of
# queries however many cases are published.

PER_PAGE = 20
# The columns a card of the listing shows.
CARD_FIELDS = (
    "title",
    "slug",
    "summary",
    "countries",
    "levels",
    "themes",
    "status",
    "outcome",
    "published_at",
)
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


def _conditions(filters: CaseFilters) -> list[QuerySet]:
    """One subquery of case ids per active choice. CaseFacet rows exist only for published
    cases, so a facet's subquery also says "published"."""
    conditions: list[QuerySet] = [
        CaseFacet.objects.filter(facet=facet, value__in=values).values("case_id")
        for facet, values in filters.selected.items()
        if values
    ]
    if filters.validated:
        # Published is already implied by the listing's own filter or by the facet rows.
        conditions.append(CaseStudy.objects.filter(status=CaseStatus.VALIDATED).values("pk"))
    return conditions


def _cases(filters: CaseFilters) -> QuerySet[CaseStudy]:
    cases = _published()
    for condition in _conditions(filters):
        cases = cases.filter(pk__in=condition)
    return cases


def cases_published(filters: CaseFilters) -> QuerySet[CaseStudy]:
    """The listing's cases, newest first, with only the columns a card shows. Ordered exactly as
    the (is_published, published_at DESC) index is (ties by id), so a page reads its rows from
    the index without sorting them all."""
    return _cases(filters).order_by("-published_at", "pk").only(*CARD_FIELDS)


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class CaseListing(Sequence[CaseStudy]):
    """The public listing for one filter choice, read from the facet index: its length and
    counts cost no query, a page of it one. A Paginator takes it as its object list."""

    filters: CaseFilters
    facets: FacetIndex
    cases: int

    @property
    def generation(self) -> int:
        return self.facets.generation

    def __len__(self) -> int:
        return self.cases.bit_count()

    def __iter__(self) -> Iterator[CaseStudy]:
        # One query for all, rather than Sequence's one per case.
        return iter(self[:])

    @overload
    def __getitem__(self, key: int) -> CaseStudy: ...

    @overload
    def __getitem__(self, key: slice) -> list[CaseStudy]: ...

    def __getitem__(self, key: int | slice) -> CaseStudy | list[CaseStudy]:
        if isinstance(key, int):
            one = self[key : key + 1] if key >= 0 else []
            if not one:
                raise IndexError(key)
            return one[0]
        start, stop, _step = key.indices(len(self))
        ids = self.facets.ids_at(self.cases, start, stop)
        # By id alone (the published index would have SQLite read every published row), then
        # published again here: a case unpublished since the index was built is never shown.
        found = CaseStudy.objects.only(*CARD_FIELDS, "is_published").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found and found[pk].is_published]

    def facet_counts(self) -> dict[str, list[FacetCount]]:
        """For each facet, how many cases each value would give: the other facets' choices
        apply, the facet's own do not (so choosing a second country adds to the first). Values
        without a case are left out unless chosen."""
        counts: dict[str, list[FacetCount]] = {}
        for facet in FACETS:
            within = self.facets.matching(
                self.filters.selected, validated=self.filters.validated, ignore=facet
            )
            found = self.facets.counts(facet, within)
            chosen = self.filters.selected.get(facet, ())
            counts[facet] = [
                FacetCount(value, found.get(value, 0), value in chosen)
                for value in dict.fromkeys([*found, *chosen])
            ]
        return counts

    def validated_count(self) -> int:
        within = self.facets.matching(self.filters.selected, validated=False)
        return (within & self.facets.validated).bit_count()


def cases_listed(filters: CaseFilters) -> CaseListing:
    """The public listing's cases, newest first (as cases_published), through the facet index."""
    index = facet_index()
    return CaseListing(filters, index, index.matching(filters.selected, validated=filters.validated))


def case_for_page(*, pk: int) -> CaseStudy | None:
    """A case with what its public page and PDF show, published or not (the view decides who may
    see it)."""
    return (
        CaseStudy.objects.select_related("organisation", "criteria_version__criteria_set")
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
