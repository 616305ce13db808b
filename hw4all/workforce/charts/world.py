"""The global views' charts: the world map of density, the shortage by group, the safeguard list's
criteria as a scatter, the largest migration flows, and the countries whose density fell.

Each builder reads its parameters strictly (a bad one raises ChartParameterError: the chart URL
answers 400; the pages validate theirs with a form first) and takes every figure from the
analysis."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..analysis.density import Cadre
from ..analysis.migration import largest_pairs
from ..analysis.profile import latest_year
from ..analysis.ranking import SortKey, density_ranking
from ..analysis.safeguard import CRITERIA, safeguard_check
from ..analysis.shortage import THRESHOLDS, WORLD, GroupBy, shortage_countries, shortage_table
from ..analysis.trends import SPAN, falling
from ..dataset import DataSet
from ..names import country_name, group_name, sources_text
from ..templatetags.workforce import figure
from . import Chart, ChartParameterError, Column, Table, chart
from .base import COLOURS, INTEGER_FORMAT, NUMBER_FORMAT, spec_base, threshold_rule
from .maps import choropleth_spec

# The years a chart URL may ask for: wide of the data, narrow enough to refuse nonsense.
YEARS = range(1950, 2101)
PAIRS = range(1, 101)
WIDTH = 640


def cadre_label(cadre: Cadre) -> str:
    return {
        Cadre.COMBINED: _("doctors, nurses and midwives"),
        Cadre.DOCTORS: _("doctors"),
        Cadre.NURSES_MIDWIVES: _("nurses and midwives"),
    }[cadre]


def param_int(params: Mapping[str, str], key: str, allowed: range, default: int) -> int:
    raw = params.get(key, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ChartParameterError(_("“%(key)s” must be a whole number.") % {"key": key}) from None
    if value not in allowed:
        raise ChartParameterError(
            _("“%(key)s” must be between %(first)s and %(last)s.")
            % {"key": key, "first": allowed[0], "last": allowed[-1]}
        )
    return value


def param_choice(params: Mapping[str, str], key: str, allowed: Iterable[str], default: str) -> str:
    raw = params.get(key, "") or default
    choices = list(allowed)
    if raw not in choices:
        raise ChartParameterError(
            _("“%(key)s” must be one of: %(choices)s.") % {"key": key, "choices": ", ".join(choices)}
        )
    return raw


def _number(value: float, decimals: int = 1) -> str:
    """A figure as text in the active language, for the charts' descriptions."""
    return figure(value, decimals)


@chart("density_map")
def density_map(data: DataSet, params: Mapping[str, str]) -> Chart:
    """Every member state shaded by its density for the year; grey without data."""
    year = param_int(params, "year", YEARS, latest_year(data))
    cadre = Cadre(param_choice(params, "cadre", Cadre, Cadre.COMBINED.value))
    rows = density_ranking(data, year, cadre, sort=SortKey.DENSITY)
    names = {row.iso3: country_name(data, row.iso3) for row in rows}
    ranked = [row for row in rows if row.density is not None]
    title = _("Density of %(cadre)s per 10,000 population, %(year)s") % {
        "cadre": cadre_label(cadre),
        "year": year,
    }
    if ranked:
        description = _(
            "World map of the density of %(cadre)s per 10,000 population in %(year)s (the latest figure at "
            "or before it): %(count)s countries with data, from %(low)s in %(low_country)s to %(high)s in "
            "%(high_country)s. Countries without data are grey. The table lists every country."
        ) % {
            "cadre": cadre_label(cadre),
            "year": year,
            "count": len(ranked),
            "low": _number(ranked[0].density.value) if ranked[0].density else "",
            "low_country": names[ranked[0].iso3],
            "high": _number(ranked[-1].density.value) if ranked[-1].density else "",
            "high_country": names[ranked[-1].iso3],
        }
    else:
        description = _("World map of health-worker density: no country has data for %(year)s.") % {
            "year": year
        }
    spec = choropleth_spec(
        {row.iso3: row.density.value if row.density else None for row in rows},
        title=title,
        legend_title=_("Per 10,000"),
        names=names,
        description=description,
    )
    table_rows = sorted(
        (
            {
                "country": names[row.iso3],
                "density": row.density.value if row.density else None,
                "year": row.density.year if row.density else None,
            }
            for row in rows
        ),
        key=lambda item: str(item["country"]).casefold(),
    )
    return Chart(
        name="density_map",
        params={"year": str(year), "cadre": cadre.value},
        title=title,
        description=description,
        spec=spec,
        table=Table(
            columns=(
                Column("country", _("Country")),
                Column("density", _("Per 10,000"), "number"),
                Column("year", _("Year of the figure"), "year"),
            ),
            rows=table_rows,
        ),
        sources=sources_text(point for row in ranked if row.density for point in row.density.points),
        width=WIDTH,
        height=360,
    )


@chart("shortage_by_group")
def shortage_by_group(data: DataSet, params: Mapping[str, str]) -> Chart:
    """The needs-based shortage of each WHO region or income group, as bars."""
    year = param_int(params, "year", YEARS, latest_year(data))
    threshold_key = param_choice(params, "threshold", THRESHOLDS, "sdg")
    by = GroupBy(
        param_choice(params, "by", (GroupBy.REGION.value, GroupBy.INCOME.value), GroupBy.REGION.value)
    )
    threshold = THRESHOLDS[threshold_key]
    table = shortage_table(data, year, threshold, by)
    groups = [row for row in table if row.group != WORLD]
    world = table[-1]
    rows = [
        {
            "group": group_name(row.group),
            "shortage": row.shortage,
            "countries": row.countries,
            "countries_with_data": row.countries_with_data,
            "countries_below": row.countries_below,
        }
        for row in groups
    ]
    title = (
        _("Shortage of doctors, nurses and midwives by WHO region, %(year)s")
        if by is GroupBy.REGION
        else _("Shortage of doctors, nurses and midwives by income group, %(year)s")
    ) % {"year": year}
    description = _(
        "Bar chart of the health workers missing to reach %(threshold)s doctors, nurses and midwives per "
        "10,000 population in %(year)s: %(total)s in the world, from %(with_data)s of %(countries)s "
        "countries with data. The table gives each group's figures."
    ) % {
        "threshold": _number(threshold),
        "year": year,
        "total": _number(world.shortage, 0),
        "with_data": world.countries_with_data,
        "countries": world.countries,
    }
    spec = spec_base(title, description, WIDTH, max(120, 36 * len(rows)))
    spec |= {
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "bar", "color": COLOURS["brand"]},
                "encoding": {
                    "y": {"field": "group", "type": "nominal", "sort": None, "title": None},
                    "x": {
                        "field": "shortage",
                        "type": "quantitative",
                        "title": _("Health workers missing"),
                        "axis": {"format": "~s"},
                    },
                    "tooltip": [
                        {"field": "group", "type": "nominal", "title": _("Group")},
                        {
                            "field": "shortage",
                            "type": "quantitative",
                            "format": INTEGER_FORMAT,
                            "title": _("Shortage"),
                        },
                        {
                            "field": "countries_with_data",
                            "type": "quantitative",
                            "title": _("Countries with data"),
                        },
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": COLOURS["ink"]},
                "encoding": {
                    "y": {"field": "group", "type": "nominal", "sort": None},
                    "x": {"field": "shortage", "type": "quantitative"},
                    "text": {"field": "shortage", "type": "quantitative", "format": INTEGER_FORMAT},
                },
            },
        ],
        # Room for the largest bar's figure.
        "padding": {"left": 8, "right": 72, "top": 8, "bottom": 8},
    }
    return Chart(
        name="shortage_by_group",
        params={"year": str(year), "threshold": threshold_key, "by": by.value},
        title=title,
        description=description,
        spec=spec,
        table=Table(
            columns=(
                Column("group", _("Group")),
                Column("countries", _("Countries"), "integer"),
                Column("countries_with_data", _("With data"), "integer"),
                Column("countries_below", _("Below the threshold"), "integer"),
                Column("shortage", _("Shortage"), "integer"),
            ),
            rows=rows,
        ),
        sources=sources_text(
            point
            for row in shortage_countries(data, year, threshold)
            for point in (*(row.density.points if row.density else ()), row.population)
        ),
        width=WIDTH,
        height=spec["height"],
    )


@chart("safeguard_scatter")
def safeguard_scatter(data: DataSet, params: Mapping[str, str]) -> Chart:
    """Each country's density against its UHC service coverage index, with the list's two
    criteria as lines: the countries below both are in the lower-left corner."""
    list_year = param_int(params, "list", range(min(CRITERIA), max(CRITERIA) + 1), 2023)
    if list_year not in CRITERIA:
        raise ChartParameterError(_("No criteria are known for a list of %(year)s.") % {"year": list_year})
    criteria = CRITERIA[list_year]
    density_year = param_int(params, "density_year", YEARS, criteria.density_year)
    uhc_year = param_int(params, "uhc_year", YEARS, criteria.uhc_year)
    check = safeguard_check(data, list_year, density_year, uhc_year)
    known = [row for row in check if row.density is not None and row.uhc is not None]
    yes, no = _("Yes"), _("No")
    rows = sorted(
        (
            {
                "country": country_name(data, row.iso3),
                "density": row.density.value if row.density else None,
                "density_year": row.density.year if row.density else None,
                "uhc": row.uhc.value if row.uhc else None,
                "uhc_year": row.uhc.year if row.uhc else None,
                "listed": "—" if row.on_list is None else (yes if row.on_list else no),
                "meets": yes if row.meets_criteria else no,
            }
            for row in known
        ),
        key=lambda item: str(item["country"]).casefold(),
    )
    title = _("Density and UHC index against the criteria of the %(year)s list") % {"year": list_year}
    description = _(
        "Scatter chart of %(count)s countries: the density of doctors, nurses and midwives per 10,000 "
        "(latest at or before %(density_year)s, across) against the UHC service coverage index (latest at "
        "or before %(uhc_year)s, up). Lines mark the criteria: density below %(density_below)s and index "
        "below %(uhc_below)s. Countries on the published list are drawn as red triangles."
    ) % {
        "count": len(rows),
        "density_year": density_year,
        "uhc_year": uhc_year,
        "density_below": _number(criteria.density_below),
        "uhc_below": _number(criteria.uhc_below, 0),
    }
    listed_title = _("On the %(year)s list") % {"year": list_year}
    spec = spec_base(title, description, WIDTH, 420)
    spec |= {
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "point", "filled": True, "size": 50, "opacity": 0.85},
                "encoding": {
                    "x": {
                        "field": "density",
                        "type": "quantitative",
                        "scale": {"type": "log"},
                        "title": _("Doctors, nurses and midwives per 10,000 (log scale)"),
                    },
                    "y": {
                        "field": "uhc",
                        "type": "quantitative",
                        "scale": {"domain": [0, 100]},
                        "title": _("UHC service coverage index"),
                    },
                    "color": {
                        "field": "listed",
                        "type": "nominal",
                        "title": listed_title,
                        "scale": {
                            "domain": [yes, no, "—"],
                            "range": [COLOURS["accent"], COLOURS["brand"], COLOURS["muted"]],
                        },
                    },
                    "shape": {
                        "field": "listed",
                        "type": "nominal",
                        "title": listed_title,
                        "scale": {"domain": [yes, no, "—"], "range": ["triangle-up", "circle", "square"]},
                    },
                    "tooltip": [
                        {"field": "country", "type": "nominal", "title": _("Country")},
                        {
                            "field": "density",
                            "type": "quantitative",
                            "format": NUMBER_FORMAT,
                            "title": _("Density"),
                        },
                        {
                            "field": "uhc",
                            "type": "quantitative",
                            "format": NUMBER_FORMAT,
                            "title": _("UHC index"),
                        },
                        {"field": "listed", "type": "nominal", "title": listed_title},
                    ],
                },
            },
            threshold_rule(criteria.density_below, _number(criteria.density_below), axis="x"),
            threshold_rule(criteria.uhc_below, _number(criteria.uhc_below, 0), axis="y"),
        ],
    }
    return Chart(
        name="safeguard_scatter",
        params={"list": str(list_year), "density_year": str(density_year), "uhc_year": str(uhc_year)},
        title=title,
        description=description,
        spec=spec,
        table=Table(
            columns=(
                Column("country", _("Country")),
                Column("density", _("Density per 10,000"), "number"),
                Column("density_year", _("Year"), "year"),
                Column("uhc", _("UHC index"), "number", decimals=0),
                Column("uhc_year", _("Year"), "year"),
                Column("listed", listed_title),
                Column("meets", _("Meets the criteria")),
            ),
            rows=rows,
        ),
        sources=sources_text(
            point for row in known for point in (*(row.density.points if row.density else ()), row.uhc)
        ),
        width=WIDTH,
        height=420,
    )


@chart("migration_flows")
def migration_flows(data: DataSet, params: Mapping[str, str]) -> Chart:
    """The largest origin–destination pairs as a bipartite diagram: countries of training on the
    left, destinations on the right, a line between them as wide as the number of doctors
    (Vega-Lite draws no Sankey diagram)."""
    limit = param_int(params, "pairs", PAIRS, 30)
    pairs = largest_pairs(data, limit)
    origins = list(dict.fromkeys(pair.origin for pair in pairs))
    destinations = list(dict.fromkeys(pair.destination for pair in pairs))
    # Each side's countries in the order of their largest pair, spread over the same height.
    rows_high = max(len(origins), len(destinations), 1)
    height = max(160, 22 * rows_high)

    def position(index: int, count: int) -> float:
        return (index + 0.5) * rows_high / count

    origin_at = {code: position(index, len(origins)) for index, code in enumerate(origins)}
    destination_at = {code: position(index, len(destinations)) for index, code in enumerate(destinations)}
    links = [
        {
            "origin": country_name(data, pair.origin),
            "destination": country_name(data, pair.destination),
            "count": pair.count,
            "y": origin_at[pair.origin],
            "y2": destination_at[pair.destination],
        }
        for pair in pairs
    ]
    labels = [
        {"name": country_name(data, code), "y": origin_at[code], "side": "origin"} for code in origins
    ] + [
        {"name": country_name(data, code), "y": destination_at[code], "side": "destination"}
        for code in destinations
    ]
    year = data.flows[0].year if data.flows else None
    title = _("The %(count)s largest flows of foreign-trained doctors, %(year)s") % {
        "count": len(pairs),
        "year": year or "—",
    }
    description = _(
        "Diagram of the %(count)s largest stocks of doctors by country of training (left) and the OECD "
        "country where they work (right); each line is as wide as the number of doctors. %(first)s"
    ) % {
        "count": len(pairs),
        "first": _("The largest: %(count)s doctors trained in %(origin)s working in %(destination)s.")
        % {
            "count": _number(pairs[0].count, 0),
            "origin": links[0]["origin"],
            "destination": links[0]["destination"],
        }
        if pairs
        else _("The data hold no migration stocks."),
    }
    y_scale = {"domain": [0, rows_high], "reverse": True}
    spec = spec_base(title, description, WIDTH, height)
    spec |= {
        "layer": [
            {
                "data": {"values": links},
                "mark": {"type": "rule", "color": COLOURS["brand"], "opacity": 0.45, "strokeCap": "round"},
                "encoding": {
                    "x": {"datum": 0, "type": "quantitative", "scale": {"domain": [0, 1]}, "axis": None},
                    "x2": {"datum": 1},
                    "y": {"field": "y", "type": "quantitative", "scale": y_scale, "axis": None},
                    "y2": {"field": "y2"},
                    "strokeWidth": {
                        "field": "count",
                        "type": "quantitative",
                        "scale": {"range": [1, 14]},
                        "title": _("Doctors"),
                        "legend": {"format": INTEGER_FORMAT, "orient": "bottom", "columns": 3},
                    },
                    "tooltip": [
                        {"field": "origin", "type": "nominal", "title": _("Trained in")},
                        {"field": "destination", "type": "nominal", "title": _("Working in")},
                        {
                            "field": "count",
                            "type": "quantitative",
                            "format": INTEGER_FORMAT,
                            "title": _("Doctors"),
                        },
                    ],
                },
            },
            {
                "data": {"values": labels},
                "transform": [{"filter": "datum.side === 'origin'"}],
                "mark": {"type": "text", "align": "right", "dx": -6, "fontSize": 11, "color": COLOURS["ink"]},
                "encoding": {
                    "x": {"datum": 0, "type": "quantitative"},
                    "y": {"field": "y", "type": "quantitative", "scale": y_scale},
                    "text": {"field": "name"},
                },
            },
            {
                "data": {"values": labels},
                "transform": [{"filter": "datum.side === 'destination'"}],
                "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11, "color": COLOURS["ink"]},
                "encoding": {
                    "x": {"datum": 1, "type": "quantitative"},
                    "y": {"field": "y", "type": "quantitative", "scale": y_scale},
                    "text": {"field": "name"},
                },
            },
        ],
        # Room for the names either side of the lines.
        "padding": {"left": 130, "right": 130, "top": 8, "bottom": 8},
    }
    return Chart(
        name="migration_flows",
        params={"pairs": str(limit)},
        title=title,
        description=description,
        spec=spec,
        table=Table(
            columns=(
                Column("origin", _("Trained in")),
                Column("destination", _("Working in")),
                Column("count", _("Doctors"), "integer"),
            ),
            rows=[{key: link[key] for key in ("origin", "destination", "count")} for link in links],
        ),
        sources=sources_text((), {flow.source for flow in data.flows}),
        width=WIDTH,
        height=height,
    )


@chart("density_falls")
def density_falls(data: DataSet, params: Mapping[str, str]) -> Chart:
    """The countries whose density fell over ten years, largest fall first, as bars."""
    year = param_int(params, "year", YEARS, latest_year(data))
    cadre = Cadre(param_choice(params, "cadre", Cadre, Cadre.COMBINED.value))
    falls = falling(data, year, SPAN, cadre)
    rows: list[dict[str, Any]] = [
        {
            "country": country_name(data, change.iso3),
            "start": change.start.value,
            "start_year": change.start.year,
            "end": change.end.value,
            "end_year": change.end.year,
            "change": change.change,
            "percent": change.percent,
        }
        for change in falls
    ]
    title = _("Countries where the density of %(cadre)s fell in the ten years to %(year)s") % {
        "cadre": cadre_label(cadre),
        "year": year,
    }
    description = (
        _(
            "Bar chart of the %(count)s countries whose density of %(cadre)s per 10,000 population fell between "
            "%(start)s and %(year)s (the latest figures at or before each year). The largest fall: %(country)s, "
            "%(change)s per 10,000."
        )
        % {
            "count": len(rows),
            "cadre": cadre_label(cadre),
            "start": year - SPAN,
            "year": year,
            "country": rows[0]["country"],
            "change": _number(rows[0]["change"]),
        }
        if rows
        else _("No country's density fell in the ten years to %(year)s, or the data cannot say.")
        % {"year": year}
    )
    height = max(120, 22 * len(rows))
    spec = spec_base(title, description, WIDTH, height)
    spec |= {
        "data": {"values": rows},
        "mark": {"type": "bar", "color": COLOURS["accent"]},
        "encoding": {
            "y": {"field": "country", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "change", "type": "quantitative", "title": _("Change per 10,000")},
            "tooltip": [
                {"field": "country", "type": "nominal", "title": _("Country")},
                {
                    "field": "start",
                    "type": "quantitative",
                    "format": NUMBER_FORMAT,
                    "title": pgettext("the first year of a change", "Start"),
                },
                {
                    "field": "end",
                    "type": "quantitative",
                    "format": NUMBER_FORMAT,
                    "title": pgettext("the last year of a change", "End"),
                },
                {"field": "change", "type": "quantitative", "format": NUMBER_FORMAT, "title": _("Change")},
            ],
        },
    }
    return Chart(
        name="density_falls",
        params={"year": str(year), "cadre": cadre.value},
        title=title,
        description=description,
        spec=spec,
        table=Table(
            columns=(
                Column("country", _("Country")),
                Column("start", _("Start per 10,000"), "number"),
                Column("start_year", _("Start year"), "year"),
                Column("end", _("End per 10,000"), "number"),
                Column("end_year", _("End year"), "year"),
                Column("change", _("Change"), "number"),
                Column("percent", _("Change (%)"), "percent"),
            ),
            rows=rows,
        ),
        sources=sources_text(
            point for change in falls for point in (*change.start.points, *change.end.points)
        ),
        width=WIDTH,
        height=height,
    )
