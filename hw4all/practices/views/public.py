"""The visitors' pages: published case studies filtered by country (also on a map), theme, WHO
Code article and level; one case as a page and as a PDF; its attachments."""

from __future__ import annotations

import functools
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypeVar
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.views.decorators.http import require_safe
from django_countries import countries

from hw4all.core.map import choropleth_svg
from hw4all.core.pagecache import page_generation
from hw4all.core.pagination import paginate

from .. import queries
from ..models import CODE_ARTICLES, CaseAttachment, CaseStudy, FacetKind, Level, Theme, code_article_label
from ..outcomes import Result

VIEW = "practices.view_case"
R = TypeVar("R", bound=HttpResponseBase)
RESULTS_ID = "practices-results"
# A new publication starts a new page generation; this only bounds how long unused copies stay.
FACETS_CACHE_SECONDS = 3600
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
        # and the template engine took most of the page's time over them.
        return format_html_join(
            "",
            '<div class="practices-filter__option"><input type="checkbox" id="filter-{0}-{1}" name="{0}" '
            'value="{1}"{2}><label for="filter-{0}-{1}">{3} <span class="practices-filter__count">({4})</span>'
            "</label></div>",
            (
                (
                    self.name,
                    option.value,
                    mark_safe(" checked") if option.selected else "",
                    option.label,
                    option.count,
                )
                for option in self.options
            ),
        )


@functools.lru_cache(maxsize=16)
def _country_names_in(language: str | None) -> dict[str, str]:
    return {code: str(name) for code, name in countries}


def _label(facet: str, value: str) -> str:
    if facet == FacetKind.COUNTRY:
        return _country_names_in(get_language()).get(value, value)
    if facet == FacetKind.THEME:
        return str(Theme(value).label)
    if facet == FacetKind.LEVEL:
        return str(Level(value).label)
    return code_article_label(int(value))


def _order(facet: str) -> list[str]:
    """The values in the order a visitor reads them: countries by name, the rest as listed."""
    if facet == FacetKind.THEME:
        return list(Theme.values)
    if facet == FacetKind.LEVEL:
        return list(Level.values)
    if facet == FacetKind.ARTICLE:
        return [str(number) for number in CODE_ARTICLES]
    return []


def _facet_blocks(counts: dict[str, list[queries.FacetCount]]) -> list[FacetBlock]:
    blocks = []
    for facet in queries.FACETS:
        options = [Option(c.value, _label(facet, c.value), c.count, c.selected) for c in counts[facet]]
        order = _order(facet)
        if order:
            options.sort(key=lambda option: order.index(option.value))
        else:
            options.sort(key=lambda option: option.label.casefold())
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
    # A multiple CountryField reads as a list of Country objects, in the order of their codes.
    names = [str(country.name) for country in case.countries]  # type: ignore[attr-defined]
    return sorted(names, key=str.casefold)


@dataclass(frozen=True)
class CaseCard:
    case: CaseStudy
    url: str
    badge: str
    country_names: list[str]


def _facets_html(filters: queries.CaseFilters, path: str) -> dict[str, str]:
    """The map, the table by country and the filters with their counts, as HTML.

    They depend only on the published cases, the filters and the language, and cost more than
    the rest of the page (four counts over every published case, some 170 map shapes, an option
    per country): they are kept in the cache until the next publication changes the page
    generation."""
    pairs = sorted(_filters_pairs(filters))
    digest = hashlib.sha256(repr(pairs).encode()).hexdigest()[:32]
    key = f"practices:facets:{page_generation()}:{get_language()}:{digest}"
    fragments = cache.get(key)
    if fragments is not None:
        return fragments
    counts = queries.case_facet_counts(filters)
    others = _filters_pairs(filters, without=FacetKind.COUNTRY)
    by_country = sorted(
        (
            (_country_names_in(get_language()).get(c.value, c.value), c.value, c.count)
            for c in counts[FacetKind.COUNTRY]
            if c.count
        ),
        key=lambda row: str(row[0]).casefold(),
    )
    map_svg = choropleth_svg(
        [(code, count) for _name, code, count in by_country],
        label=lambda name, count: _map_label(get_language(), count) % {"country": name, "count": count},
        link=lambda code: _url(path, [*others, (FacetKind.COUNTRY, code)]),
        css_class="practices-map",
    )
    context = {
        "filters": filters,
        "results_id": RESULTS_ID,
        "clear_url": path,
        "facet_blocks": _facet_blocks(counts),
        "validated_count": queries.cases_validated_count(filters),
        "map_svg": map_svg,
        "by_country": [
            (name, count, _url(path, [*others, (FacetKind.COUNTRY, code)]))
            for name, code, count in by_country
        ],
    }
    fragments = {
        "countries_html": render_to_string("practices/includes/public_countries.html", context),
        "filters_html": render_to_string("practices/includes/public_filters.html", context),
    }
    cache.set(key, fragments, FACETS_CACHE_SECONDS)
    return fragments


@require_safe
def case_index(request: HttpRequest) -> HttpResponse:
    params = request.GET
    filters = queries.case_filters_parse(
        {name: params.getlist(name)[:50] for name in queries.FACETS},
        validated=params.get("validated") in ("1", "on"),
    )
    path = reverse("practices:index")
    page_obj = paginate(queries.cases_published(filters), params.get("page", "")[:20], queries.PER_PAGE)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "cards": [
            CaseCard(
                case,
                case.get_absolute_url(),
                badge_label(case),
                _country_names(case),
            )
            for case in page_obj
        ],
        **_facets_html(filters, path),
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
