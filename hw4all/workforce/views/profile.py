"""Country profiles: the list of countries by WHO region, one country's profile, and its two-page
briefing as a PDF.

The figures come from `analysis.profile.country_profile` (one object the page, the PDF, the
command line and the API all read); nothing here computes one. The links to what the platform
holds about the country come from `core.country_links`, as the visitor may see them."""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries as iso_countries

from hw4all.core.country_links import country_links

from ..analysis.density import Cadre, density
from ..analysis.migration import reporting_destinations
from ..analysis.profile import Profile, country_profile, latest_year
from ..analysis.safeguard import CRITERIA, Difference, safeguard_list_year
from ..analysis.shortage import THRESHOLDS
from ..charts import Chart, ChartParameterError, chart_build
from ..charts.profile import flows_source, share_percent
from ..dataset import DOCTORS_DENSITY, NURSES_MIDWIVES_DENSITY, DataSet, Point, dataset_current
from ..models import WhoRegion
from ..names import country_name, region_name, source_text, sources_text

# The oldest year the form offers: the density series start in 1990.
FIRST_YEAR = 1990
# How many destinations or countries of training the briefing names.
BRIEFING_MIGRATION_ROWS = 5
# A briefing is made again only when the data change; a day keeps a rarely asked one from
# holding the cache for ever.
BRIEFING_CACHE_SECONDS = 24 * 3600

THRESHOLD_CHOICES = [
    ("sdg", gettext_lazy("SDG index threshold (44.5 per 10,000)")),
    ("2006", gettext_lazy("2006 threshold (22.8 per 10,000)")),
]


def _sort_key(name: str) -> str:
    """Names in alphabetical order whatever their accents (“Équateur” among the E)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _by_name(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: _sort_key(row["name"]))


# The list of countries ------------------------------------------------------------------------


class RegionForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("WHO region"), required=False)

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("All regions"))] + [
            (code, region_name(code)) for code in WhoRegion.values
        ]

    def chosen_region(self) -> str:
        """The region chosen, or "" for all (also after a refused value, which the form shows)."""
        if not self.is_valid():
            self.data = {"region": ""}
            return ""
        return self.cleaned_data["region"]


@require_safe
def countries(request: HttpRequest) -> HttpResponse:
    data = dataset_current()
    form = RegionForm(request.GET)
    chosen = form.chosen_region()
    year = latest_year(data)
    listed = data.safeguard_lists.get(safeguard_list_year(data), frozenset())
    groups: dict[str, list[dict[str, Any]]] = {}
    for country in data.member_states():
        if chosen and country.who_region != chosen:
            continue
        groups.setdefault(country.who_region, []).append(
            {
                "iso3": country.iso3,
                "name": country_name(data, country.iso3),
                "url": reverse("workforce:country", kwargs={"iso3": country.iso3.lower()}),
                "density": density(data, country.iso3, year, Cadre.COMBINED),
                "listed": country.iso3 in listed,
            }
        )
    regions = [
        {
            "code": code,
            "name": region_name(code),
            "countries": _by_name(rows),
        }
        for code, rows in sorted(groups.items(), key=lambda item: _sort_key(region_name(item[0])))
    ]
    return render(
        request,
        "workforce/profile/countries.html",
        {
            "form": form,
            "regions": regions,
            "year": year,
            "list_year": safeguard_list_year(data),
            "has_list": bool(listed),
        },
    )


# One country ----------------------------------------------------------------------------------


class ProfileForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None)
    threshold = forms.ChoiceField(label=gettext_lazy("Threshold"), choices=THRESHOLD_CHOICES, required=False)

    def __init__(self, params: Mapping[str, Any], data: DataSet) -> None:
        super().__init__(params)
        last = latest_year(data)
        spans = [data.years(code) for code in (DOCTORS_DENSITY, NURSES_MIDWIVES_DENSITY)]
        first = max(FIRST_YEAR, min((span[0] for span in spans if span), default=last))
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (year, year) for year in range(last, first - 1, -1)
        ]
        self.defaults = {"year": last, "threshold": "sdg"}

    def values(self) -> tuple[int, str]:
        """The year and threshold key asked for; the defaults for what is missing or refused
        (the form then shows the defaults beside its errors)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        chosen: dict[str, Any] = {
            name: self.defaults[name]
            if name in self.errors or cleaned.get(name) in (None, "")
            else cleaned[name]
            for name in self.fields
        }
        self.data = {name: str(value) for name, value in chosen.items()}
        return int(chosen["year"]), str(chosen["threshold"])


def _canonical(iso3: str) -> str | None:
    """The lowercase ISO3 code a country's URL uses, from any case of ISO3 or ISO2 code."""
    code = iso3.upper()
    if len(code) == 2 and code in iso_countries:
        code = iso_countries.alpha3(code) or ""
    return code.lower() if len(code) == 3 and code.isalpha() else None


def _redirect_canonical(request: HttpRequest, iso3: str, name: str) -> HttpResponseBase | None:
    canonical = _canonical(iso3)
    if canonical is None:
        raise Http404
    if canonical == iso3:
        return None
    url = reverse(name, kwargs={"iso3": canonical})
    if request.GET:
        url += "?" + request.GET.urlencode()
    return redirect(url, permanent=True)


def _chart(data: DataSet, name: str, params: dict[str, str]) -> Chart | None:
    try:
        return chart_build(data, name, params)
    except ChartParameterError:
        return None


def _difference_text(difference: Difference) -> str:
    return {
        Difference.NONE: "",
        Difference.LISTED_DENSITY_ABOVE: _("Listed, but its density is not below the criterion."),
        Difference.LISTED_UHC_ABOVE: _(
            "Listed, but its UHC service coverage index is not below the criterion."
        ),
        Difference.LISTED_BOTH_ABOVE: _(
            "Listed, but neither its density nor its UHC service coverage index is below the criteria."
        ),
        Difference.LISTED_NO_DATA: _(
            "Listed, but the data lack its density or its UHC service coverage index."
        ),
        Difference.QUALIFIES_NOT_LISTED: _("Meets both criteria, but is not on the list."),
    }[difference]


def _profile_context(data: DataSet, profile: Profile, threshold_key: str) -> dict[str, Any]:
    """What the page and the briefing both show."""
    iso3 = profile.country.iso3
    name = country_name(data, iso3)
    list_year = safeguard_list_year(data)
    criteria = CRITERIA[list_year]
    emigration = profile.emigration
    immigration = profile.immigration
    flow_refs = flows_source(data, iso3) if emigration or immigration else ()
    shortage = profile.shortage
    trend = profile.trend
    points: list[Point | None] = [
        profile.doctors_count,
        profile.nurses_midwives_count,
        profile.population,
        profile.uhc,
        shortage.population,
        profile.safeguard.uhc,
    ]
    for found in (profile.doctors, profile.nurses_midwives, profile.combined, shortage.density):
        points += list(found.points) if found else []
    if profile.safeguard.density:
        points += list(profile.safeguard.density.points)
    if trend:
        points += [*trend.start.points, *trend.end.points]
    if emigration and emigration.at_home:
        points.append(emigration.at_home)
    list_refs = [data.safeguard_sources[list_year]] if list_year in data.safeguard_sources else []
    return {
        "data": data,
        "iso3": iso3,
        "name": name,
        "region": region_name(profile.country.who_region) if profile.country.who_region else "",
        "profile": profile,
        "threshold_key": threshold_key,
        "has_density": any((profile.doctors, profile.nurses_midwives)),
        "has_any": any(
            (
                profile.doctors,
                profile.nurses_midwives,
                profile.population,
                profile.uhc,
                emigration,
                immigration,
            )
        ),
        "list_year": list_year,
        "list_loaded": list_year in data.safeguard_lists,
        "criteria": criteria,
        "difference": _difference_text(profile.safeguard.difference),
        "list_source": source_text(list_refs[0]) if list_refs else "",
        "reporting": [country_name(data, code) for code in reporting_destinations(data)],
        "migration_source": "; ".join(sorted({source_text(ref) for ref in flow_refs})),
        "emigration_percent": share_percent(emigration.emigration_ratio)
        if emigration and emigration.emigration_ratio is not None
        else None,
        "immigration_percent": share_percent(immigration.share_from_safeguard_list) if immigration else None,
        "sources": sources_text(points, [*flow_refs, *list_refs]),
    }


def _profile_or_404(data: DataSet, iso3: str, params: Mapping[str, Any]) -> tuple[ProfileForm, Profile, str]:
    form = ProfileForm(params, data)
    year, threshold_key = form.values()
    profile = country_profile(data, iso3.upper(), year, THRESHOLDS[threshold_key])
    if profile is None:
        raise Http404
    return form, profile, threshold_key


@require_safe
def country(request: HttpRequest, iso3: str) -> HttpResponseBase:
    moved = _redirect_canonical(request, iso3, "workforce:country")
    if moved is not None:
        return moved
    data = dataset_current()
    form, profile, threshold_key = _profile_or_404(data, iso3, request.GET)
    context = _profile_context(data, profile, threshold_key)
    params = {"iso3": iso3, "threshold": threshold_key}
    context.update(
        {
            "form": form,
            "density_chart": _chart(data, "density_history", params) if context["has_density"] else None,
            "destinations_chart": _chart(data, "migration_destinations", {"iso3": iso3})
            if profile.emigration
            else None,
            "origins_chart": _chart(data, "migration_origins", {"iso3": iso3})
            if profile.immigration
            else None,
            "links": country_links(profile.country.iso2, request.user) if profile.country.iso2 else [],
            "briefing_url": reverse("workforce:briefing", kwargs={"iso3": iso3})
            + "?"
            + urlencode({"year": profile.year, "threshold": threshold_key}),
        }
    )
    return render(request, "workforce/profile/country.html", context)


# The briefing ---------------------------------------------------------------------------------


SVG_DATA = "data:image/svg+xml;base64,"


def _no_network():
    """A WeasyPrint fetcher that reads nothing but the chart the briefing carries inline (as a
    data: address); the fonts are the machine's."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class InlineChartOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(SVG_DATA):
                raise ValueError("A briefing reads nothing from the network.")
            body = base64.b64decode(url.removeprefix(SVG_DATA))
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/svg+xml"})

    return InlineChartOnly(timeout=1, allowed_protocols=())


def briefing_bytes(data: DataSet, profile: Profile, threshold_key: str, *, page_url: str) -> bytes:
    """The profile as a two-page A4 PDF in the active language."""
    from weasyprint import HTML

    from ..charts.render import chart_svg

    context = _profile_context(data, profile, threshold_key)
    chart = _chart(data, "density_history", {"iso3": profile.country.iso3, "threshold": threshold_key})
    if chart is not None and context["has_density"]:
        svg = chart_svg(chart)
        context["chart"] = chart
        context["chart_src"] = SVG_DATA + base64.b64encode(svg.encode()).decode()
    context.update(
        {
            "page_url": page_url,
            "made_on": timezone.localdate(),
            "migration_rows": BRIEFING_MIGRATION_ROWS,
        }
    )
    html = render_to_string("workforce/pdf/briefing.html", context)
    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_no_network()).write_pdf()


@require_safe
def briefing_pdf(request: HttpRequest, iso3: str) -> HttpResponseBase:
    moved = _redirect_canonical(request, iso3, "workforce:briefing")
    if moved is not None:
        return moved
    data = dataset_current()
    _form, profile, threshold_key = _profile_or_404(data, iso3, request.GET)
    language = get_language() or settings.LANGUAGE_CODE
    key = f"workforce:briefing:{data.version}:{iso3}:{language}:{profile.year}:{threshold_key}"
    # A data set built without an import run (version 0) is never cached: it is not the site's.
    pdf = cache.get(key) if data.version else None
    if pdf is None:
        page_url = request.build_absolute_uri(reverse("workforce:country", kwargs={"iso3": iso3}))
        pdf = briefing_bytes(data, profile, threshold_key, page_url=page_url)
        if data.version:
            cache.set(key, pdf, BRIEFING_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{iso3}-{profile.year}.pdf"'
    return response
