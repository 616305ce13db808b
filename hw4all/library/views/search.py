"""The library's search page: one box, facets as links, results ranked with their snippets."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .. import queries
from ..search import FACETS

RESULTS_ID = "library-results"
FACET_HEADINGS = {
    "kind": _("Kind"),
    "language": _("Language"),
    "country": _("Country"),
    "region": _("Region"),
    "topic": _("Topic"),
    "year": _("Year"),
}
# Facets with more values than this show the rest behind "More".
FACET_SHOWN = 8


@dataclass(frozen=True)
class FacetLink:
    value: queries.FacetValue
    url: str


@dataclass(frozen=True)
class FacetBlock:
    name: str
    heading: str
    shown: list[FacetLink]
    more: list[FacetLink]


def _url(params: QueryDict) -> str:
    encoded = params.urlencode()
    return reverse("library:index") + (f"?{encoded}" if encoded else "")


def _toggled(params: QueryDict, name: str, value: str) -> str:
    """The page's address with one facet value added or removed, back on the first page."""
    changed = params.copy()
    changed.pop("page", None)
    values = changed.getlist(name)
    changed.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return _url(changed)


def _facet_blocks(params: QueryDict, facets: list[queries.Facet]) -> list[FacetBlock]:
    blocks = []
    for facet in facets:
        if not facet.values:
            continue
        links = [FacetLink(value, _toggled(params, facet.name, value.value)) for value in facet.values]
        # Selected values stay in view even when they would fall behind "More".
        shown = links[:FACET_SHOWN] + [link for link in links[FACET_SHOWN:] if link.value.selected]
        more = [link for link in links[FACET_SHOWN:] if not link.value.selected]
        blocks.append(FacetBlock(facet.name, str(FACET_HEADINGS[facet.name]), shown, more))
    return blocks


def _page_number(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 100_000))
    except ValueError:
        return 1


@require_safe
def library_index(request: HttpRequest) -> HttpResponse:
    params = request.GET
    result = queries.library_search(
        query=params.get("q", "")[: 10 * 1024],
        filters={name: params.getlist(name) for name in FACETS},
        sort=params.get("sort", ""),
        page=_page_number(params.get("page")),
    )
    paginator = Paginator(range(result.total), queries.PER_PAGE)
    cleared = QueryDict(mutable=True)
    if result.query:
        cleared["q"] = result.query
    sorted_params = {}
    for sort in ("relevance", "date"):
        changed = params.copy()
        changed.pop("page", None)
        changed["sort"] = sort
        sorted_params[sort] = _url(changed)
    context = {
        "search": result,
        "page_obj": paginator.get_page(result.page),
        "facet_blocks": _facet_blocks(params, result.facets),
        "clear_url": _url(cleared),
        "sort_urls": sorted_params,
        "results_id": RESULTS_ID,
    }
    fragment = request.htmx and (not request.htmx.boosted or request.htmx.target == RESULTS_ID)
    template = "library/includes/search_results.html" if fragment else "library/index.html"
    response = render(request, template, context)
    # The same address answers a whole page or only the results: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
