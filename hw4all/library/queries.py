"""Reads of the library that the search page and the API share."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, gettext
from django_countries import countries

from hw4all.core.countries import country_names

from . import search
from .models import Kind, Region, Resource, ResourceAuthor, ResourceFile, Topic, TopicName

PER_PAGE = search.PER_PAGE
KIND_LABELS = dict(Kind.choices)
FACET_LABELS_ORDER = ("kind", "language", "country", "region", "topic", "year")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    values: list[FacetValue]

    @property
    def selected(self) -> bool:
        return any(value.selected for value in self.values)


@dataclass(frozen=True)
class ResultItem:
    """A result as the index holds it (the search page shows no more than this)."""

    hit: search.Hit

    @property
    def pk(self) -> int:
        return self.hit.resource_id

    @property
    def title(self) -> str:
        return self.hit.title

    @property
    def snippet(self) -> str:
        return self.hit.snippet

    @property
    def year(self) -> int | None:
        return self.hit.year

    @property
    def kind(self) -> str:
        return self.hit.kind

    @property
    def languages(self) -> list[str]:
        return list(self.hit.languages)

    def url(self) -> str:
        return reverse("library:resource_detail", kwargs={"pk": self.hit.resource_id, "slug": self.hit.slug})

    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.hit.kind, self.hit.kind))

    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.hit.languages]

    def author_names(self) -> list[str]:
        return list(self.hit.authors)


@dataclass
class LibrarySearch:
    query: str
    filters: dict[str, list[str]]
    sort: str
    items: list[ResultItem]
    total: int
    page: int
    pages: int
    facets: list[Facet] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return any(self.filters.values())


@functools.lru_cache(maxsize=4096)
def _language_name(code: str, interface: str) -> str:
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    return gettext(info["name"])


def language_name(code: str) -> str:
    """A language's name in the interface language (its code when Django does not know it)."""
    return _language_name(code, get_language() or "")


def _labels(facet: str, values: Sequence[str]) -> dict[str, str]:
    if facet == "kind":
        return {value: str(label) for value, label in KIND_LABELS.items()}
    if facet == "region":
        return {value: str(label) for value, label in Region.choices}
    if facet == "language":
        return {value: language_name(value) for value in values}
    if facet == "country":
        names = country_names(get_language())
        return {value: names.get(value, value) for value in values}
    if facet == "topic":
        names = dict(Topic.objects.filter(slug__in=list(values)).values_list("slug", "name"))
        names.update(
            TopicName.objects.filter(
                topic__slug__in=list(values), language=(get_language() or "en").split("-")[0]
            ).values_list("topic__slug", "name")
        )
        return names
    return {value: value for value in values}


def _facets(counts: Mapping[str, Mapping[str, int]], filters: Mapping[str, list[str]]) -> list[Facet]:
    facets = []
    for name in FACET_LABELS_ORDER:
        selected = set(filters.get(name, []))
        values = set(counts.get(name, {})) | selected
        labels = _labels(name, sorted(values))
        entries = [
            FacetValue(
                value=value,
                label=labels.get(value, value),
                count=counts.get(name, {}).get(value, 0),
                selected=value in selected,
            )
            for value in values
        ]
        if name == "year":
            entries.sort(key=lambda entry: entry.value, reverse=True)
        elif name == "kind":
            order = {value: index for index, value in enumerate(Kind.values)}
            entries.sort(key=lambda entry: order.get(entry.value, len(order)))
        else:
            entries.sort(key=lambda entry: (-entry.count, entry.label.casefold()))
        facets.append(Facet(name=name, values=entries))
    return facets


def library_search(
    *,
    query: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> LibrarySearch:
    """A page of the library's search: published resources with their snippets, and the facets."""
    clean_filters = {
        name: [str(value)[:100] for value in (filters or {}).get(name, []) if value][:50]
        for name in search.FACETS
    }
    result = search.search(query=query, filters=clean_filters, sort=sort, page=page, per_page=per_page)
    items = [ResultItem(hit) for hit in result.hits]
    return LibrarySearch(
        query=query,
        filters={name: values for name, values in clean_filters.items() if values},
        sort=result.sort,
        items=items,
        total=result.total,
        page=result.page,
        pages=result.pages,
        facets=_facets(result.facets, clean_filters),
    )


def resource_published(*, pk: int) -> Resource | None:
    """A published resource with what its page and the API show."""
    return (
        Resource.objects.published()
        .prefetch_related(
            Prefetch("authors", queryset=ResourceAuthor.objects.select_related("person", "organisation")),
            Prefetch("files", queryset=ResourceFile.objects.defer("text")),
            "topics__names",
        )
        .filter(pk=pk)
        .first()
    )


def resources_about_country(iso2: str) -> QuerySet[Resource]:
    """Published (approved) resources covering the country: a submission waiting for approval
    or declined is nobody's to see. None for a code that is not a country."""
    if iso2 not in countries:
        return Resource.objects.none()
    # The countries are stored as "KE,TZ": a two-letter code cannot match across the commas.
    return Resource.objects.published().filter(countries__contains=iso2)
