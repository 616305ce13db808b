"""The library's search page: one box, facets as links, results ranked with their snippets."""

import functools
import html
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hw4all.core.faults import RETRY_AFTER_SECONDS

from .. import queries
from ..search import FACETS, SearchUnavailable

RESULTS_ID = "library-results"
FACET_HEADINGS = {
    "kind": gettext_lazy("Kind"),
    "language": gettext_lazy("Language"),
    "country": gettext_lazy("Country"),
    "region": gettext_lazy("Region"),
    "topic": gettext_lazy("Topic"),
    "year": gettext_lazy("Year"),
}
# Facets with more values than this show the rest behind "More".
FACET_SHOWN = 8


@functools.lru_cache(maxsize=4096)
def _count_text(language: str | None, count: int) -> str:
    # A page holds about a hundred counts, mostly small numbers seen on every page.
    return ngettext("%(count)s resource", "%(count)s resources", count) % {"count": count}


@dataclass(frozen=True)
class FacetLink:
    value: queries.FacetValue
    url: str

    def html(self) -> SafeString:
        """The link as a list item. Built here rather than in a template, and with the standard
        library's escaping rather than format_html: a page holds about a hundred of them, and the
        template engine costs ten times as much for each, format_html three times."""
        value = self.value
        url = html.escape(self.url)
        count = html.escape(_count_text(get_language(), value.count))
        if value.selected:
            current = ' aria-current="true"'
            selected = (
                '<span aria-hidden="true">✓ </span>'
                f'<span class="visually-hidden">{html.escape(_("Selected:"))} </span>'
            )
        else:
            current = selected = ""
        return mark_safe(  # noqa: S308 - every value escaped above
            f'<li><a href="{url}" hx-get="{url}" rel="nofollow"{current}>{selected}{html.escape(value.label)}'
            f' <span class="library-facet__count" aria-hidden="true">({value.count})</span>'
            f'<span class="visually-hidden"> ({count})</span></a></li>'
        )


def _result_html(item: queries.ResultItem, languages_label: str) -> str:
    """One result as a card in the list, built here for the same reason as the facet links: the
    twenty cards cost the template engine more than the search that found them."""
    meta = f'<span class="badge">{html.escape(item.kind_label())}</span>'
    if item.year:
        meta += f" · {item.year}"
    if names := item.author_names():
        meta += f" · {html.escape('; '.join(names))}"
    if languages := item.language_names():
        meta += (
            f' · <span class="visually-hidden">{html.escape(languages_label)} </span>'
            f"{html.escape(', '.join(languages))}"
        )
    # The index marks the matched words with <mark> and escapes everything else.
    snippet = f'<p class="library-result__snippet">{item.snippet}</p>' if item.snippet else ""
    return (
        f'<li><article class="card library-result"><h3 class="card__title">'
        f'<a href="{html.escape(item.url())}">{html.escape(item.title)}</a></h3>'
        f'<p class="card__meta">{meta}</p>{snippet}</article></li>'
    )


@dataclass(frozen=True)
class FacetBlock:
    name: str
    heading: str
    shown: list[FacetLink]
    more: list[FacetLink]


def _url(path: str, pairs: list[tuple[str, str]]) -> str:
    return path + (f"?{urlencode(pairs)}" if pairs else "")


def _toggled(path: str, encoded: list[tuple[tuple[str, str], str]], name: str, value: str) -> str:
    """The page's address with one facet value added or removed, back on the first page.
    `encoded` pairs each query parameter with its encoded form, made once for all the links."""
    pair = (name, value)
    parts = [text for each, text in encoded if each != pair]
    if len(parts) == len(encoded):
        parts.append(urlencode([pair]))
    return path + ("?" + "&".join(parts) if parts else "")


def _facet_blocks(path: str, params: QueryDict, facets: list[queries.Facet]) -> list[FacetBlock]:
    encoded = [
        ((key, value), urlencode([(key, value)]))
        for key, values in params.lists()
        if key != "page"
        for value in values
    ]
    blocks = []
    for facet in facets:
        if not facet.values:
            continue
        links = [FacetLink(value, _toggled(path, encoded, facet.name, value.value)) for value in facet.values]
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
    path = reverse("library:index")
    query = params.get("q", "")[: 10 * 1024]
    try:
        result = queries.library_search(
            query=query,
            filters={name: params.getlist(name) for name in FACETS},
            sort=params.get("sort", ""),
            page=_page_number(params.get("page")),
        )
    except SearchUnavailable as unavailable:
        # The rest of the site works: the page keeps its header and the visitor's words.
        response = render(
            request,
            "library/search_unavailable.html",
            {"message": unavailable.message, "query": query},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    paginator = Paginator(range(result.total), queries.PER_PAGE)
    others = [
        (key, value) for key, values in params.lists() if key not in ("page", "sort") for value in values
    ]
    sort_urls = {sort: _url(path, [*others, ("sort", sort)]) for sort in ("relevance", "date")}
    context = {
        "search": result,
        "page_obj": paginator.get_page(result.page),
        "facet_blocks": _facet_blocks(path, params, result.facets),
        "result_cards": mark_safe(  # noqa: S308 - each card escapes its values
            "".join(_result_html(item, _("Languages:")) for item in result.items)
        ),
        "clear_url": _url(path, [("q", result.query)] if result.query else []),
        "sort_urls": sort_urls,
        "results_id": RESULTS_ID,
    }
    fragment = request.htmx and (not request.htmx.boosted or request.htmx.target == RESULTS_ID)
    template = "library/includes/search_results.html" if fragment else "library/index.html"
    response = render(request, template, context)
    # The same address answers a whole page or only the results: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
