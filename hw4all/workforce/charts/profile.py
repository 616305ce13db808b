"""A country profile's charts: its density over time against the threshold, and its migration
(where its doctors work abroad; where a destination's foreign-trained doctors were trained).

Every figure comes from the analysis; the builders only arrange them for the spec and the table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from ..analysis.density import Cadre, density_series
from ..analysis.migration import destination_migration, origin_migration
from ..analysis.safeguard import safeguard_list_year
from ..analysis.shortage import THRESHOLDS
from ..dataset import DataSet, Flow, SourceRef
from ..names import country_name, sources_text
from ..templatetags.workforce import figure
from . import Chart, ChartParameterError, Column, Table, chart
from .base import COLOURS, INTEGER_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT, spec_base, threshold_rule

WIDTH = 640
HEIGHT = 320
# A destination's countries of training drawn as bars; the rest are in its total.
ORIGINS_SHOWN = 15


def threshold_label(key: str) -> str:
    return {
        "sdg": _("SDG threshold: %(value)s per 10,000"),
        "2006": _("2006 threshold: %(value)s per 10,000"),
    }[key] % {"value": _number(THRESHOLDS[key])}


def cadre_name(cadre: Cadre) -> str:
    return {
        Cadre.DOCTORS: _("Doctors"),
        Cadre.NURSES_MIDWIVES: _("Nurses and midwives"),
        Cadre.COMBINED: _("Doctors, nurses and midwives"),
    }[cadre]


def share_percent(share: float) -> float:
    """A share (0–1) as the percentage the tables and texts print."""
    return share * 100


def _number(value: float, decimals: int = 1) -> str:
    """As the pages print it (rounded half away from zero, in the active language)."""
    return figure(value, decimals)


def _country(data: DataSet, params: Mapping[str, str]) -> str:
    iso3 = params.get("iso3", "").upper()
    if iso3 not in data.countries:
        raise ChartParameterError(
            _("No country has the code “%(code)s”.") % {"code": iso3[:3]}, not_found=True
        )
    return iso3


def _threshold_key(params: Mapping[str, str]) -> str:
    key = params.get("threshold", "") or "sdg"
    if key not in THRESHOLDS:
        raise ChartParameterError(
            _("“%(key)s” must be one of: %(choices)s.")
            % {"key": "threshold", "choices": ", ".join(THRESHOLDS)}
        )
    return key


@chart("density_history")
def density_history(data: DataSet, params: Mapping[str, str]) -> Chart:
    """Doctors, nurses and midwives, and the two together, per 10,000 for every year observed,
    against the threshold."""
    iso3 = _country(data, params)
    key = _threshold_key(params)
    threshold = THRESHOLDS[key]
    name = country_name(data, iso3)
    series = {cadre: density_series(data, iso3, cadre) for cadre in Cadre}
    by_year: dict[int, dict[str, Any]] = {}
    values = []
    for cadre, items in series.items():
        for item in items:
            # A cadre's own observations at their years; the sum at the years either changes.
            year = item.latest_year
            by_year.setdefault(year, {"year": year})[str(cadre)] = item.value
            values.append({"year": year, "series": cadre_name(cadre), "value": item.value})
    rows = [by_year[year] for year in sorted(by_year)]
    combined = series[Cadre.COMBINED]
    title = _("Health workers per 10,000 population in %(country)s, against the threshold") % {
        "country": name
    }
    if combined:
        last = combined[-1]
        description = _(
            "Lines of the density of doctors, of nurses and midwives and of the two together per "
            "10,000 population in %(country)s from %(first)s to %(last)s. The combined density was "
            "%(value)s in %(year)s, against a threshold of %(threshold)s."
        ) % {
            "country": name,
            "first": rows[0]["year"],
            "last": rows[-1]["year"],
            "value": _number(last.value),
            "year": last.latest_year,
            "threshold": _number(threshold),
        }
    elif rows:
        description = _(
            "The density of doctors or of nurses and midwives per 10,000 population in %(country)s "
            "from %(first)s to %(last)s; the two together cannot be given (one of them is missing)."
        ) % {"country": name, "first": rows[0]["year"], "last": rows[-1]["year"]}
    else:
        description = _("There are no densities of health workers for %(country)s.") % {"country": name}
    order = [cadre_name(cadre) for cadre in Cadre]
    spec = spec_base(title, description, WIDTH, HEIGHT)
    spec["layer"] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "year", "type": "quantitative", "title": _("Year"), "axis": {"format": "d"}},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": _("Per 10,000 population"),
                    "axis": {"format": NUMBER_FORMAT},
                },
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "sort": order,
                    "scale": {
                        "domain": order,
                        "range": [COLOURS["doctors"], COLOURS["nurses_midwives"], COLOURS["combined"]],
                    },
                    "legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 400},
                },
                "tooltip": [
                    {"field": "series", "title": _("Health workers")},
                    {"field": "year", "title": _("Year")},
                    {"field": "value", "title": _("Per 10,000"), "format": NUMBER_FORMAT},
                ],
            },
        },
        threshold_rule(threshold, threshold_label(key)),
    ]
    points = [point for items in series.values() for item in items for point in item.points]
    return Chart(
        name="density_history",
        params={"iso3": iso3.lower(), "threshold": key},
        title=title,
        description=description,
        spec=spec,
        table=Table(
            columns=(
                Column("year", _("Year"), "year"),
                Column(str(Cadre.DOCTORS), _("Doctors per 10,000"), "number"),
                Column(str(Cadre.NURSES_MIDWIVES), _("Nurses and midwives per 10,000"), "number"),
                Column(str(Cadre.COMBINED), _("Together per 10,000"), "number"),
            ),
            rows=rows,
        ),
        sources=sources_text(points),
        width=WIDTH,
        height=HEIGHT,
    )


def flows_source(data: DataSet, iso3: str) -> tuple[SourceRef, ...]:
    """The sources of the migration stocks that concern a country (as origin or destination)."""
    return tuple({flow.source for flow in _flows_of(data.flows, iso3)})


def _flows_of(flows: Iterable[Flow], iso3: str) -> Iterable[Flow]:
    return (flow for flow in flows if iso3 in (flow.origin, flow.destination))


def _bars(title: str, description: str, values: list[dict[str, Any]], *, legend: bool) -> dict[str, Any]:
    spec = spec_base(title, description, WIDTH, max(120, 24 * len(values) + 40))
    colour: dict[str, Any] = {"value": COLOURS["brand"]}
    if legend:
        listed, not_listed = _("On the safeguard list"), _("Not on the list")
        colour = {
            "field": "list",
            "type": "nominal",
            "title": None,
            "scale": {"domain": [listed, not_listed], "range": [COLOURS["accent"], COLOURS["brand"]]},
            "legend": {"orient": "bottom"},
        }
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "sort": None, "title": None},
        "x": {
            "field": "count",
            "type": "quantitative",
            "title": _("Doctors"),
            "axis": {"format": INTEGER_FORMAT},
        },
        "color": colour,
        "tooltip": [
            {"field": "name", "title": _("Country")},
            {"field": "count", "title": _("Doctors"), "format": INTEGER_FORMAT},
        ]
        + ([{"field": "share", "title": _("Share"), "format": PERCENT_FORMAT}] if legend else []),
    }
    return spec


@chart("migration_destinations")
def migration_destinations(data: DataSet, params: Mapping[str, str]) -> Chart:
    """Where the doctors trained in a country work, among the destinations that report."""
    iso3 = _country(data, params)
    found = origin_migration(data, iso3)
    if found is None:
        raise ChartParameterError(
            _("No reporting country counts doctors trained in “%(code)s”.") % {"code": iso3}, not_found=True
        )
    name = country_name(data, iso3)
    rows = [
        {"iso3": destination, "name": country_name(data, destination), "count": count}
        for destination, count in found.destinations
    ]
    title = _("Doctors trained in %(country)s working in the reporting OECD countries, %(year)s") % {
        "country": name,
        "year": found.year,
    }
    description = _(
        "Bars of the doctors trained in %(country)s by the country they work in, %(year)s: "
        "%(abroad)s in all; the most in %(first)s (%(count)s)."
    ) % {
        "country": name,
        "year": found.year,
        "abroad": _number(found.abroad, 0),
        "first": country_name(data, found.destinations[0][0]),
        "count": _number(found.destinations[0][1], 0),
    }
    return Chart(
        name="migration_destinations",
        params={"iso3": iso3.lower()},
        title=title,
        description=description,
        spec=_bars(
            title, description, [{"name": row["name"], "count": row["count"]} for row in rows], legend=False
        ),
        table=Table(
            columns=(Column("name", _("Country where they work")), Column("count", _("Doctors"), "integer")),
            rows=rows,
        ),
        sources=sources_text((), flows_source(data, iso3)),
        width=WIDTH,
        height=max(120, 24 * len(rows) + 40),
    )


@chart("migration_origins")
def migration_origins(data: DataSet, params: Mapping[str, str]) -> Chart:
    """Where a destination's foreign-trained doctors were trained: the largest countries of
    training, marked when they are on the safeguard list."""
    iso3 = _country(data, params)
    found = destination_migration(data, iso3, list_year=safeguard_list_year(data))
    if found is None:
        raise ChartParameterError(
            _("“%(code)s” reports no foreign-trained doctors.") % {"code": iso3}, not_found=True
        )
    name = country_name(data, iso3)
    listed, not_listed = _("On the safeguard list"), _("Not on the list")
    shown = found.origins[:ORIGINS_SHOWN]
    rows = [
        {
            "iso3": origin.origin,
            "name": country_name(data, origin.origin),
            "count": origin.count,
            "share": share_percent(origin.share),
            "listed": _("Yes") if origin.on_safeguard_list else _("No"),
        }
        for origin in shown
    ]
    title = _("Where the foreign-trained doctors in %(country)s were trained, %(year)s") % {
        "country": name,
        "year": found.year,
    }
    description = _(
        "Bars of the %(shown)s largest countries of training of the %(total)s foreign-trained doctors "
        "in %(country)s, %(year)s; %(percent)s%% were trained in countries on the %(list_year)s "
        "safeguard list."
    ) % {
        "shown": len(shown),
        "total": _number(found.total, 0),
        "country": name,
        "year": found.year,
        "percent": _number(share_percent(found.share_from_safeguard_list)),
        "list_year": found.list_year,
    }
    values = [
        {
            "name": country_name(data, origin.origin),
            "count": origin.count,
            "share": origin.share,
            "list": listed if origin.on_safeguard_list else not_listed,
        }
        for origin in shown
    ]
    return Chart(
        name="migration_origins",
        params={"iso3": iso3.lower()},
        title=title,
        description=description,
        spec=_bars(title, description, values, legend=True),
        table=Table(
            columns=(
                Column("name", _("Country of training")),
                Column("count", _("Doctors"), "integer"),
                Column("share", _("Share of the foreign-trained"), "percent"),
                Column("listed", _("On the safeguard list")),
            ),
            rows=rows,
        ),
        sources=sources_text((), flows_source(data, iso3)),
        width=WIDTH,
        height=max(120, 24 * len(rows) + 40),
    )
