"""A world map of a figure by country (choropleth) as a Vega-Lite spec.

The shapes are Natural Earth 1:110m from world-atlas (`hw4all/core/data/`, ids are ISO 3166-1
numeric codes), inlined in the spec so that vl-convert fetches nothing and the spec is whole by
itself. Antarctica is left out: it has no figures and would take a fifth of the height. Countries
too small for those shapes are drawn as dots where the map has something to say about them."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from ..templatetags.workforce import figure
from .base import COLOURS, NUMBER_FORMAT, SEQUENTIAL, spec_base

DATA = Path(__file__).resolve().parents[2] / "core" / "data"
GEOMETRY = DATA / "countries-110m.json"
SMALL_COUNTRIES = DATA / "small-countries.json"
ANTARCTICA = "010"


@cache
def _topology() -> dict[str, Any]:
    topology = json.loads(GEOMETRY.read_text())
    topology["objects"] = {"countries": topology["objects"]["countries"]}
    shapes = topology["objects"]["countries"]
    shapes["geometries"] = [shape for shape in shapes["geometries"] if shape.get("id") != ANTARCTICA]
    return topology


@cache
def _shapes() -> tuple[tuple[str, str, str, str], ...]:
    """(numeric id, ISO2, ISO3, the shape's own English name) of every shape; the codes are ""
    for the territories without one (Kosovo, Somaliland, Northern Cyprus)."""
    found = []
    for shape in _topology()["objects"]["countries"]["geometries"]:
        numeric = shape.get("id", "")
        iso2 = countries.alpha2(numeric) if numeric else ""
        found.append((numeric, iso2, countries.alpha3(iso2) if iso2 else "", shape["properties"]["name"]))
    return tuple(found)


@cache
def _small_countries() -> tuple[tuple[str, float, float], ...]:
    """(ISO3, longitude, latitude) of the countries the shapes leave out."""
    points = []
    for numeric, (longitude, latitude) in json.loads(SMALL_COUNTRIES.read_text()).items():
        iso2 = countries.alpha2(numeric)
        if iso2:
            points.append((countries.alpha3(iso2), longitude, latitude))
    return tuple(points)


def _row(iso3: str, name: str, value: float | None, decimals: int) -> dict[str, Any]:
    return {
        "iso3": iso3,
        "name": name,
        "value": value,
        # The tooltip's text, in the page's language: a figure, or that there is none.
        "shown": _("No data") if value is None else figure(value, decimals),
    }


def choropleth_spec(
    values: Mapping[str, float | None],
    *,
    title: str,
    legend_title: str,
    names: Mapping[str, str],
    domain: Sequence[float] | None = None,
    scheme: str | Sequence[str] = SEQUENTIAL,
    description: str = "",
    decimals: int = 1,
    width: int = 640,
    height: int = 330,
) -> dict[str, Any]:
    """Countries (ISO3 -> value; None or absent: no data, in grey) on an Equal Earth map with a
    colour legend titled `legend_title`, each named in its tooltip by `names` (ISO3 -> name in the
    page's language; else django-countries' name). `domain` fixes the legend's range (e.g.
    [0, 100]); `scheme` is a Vega scheme name or a list of colours from low to high."""
    rows = []
    for numeric, iso2, iso3, own_name in _shapes():
        value = values.get(iso3) if iso3 else None
        name = names.get(iso3) or (str(countries.name(iso2)) if iso2 else own_name)
        rows.append({"id": numeric, **_row(iso3, name, value, decimals)})
    dots = [
        {
            "longitude": longitude,
            "latitude": latitude,
            **_row(iso3, names.get(iso3, iso3), values[iso3], decimals),
        }
        for iso3, longitude, latitude in _small_countries()
        if iso3 in values
    ]
    scale: dict[str, Any] = {"scheme": scheme} if isinstance(scheme, str) else {"range": list(scheme)}
    if domain is not None:
        scale["domain"] = list(domain)
    colour = {
        "condition": {"test": "!isValid(datum.value)", "value": COLOURS["no_data"]},
        "field": "value",
        "type": "quantitative",
        "scale": scale,
        "legend": {
            "title": legend_title,
            "format": NUMBER_FORMAT if decimals else ",.0f",
            "orient": "bottom-left",
        },
    }
    tooltip = [
        {"field": "name", "type": "nominal", "title": _("Country")},
        {"field": "shown", "type": "nominal", "title": legend_title},
    ]
    layers: list[dict[str, Any]] = [
        {
            "data": {
                "values": copy.deepcopy(_topology()),
                "format": {"type": "topojson", "feature": "countries"},
            },
            "transform": [
                {
                    "lookup": "id",
                    "from": {
                        "data": {"values": rows},
                        "key": "id",
                        "fields": ["iso3", "name", "value", "shown"],
                    },
                }
            ],
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4, "invalid": "show"},
            "encoding": {"color": colour, "tooltip": tooltip},
        }
    ]
    if dots:
        layers.append(
            {
                "data": {"values": dots},
                "mark": {"type": "circle", "size": 18, "stroke": "#ffffff", "strokeWidth": 0.6, "opacity": 1},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "color": colour,
                    "tooltip": tooltip,
                },
            }
        )
    # The legend's scale has no place for "no data": a swatch and its words stand at the foot.
    layers.append(
        {
            "data": {"values": [{}]},
            "layer": [
                {
                    # The words beside it say what it is: the swatch is not announced on its own.
                    "mark": {
                        "type": "square",
                        "aria": False,
                        "size": 100,
                        "color": COLOURS["no_data"],
                        "opacity": 1,
                    },
                    "encoding": {"x": {"value": width - 6}, "y": {"value": height - 6}},
                },
                {
                    "mark": {
                        "type": "text",
                        "text": _("No data"),
                        "align": "right",
                        "baseline": "middle",
                        "dx": -8,
                        "fontSize": 12,
                        "color": COLOURS["ink"],
                    },
                    "encoding": {"x": {"value": width - 6}, "y": {"value": height - 6}},
                },
            ],
        }
    )
    spec = spec_base(title, description or title, width, height)
    spec["autosize"] = {"type": "pad"}
    return spec | {"projection": {"type": "equalEarth"}, "layer": layers}
