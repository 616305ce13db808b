"""The visitors' pages: published case studies filtered by country (also on a map), theme, WHO
Code article and level; one case as a page and as a PDF; its attachments."""

from __future__ import annotations

import functools
import mimetypes
import threading
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from pathlib import PurePosixPath
from typing import TypeVar
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hw4all.core.countries import country_names
from hw4all.core.map import choropleth_svg
from hw4all.core.pagination import paginate

from .. import queries
from ..models import CODE_ARTICLES, CaseAttachment, CaseStudy, FacetKind, Level, Theme, code_article_label
from ..outcomes import Result

VIEW = "practices.view_case"
R = TypeVar("R", bound=HttpResponseBase)
RESULTS_ID = "practices-results"
# The summary's length on a card, in words (the template's truncatewords:60 before).
SUMMARY_WORDS = 60
# The filter combinations whose map and filters each process keeps (some 60 KB each).
FACETS_KEPT = 64
FACET_HEADINGS = {
    FacetKind.COUNTRY: gettext_lazy("Country"),
    FacetKind.THEME: gettext_lazy("Theme"),
    FacetKind.ARTICLE: gettext_lazy("WHO Code article"),
    FacetKind.LEVEL: gettext_lazy("Level"),
}
# Attachments a browser may show in the page; every other file is saved, never displayed.
INLINE_IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
# How the PDF's template names an attachment; the PDF's fetcher reads nothing else.
PDF_MEDIA_SCHEME = "hw4all-media:"


def badge_label(case: CaseStudy) -> str:
    """The validation badge's text, or "" for a case published without validation."""
    if not case.is_validated or case.outcome is None:
        return ""
    try:
        return Result(case.outcome).label
    except ValueError:
        return ""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetBlock:
    name: str
    heading: str
    options: list[Option]

    def options_html(self) -> SafeString:
        # Built here rather than in a template loop: a filter lists up to some 200 countries,
        # and the template engine took most of the page's time over them. Every value and label
        # is escaped; html.escape is used as format_html would, without its per-argument cost.
        name = escape(self.name)
        return mark_safe(  # noqa: S308 - every part is escaped or a constant
            "".join(
                f'<div class="practices-filter__option"><input type="checkbox" id="filter-{name}-{value}" '
                f'name="{name}" value="{value}"{" checked" if option.selected else ""}><label '
                f'for="filter-{name}-{value}">{escape(option.label)} <span class="practices-filter__count">'
                f"({int(option.count)})</span></label></div>"
                for option in self.options
                for value in (escape(option.value),)
            )
        )


@functools.lru_cache(maxsize=16)
def _labels_in(language: str | None) -> dict[str, dict[str, str]]:
    """Every value's label in the language, the order of the values being the reading order
    (countries are sorted by name where they are shown)."""
    return {
        FacetKind.COUNTRY: country_names(language),
        FacetKind.THEME: {str(theme.value): str(theme.label) for theme in Theme},
        FacetKind.ARTICLE: {str(number): code_article_label(number) for number in CODE_ARTICLES},
        FacetKind.LEVEL: {str(level.value): str(level.label) for level in Level},
    }


def _facet_blocks(counts: dict[str, list[queries.FacetCount]]) -> list[FacetBlock]:
    labels = _labels_in(get_language())
    blocks = []
    for facet in queries.FACETS:
        known = labels[facet]
        options = [Option(c.value, known.get(c.value, c.value), c.count, c.selected) for c in counts[facet]]
        if facet == FacetKind.COUNTRY:
            options.sort(key=lambda option: option.label.casefold())
        else:
            order = {value: position for position, value in enumerate(known)}
            options.sort(key=lambda option: order.get(option.value, len(order)))
        if options:
            blocks.append(FacetBlock(str(facet), str(FACET_HEADINGS[facet]), options))
    return blocks


@functools.lru_cache(maxsize=1024)
def _map_label(language: str | None, count: int) -> str:
    # The map labels every country (about 170), mostly with the same few counts.
    return ngettext("%(country)s: %(count)s case study", "%(country)s: %(count)s case studies", count)


def _url(path: str, pairs: list[tuple[str, str]]) -> str:
    return path + (f"?{urlencode(pairs)}" if pairs else "")


def _filters_pairs(filters: queries.CaseFilters, *, without: str = "") -> list[tuple[str, str]]:
    pairs = [
        (facet, value) for facet, values in filters.selected.items() if facet != without for value in values
    ]
    if filters.validated:
        pairs.append(("validated", "1"))
    return pairs


def _country_names(case: CaseStudy) -> list[str]:
    # A multiple CountryField reads as a list of Country objects, in the order of their codes;
    # their names are taken from the language's list rather than translated one by one.
    names = country_names(get_language())
    codes = [country.code for country in case.countries]  # type: ignore[attr-defined]
    return sorted((names.get(code, code) for code in codes), key=str.casefold)


@dataclass(frozen=True)
class CaseCard:
    case: CaseStudy
    url: str
    badge: str
    country_names: list[str]

    def html(self, labels: dict[str, dict[str, str]], words: dict[str, str]) -> str:
        """The card in the results list, built here rather than in a template loop: the twenty
        cards cost the template engine more than the rest of the page. Every value is escaped."""
        case = self.case
        if self.badge:
            badge = (
                f'<span class="badge practices-badge"><span class="visually-hidden">'
                f"{escape(words['validated'])} </span>{escape(self.badge)}</span>"
            )
        else:
            badge = f'<span class="badge">{escape(words["not_validated"])}</span>'
        summary = (
            f"<p>{escape(Truncator(case.summary).words(SUMMARY_WORDS, truncate=' …'))}</p>"
            if case.summary
            else ""
        )
        facts = "".join(
            f"<dt>{escape(words[term])}</dt><dd>{escape(', '.join(values))}</dd>"
            for term, values in (
                ("countries", self.country_names),
                ("level", [labels[FacetKind.LEVEL][v] for v in case.levels if v in labels[FacetKind.LEVEL]]),
                ("themes", [labels[FacetKind.THEME][v] for v in case.themes if v in labels[FacetKind.THEME]]),
            )
            if values
        )
        return (
            f'<li><article class="card practices-card"><p class="card__meta">{badge}</p>'
            f'<h3 class="card__title"><a href="{escape(self.url)}">{escape(case.title)}</a></h3>'
            f'{summary}<dl class="practices-card__facts">{facts}</dl></article></li>'
        )


def _cards_html(cards: list[CaseCard]) -> SafeString:
    labels = _labels_in(get_language())
    words = {
        "validated": _("Validated:"),
        "not_validated": _("Case study (not validated)"),
        "countries": _("Countries"),
        "level": _("Level"),
        "themes": _("Themes"),
    }
    return mark_safe("".join(card.html(labels, words) for card in cards))  # noqa: S308 - escaped


_fragments: OrderedDict[tuple, dict[str, str]] = OrderedDict()
_fragments_lock = threading.Lock()


def _facets_html(listing: queries.CaseListing, path: str) -> dict[str, str]:
    """The map, the table by country and the filters with their counts, as HTML.

    They depend only on the published cases, the filters and the language, and cost more than
    the rest of the page (some 170 map shapes, an option per country): each process keeps the
    latest ones, for the facet index's generation. Not the shared cache: writing a copy there
    cost about as much as making it."""
    filters = listing.filters
    language = get_language()
    key = (listing.generation, language, tuple(sorted(_filters_pairs(filters))))
    with _fragments_lock:
        fragments = _fragments.get(key)
        if fragments is not None:
            _fragments.move_to_end(key)
            return fragments
    counts = listing.facet_counts()
    # A country's address is the others' choices plus the country (a code needs no quoting).
    others = _url(path, _filters_pairs(filters, without=FacetKind.COUNTRY))
    country_url = f"{others}{'&' if '?' in others else '?'}{FacetKind.COUNTRY}="
    names = country_names(language)
    by_country = sorted(
        ((names.get(c.value, c.value), c.value, c.count) for c in counts[FacetKind.COUNTRY] if c.count),
        key=lambda row: str(row[0]).casefold(),
    )
    map_svg = choropleth_svg(
        [(code, count) for _name, code, count in by_country],
        label=lambda name, count: _map_label(language, count) % {"country": name, "count": count},
        link=lambda code: country_url + code,
        css_class="practices-map",
    )
    context = {
        "filters": filters,
        "results_id": RESULTS_ID,
        "clear_url": path,
        "facet_blocks": _facet_blocks(counts),
        "validated_count": listing.validated_count(),
        "map_svg": map_svg,
        # Built here rather than in a template loop, as the filters' options are.
        "by_country": mark_safe(  # noqa: S308 - every value is escaped
            "".join(
                f'<tr><th scope="row"><a href="{url}" hx-get="{url}" hx-target="#{RESULTS_ID}" '
                f'hx-push-url="true" rel="nofollow">{escape(name)}</a></th><td>{int(count)}</td></tr>'
                for name, code, count in by_country
                for url in (escape(country_url + code),)
            )
        ),
    }
    fragments = {
        "countries_html": render_to_string("practices/includes/public_countries.html", context),
        "filters_html": render_to_string("practices/includes/public_filters.html", context),
    }
    with _fragments_lock:
        _fragments[key] = fragments
        while len(_fragments) > FACETS_KEPT:
            _fragments.popitem(last=False)
    return fragments


@require_safe
def case_index(request: HttpRequest) -> HttpResponse:
    params = request.GET
    filters = queries.case_filters_parse(
        {name: params.getlist(name)[:50] for name in queries.FACETS},
        validated=params.get("validated") in ("1", "on"),
    )
    path = reverse("practices:index")
    listing = queries.cases_listed(filters)
    page_obj = paginate(listing, params.get("page", "")[:20], queries.PER_PAGE)
    cards = [
        CaseCard(case, case.get_absolute_url(), badge_label(case), _country_names(case)) for case in page_obj
    ]
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "cards": cards,
        "cards_html": _cards_html(cards),
        **_facets_html(listing, path),
        "clear_url": path,
        "results_id": RESULTS_ID,
    }
    fragment = request.htmx and (not request.htmx.boosted or request.htmx.target == RESULTS_ID)
    template = "practices/includes/public_results.html" if fragment else "practices/index.html"
    response = render(request, template, context)
    # The same address answers a whole page or only the results: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _case_or_404(request: HttpRequest, pk: int) -> CaseStudy:
    """A published case for everyone; an unpublished one only for its authors, its reviewers
    and the Secretariat, and as if it did not exist for anyone else."""
    case = queries.case_for_page(pk=pk)
    if case is None or not request.user.has_perm(VIEW, case):
        raise Http404
    return case


def _private(response: R, case: CaseStudy) -> R:
    # An unpublished case is shown only to some signed-in people: no cache may keep it.
    if not case.is_published:
        add_never_cache_headers(response)
    return response


def _case_context(case: CaseStudy) -> dict:
    attachments = list(case.attachments.all())
    return {
        "case": case,
        "badge": badge_label(case),
        "record": case.is_validated and case.outcome is not None,
        "country_names": _country_names(case),
        "sections": case.sections(),
        "images": [file for file in attachments if file.is_image],
        "files": [file for file in attachments if not file.is_image],
    }


@require_safe
def case_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    case = _case_or_404(request, pk)
    if slug != (case.slug or "case"):
        return redirect(case.get_absolute_url(), permanent=True)
    context = _case_context(case)
    context["pdf_url"] = reverse("practices:case_pdf", kwargs={"pk": case.pk, "slug": case.slug or "case"})
    return _private(render(request, "practices/case_detail.html", context), case)


def _pdf_fetcher(allowed: dict[str, CaseAttachment]):
    """A WeasyPrint fetcher that reads only this case's images from the storage: user-written
    HTML may name any address, and the server must never fetch it."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class CaseImagesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            attachment = (
                allowed.get(url.removeprefix(PDF_MEDIA_SCHEME)) if url.startswith(PDF_MEDIA_SCHEME) else None
            )
            if attachment is None:
                raise ValueError("Only the case's own images are included in its PDF.")
            name = attachment.file.name or ""
            with attachment.file.storage.open(name, "rb") as handle:
                body = handle.read()
            content_type = INLINE_IMAGES.get(PurePosixPath(name.lower()).suffix, "")
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return CaseImagesOnly(timeout=1, allowed_protocols=())


@require_safe
def case_pdf(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    from weasyprint import HTML

    case = _case_or_404(request, pk)
    canonical = case.slug or "case"
    if slug != canonical:
        return redirect("practices:case_pdf", pk=case.pk, slug=canonical, permanent=True)
    context = _case_context(case)
    images = {str(file.pk): file for file in context["images"]}
    context["image_sources"] = [(f"{PDF_MEDIA_SCHEME}{key}", file) for key, file in images.items()]
    context["page_url"] = request.build_absolute_uri(case.get_absolute_url())
    html = render_to_string("practices/case_pdf.html", context, request=request)
    pdf = HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_pdf_fetcher(images)
    ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{canonical}.pdf") or "inline"
    return _private(response, case)


@require_safe
def attachment_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """Pictures open in the browser; every other file is saved, and never sniffed into HTML."""
    case = _case_or_404(request, pk)
    attachment = get_object_or_404(CaseAttachment, pk=file_id, case=case)
    stored = attachment.file.name or ""
    name = PurePosixPath(stored).name
    image_type = INLINE_IMAGES.get(PurePosixPath(name.lower()).suffix) if attachment.is_image else None
    try:
        handle = attachment.file.storage.open(stored, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=image_type is None,
        filename=name,
        content_type=image_type or mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response, case)
