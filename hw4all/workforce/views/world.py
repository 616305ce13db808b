"""The global views: the world map with the key facts, countries ranked by density, the shortage
by region and income group, the safeguard list against its criteria, migration, and trends.

Each view reads its parameters through a GET form (a bad value is shown as an error and replaced
by its default, so the page still answers), calls the analysis, builds its charts and renders.
Every figure comes from `hw4all.workforce.analysis`; nothing here computes one."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from ..analysis.density import Cadre
from ..analysis.migration import destination_migration, largest_pairs, origins_ranked, reporting_destinations
from ..analysis.profile import latest_year
from ..analysis.ranking import RankRow, SortKey, density_ranking
from ..analysis.safeguard import CRITERIA, Difference, SafeguardRow, safeguard_check, safeguard_summary
from ..analysis.shortage import (
    SDG_THRESHOLD,
    THRESHOLDS,
    WORLD,
    GroupBy,
    GroupShortage,
    shortage_countries,
    shortage_table,
)
from ..analysis.trends import SPAN, density_changes, falling
from ..charts import chart_build
from ..charts.world import cadre_label
from ..dataset import DOCTORS_DENSITY, NURSES_MIDWIVES_DENSITY, DataSet, dataset_current
from ..models import IncomeGroup, WhoRegion
from ..names import country_name, group_name, region_name, source_text, sources_text
from ..templatetags.workforce import figure

# The oldest year the forms offer: the density series start in 1990.
FIRST_YEAR = 1990
# How many countries the shortage page lists by name, and the migration page's origins table
# holds unless all are asked for.
LARGEST_SHORTAGES = 20
ORIGINS_SHOWN = 40
PAIRS_CHOICES = (10, 20, 30, 50)
RANKING_RESULTS_ID = "workforce-ranking-results"

CADRE_CHOICES = [
    (Cadre.COMBINED.value, gettext_lazy("Doctors, nurses and midwives")),
    (Cadre.DOCTORS.value, gettext_lazy("Doctors")),
    (Cadre.NURSES_MIDWIVES.value, gettext_lazy("Nurses and midwives")),
]
THRESHOLD_CHOICES = [
    ("sdg", gettext_lazy("SDG index threshold (44.5 per 10,000)")),
    ("2006", gettext_lazy("2006 threshold (22.8 per 10,000)")),
]


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def year_choices(data: DataSet) -> list[tuple[int, int]]:
    """The years with density figures, latest first (the current year alone without data)."""
    last = latest_year(data)
    found = [data.years(code) for code in (DOCTORS_DENSITY, NURSES_MIDWIVES_DENSITY)]
    first = min((span[0] for span in found if span), default=last)
    return [(year, year) for year in range(last, max(first, FIRST_YEAR) - 1, -1)]


class ParametersForm(forms.Form):
    """A page's parameters: every field optional with a default. `values()` gives the valid
    values and the defaults for the rest, and makes the form show those values beside its
    errors."""

    defaults: dict[str, Any]
    shown: dict[str, str]

    def __init__(self, params: Mapping[str, str], defaults: dict[str, Any]) -> None:
        super().__init__(params)
        self.defaults = defaults

    def values(self) -> dict[str, Any]:
        self.is_valid()
        values = {
            name: self.defaults[name]
            if name in self.errors or self.cleaned_data.get(name) in (None, "")
            else self.cleaned_data[name]
            for name in self.fields
        }
        # Shown again as chosen: a refused value gives way to its default.
        self.shown = {name: "" if value is None else str(value) for name, value in values.items()}
        self.data = self.shown
        return values


def _year_field(data: DataSet, label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=year_choices(data), coerce=int, required=False, empty_value=None
    )


def _choice_field(label: str, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False)


def share_text(share: float) -> str:
    """A share of 0–1 written as a percentage in the active language ("12.5%")."""
    return _("%(percent)s%%") % {"percent": figure(share * 100, 1)}


def _country_url(iso3: str) -> str:
    return reverse("workforce:country", kwargs={"iso3": iso3.lower()})


def _render(request: HttpRequest, template: str, context: dict[str, Any], form: forms.Form) -> HttpResponse:
    nav = request.resolver_match.url_name if request.resolver_match else ""
    return render(request, template, {**context, "form": form, "nav": nav})


# The overview ---------------------------------------------------------------------------------


class MapForm(ParametersForm):
    def __init__(self, params: Mapping[str, str], data: DataSet) -> None:
        super().__init__(params, {"year": latest_year(data), "cadre": Cadre.COMBINED.value})
        self.fields["year"] = _year_field(data, _("Year"))
        self.fields["cadre"] = _choice_field(_("Health workers"), CADRE_CHOICES)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    data = dataset_current()
    form = MapForm(request.GET, data)
    values = form.values()
    year = values["year"]
    world = shortage_table(data, year, SDG_THRESHOLD, GroupBy.WORLD)[-1]
    listed = data.safeguard_lists.get(2023)
    list_source = data.safeguard_sources.get(2023)
    countries = shortage_countries(data, year, SDG_THRESHOLD)
    context = {
        "year": year,
        "threshold": SDG_THRESHOLD,
        "map": chart_build(data, "density_map", {"year": str(year), "cadre": values["cadre"]}),
        "world": world,
        "shortage_sources": sources_text(
            point
            for row in countries
            for point in (*(row.density.points if row.density else ()), row.population)
        ),
        "listed": sorted(listed or ()),
        "list_source": source_text(list_source) if list_source else "",
        "has_data": bool(world.countries_with_data),
    }
    return _render(request, "workforce/world/index.html", context, form)


# The ranking ----------------------------------------------------------------------------------


SORT_CHOICES = [(key.value, key.value) for key in SortKey]
ORDER_CHOICES = [("asc", "asc"), ("desc", "desc")]


class RankingForm(ParametersForm):
    def __init__(self, params: Mapping[str, str], data: DataSet) -> None:
        super().__init__(
            params,
            {
                "year": latest_year(data),
                "cadre": Cadre.COMBINED.value,
                "region": "",
                "income": "",
                "sort": SortKey.DENSITY.value,
                "order": "asc",
            },
        )
        self.fields["year"] = _year_field(data, _("Year"))
        self.fields["cadre"] = _choice_field(_("Health workers"), CADRE_CHOICES)
        self.fields["region"] = _choice_field(
            _("WHO region"),
            [("", _("All regions")), *[(code, region_name(code)) for code in WhoRegion.values]],
        )
        self.fields["income"] = _choice_field(
            _("Income group"), [("", _("All income groups")), *IncomeGroup.choices]
        )
        self.fields["sort"] = forms.ChoiceField(
            choices=SORT_CHOICES, required=False, widget=forms.HiddenInput
        )
        self.fields["order"] = forms.ChoiceField(
            choices=ORDER_CHOICES, required=False, widget=forms.HiddenInput
        )


# The columns whose headers sort the table, with their labels.
SORTABLE = [
    (SortKey.NAME, gettext_lazy("Country")),
    (SortKey.DENSITY, gettext_lazy("Density per 10,000")),
    (SortKey.POPULATION, gettext_lazy("Population")),
    (SortKey.SHORTAGE, gettext_lazy("Shortage")),
]


def _ranking_rows(data: DataSet, values: dict[str, Any]) -> list[RankRow]:
    sort = SortKey(values["sort"])
    descending = values["order"] == "desc"
    rows = density_ranking(
        data,
        values["year"],
        Cadre(values["cadre"]),
        region=values["region"],
        income_group=values["income"],
        threshold=SDG_THRESHOLD,
        sort=sort,
        descending=descending,
    )
    if sort is SortKey.NAME:
        # The analysis orders names by code; a reader expects their own language's order.
        rows.sort(key=lambda row: country_name(data, row.iso3).casefold(), reverse=descending)
    return rows


def _ranking_csv(data: DataSet, rows: list[RankRow], values: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"density-ranking-{values['cadre']}-{values['year']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "rank",
            "iso3",
            "country",
            "density_per_10000",
            "density_year",
            "population",
            "population_year",
            "shortage",
            "threshold",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.rank or "",
                row.iso3,
                country_name(data, row.iso3),
                row.density.value if row.density else "",
                row.density.year if row.density else "",
                row.population.value if row.population else "",
                row.population.year if row.population else "",
                "" if row.shortage is None else row.shortage,
                SDG_THRESHOLD,
            ]
        )
    return response


@require_safe
def ranking(request: HtmxHttpRequest) -> HttpResponse:
    data = dataset_current()
    form = RankingForm(request.GET, data)
    values = form.values()
    rows = _ranking_rows(data, values)
    if request.GET.get("format") == "csv":
        return _ranking_csv(data, rows, values)
    path = reverse("workforce:ranking")
    base = {key: value for key, value in values.items() if key not in ("sort", "order") and value != ""}
    headers = []
    for key, label in SORTABLE:
        current = values["sort"] == key.value
        order = ("asc" if values["order"] == "desc" else "desc") if current else "asc"
        headers.append(
            {
                "key": key.value,
                "label": label,
                "url": f"{path}?{urlencode({**base, 'sort': key.value, 'order': order})}",
                "aria_sort": ("descending" if values["order"] == "desc" else "ascending") if current else "",
            }
        )
    context = {
        "year": values["year"],
        "cadre_label": dict(CADRE_CHOICES)[values["cadre"]],
        "rows": [(row, country_name(data, row.iso3), _country_url(row.iso3)) for row in rows],
        "headers": headers,
        "threshold": SDG_THRESHOLD,
        "csv_url": f"{path}?{urlencode({**base, 'sort': values['sort'], 'order': values['order'], 'format': 'csv'})}",
        "sources": sources_text(
            point for row in rows for point in (*(row.density.points if row.density else ()), row.population)
        ),
        "results_id": RANKING_RESULTS_ID,
    }
    fragment = request.htmx and request.htmx.target == RANKING_RESULTS_ID
    template = "workforce/world/ranking_results.html" if fragment else "workforce/world/ranking.html"
    response = _render(request, template, context, form)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


# The shortage ---------------------------------------------------------------------------------


class ShortageForm(ParametersForm):
    def __init__(self, params: Mapping[str, str], data: DataSet) -> None:
        super().__init__(params, {"year": latest_year(data), "threshold": "sdg"})
        self.fields["year"] = _year_field(data, _("Year"))
        self.fields["threshold"] = _choice_field(_("Threshold"), THRESHOLD_CHOICES)


def _named_groups(table: list[GroupShortage]) -> list[tuple[GroupShortage, str]]:
    """The groups of a shortage table with their names, without the world's row."""
    return [(row, group_name(row.group)) for row in table if row.group != WORLD]


@require_safe
def shortage(request: HttpRequest) -> HttpResponse:
    data = dataset_current()
    form = ShortageForm(request.GET, data)
    values = form.values()
    year, threshold = values["year"], THRESHOLDS[values["threshold"]]
    countries = shortage_countries(data, year, threshold)
    largest = [row for row in countries[:LARGEST_SHORTAGES] if row.shortage]
    params = {"year": str(year), "threshold": values["threshold"]}
    by_region = shortage_table(data, year, threshold, GroupBy.REGION)
    context = {
        "year": year,
        "threshold": threshold,
        "by_region": _named_groups(by_region),
        "by_income": _named_groups(shortage_table(data, year, threshold, GroupBy.INCOME)),
        "income_groups_loaded": any(country.income_group for country in data.countries.values()),
        # The world's row closes each table (the analysis gives it last).
        "world": by_region[-1],
        "region_chart": chart_build(data, "shortage_by_group", {**params, "by": GroupBy.REGION.value}),
        "largest": [(row, country_name(data, row.iso3), _country_url(row.iso3)) for row in largest],
        "sources": sources_text(
            point
            for row in countries
            for point in (*(row.density.points if row.density else ()), row.population)
        ),
    }
    return _render(request, "workforce/world/shortage.html", context, form)


# The safeguard list ---------------------------------------------------------------------------


class SafeguardForm(ParametersForm):
    def __init__(self, params: Mapping[str, str], data: DataSet) -> None:
        # The years' defaults are the chosen list's (see values()).
        super().__init__(params, {"list": 2023, "density_year": None, "uhc_year": None})
        years = [(year, year) for year in range(max(latest_year(data), 2021), FIRST_YEAR - 1, -1)]
        self.fields["list"] = forms.TypedChoiceField(
            label=_("Criteria of the list of"),
            choices=[(year, year) for year in sorted(CRITERIA, reverse=True)],
            coerce=int,
            required=False,
            empty_value=None,
        )
        self.fields["density_year"] = forms.TypedChoiceField(
            label=_("Density: latest at or before"),
            choices=years,
            coerce=int,
            required=False,
            empty_value=None,
        )
        self.fields["uhc_year"] = forms.TypedChoiceField(
            label=_("UHC index: latest at or before"),
            choices=years,
            coerce=int,
            required=False,
            empty_value=None,
        )

    def values(self) -> dict[str, Any]:
        values = super().values()
        # Without a year of its own, a list's check reads the data that list was drawn from.
        criteria = CRITERIA[values["list"]]
        for name, default in (("density_year", criteria.density_year), ("uhc_year", criteria.uhc_year)):
            if values[name] is None:
                values[name] = default
                self.shown[name] = str(default)
        return values


def _difference_text(row: SafeguardRow) -> str:
    return {
        Difference.NONE: "",
        Difference.LISTED_DENSITY_ABOVE: _("Listed, but its density is not below the criterion."),
        Difference.LISTED_UHC_ABOVE: _("Listed, but its UHC index is not below the criterion."),
        Difference.LISTED_BOTH_ABOVE: _(
            "Listed, but neither its density nor its UHC index is below the criteria."
        ),
        Difference.LISTED_NO_DATA: _("Listed, but the data lack its density or UHC index."),
        Difference.QUALIFIES_NOT_LISTED: _("Meets both criteria, but is not on the list."),
    }[row.difference]


@require_safe
def safeguard(request: HttpRequest) -> HttpResponse:
    data = dataset_current()
    form = SafeguardForm(request.GET, data)
    values = form.values()
    list_year = values["list"]
    criteria = CRITERIA[list_year]
    rows = safeguard_check(data, list_year, values["density_year"], values["uhc_year"])
    named = sorted(
        ((row, country_name(data, row.iso3), _country_url(row.iso3), _difference_text(row)) for row in rows),
        key=lambda item: item[1].casefold(),
    )
    official = data.safeguard_lists.get(2023, frozenset())
    official_source = data.safeguard_sources.get(2023)
    by_region: dict[str, list[tuple[str, str]]] = {}
    for iso3 in official:
        region = data.countries[iso3].who_region if iso3 in data.countries else ""
        by_region.setdefault(region, []).append((country_name(data, iso3), _country_url(iso3)))
    context = {
        "criteria": criteria,
        "density_year": values["density_year"],
        "uhc_year": values["uhc_year"],
        "list_loaded": list_year in data.safeguard_lists,
        "rows": named,
        "differences": [item for item in named if item[0].difference != Difference.NONE],
        "summary": safeguard_summary(rows),
        "official": [
            (
                region_name(region) if region else _("Not classified"),
                sorted(names, key=lambda item: item[0].casefold()),
            )
            for region, names in sorted(by_region.items())
        ],
        "official_count": len(official),
        "official_source": source_text(official_source) if official_source else "",
        "scatter": chart_build(
            data,
            "safeguard_scatter",
            {
                "list": str(list_year),
                "density_year": str(values["density_year"]),
                "uhc_year": str(values["uhc_year"]),
            },
        ),
        "sources": sources_text(
            point for row in rows for point in (*(row.density.points if row.density else ()), row.uhc)
        ),
    }
    return _render(request, "workforce/world/safeguard.html", context, form)


# Migration ------------------------------------------------------------------------------------


class MigrationForm(ParametersForm):
    def __init__(self, params: Mapping[str, str]) -> None:
        super().__init__(params, {"pairs": 30, "origins": ""})
        self.fields["pairs"] = forms.TypedChoiceField(
            label=_("Pairs shown"),
            choices=[(count, count) for count in PAIRS_CHOICES],
            coerce=int,
            required=False,
            empty_value=None,
        )
        self.fields["origins"] = forms.ChoiceField(
            choices=[("", ""), ("all", "all")], required=False, widget=forms.HiddenInput
        )


@require_safe
def migration(request: HttpRequest) -> HttpResponse:
    data = dataset_current()
    form = MigrationForm(request.GET)
    values = form.values()
    pairs = largest_pairs(data, values["pairs"])
    destinations = sorted(
        (found for code in reporting_destinations(data) if (found := destination_migration(data, code))),
        key=lambda item: -item.total,
    )
    origins = origins_ranked(data)
    show_all = values["origins"] == "all"
    shown = origins if show_all else origins[:ORIGINS_SHOWN]

    def named(iso3: str) -> tuple[str, str]:
        return country_name(data, iso3), _country_url(iso3)

    context = {
        "flows": chart_build(data, "migration_flows", {"pairs": str(values["pairs"])}),
        "pairs": [(pair, named(pair.origin), named(pair.destination)) for pair in pairs],
        "destinations": [
            (
                item,
                named(item.destination),
                share_text(item.share_from_safeguard_list),
                country_name(data, item.origins[0].origin) if item.origins else "",
            )
            for item in destinations
        ],
        "origins": [(item, named(item.origin)) for item in shown],
        "origins_count": len(origins),
        "all_origins_url": f"{reverse('workforce:migration')}?{urlencode({'pairs': values['pairs'], 'origins': 'all'})}"
        if not show_all and len(origins) > ORIGINS_SHOWN
        else "",
        "sources": sources_text((item.at_home for item in origins), (flow.source for flow in data.flows)),
    }
    return _render(request, "workforce/world/migration.html", context, form)


# Trends ---------------------------------------------------------------------------------------


class TrendsForm(ParametersForm):
    def __init__(self, params: Mapping[str, str], data: DataSet) -> None:
        super().__init__(params, {"year": latest_year(data), "cadre": Cadre.COMBINED.value})
        self.fields["year"] = _year_field(data, _("Year"))
        self.fields["cadre"] = _choice_field(_("Health workers"), CADRE_CHOICES)


@require_safe
def trends(request: HttpRequest) -> HttpResponse:
    data = dataset_current()
    form = TrendsForm(request.GET, data)
    values = form.values()
    year, cadre = values["year"], Cadre(values["cadre"])
    falls = falling(data, year, SPAN, cadre)
    context = {
        "year": year,
        "span": SPAN,
        "cadre_label": cadre_label(cadre),
        "changes_count": len(density_changes(data, year, SPAN, cadre)),
        "falls": [(change, country_name(data, change.iso3), _country_url(change.iso3)) for change in falls],
        "chart": chart_build(data, "density_falls", {"year": str(year), "cadre": cadre.value}),
        "sources": sources_text(
            point for change in falls for point in (*change.start.points, *change.end.points)
        ),
    }
    return _render(request, "workforce/world/trends.html", context, form)
