"""What every workforce chart's spec shares: the site's look (font, colours), numbers in the active
language, an accessible description, and the threshold line.

A spec holds nothing about the request (no URLs, no user): the same spec gives the same drawing,
which is what the server's cache and the browser's ETag rely on."""

from __future__ import annotations

import functools
from typing import Any, Literal

import vl_convert as vlc
from django.utils.translation import get_language

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

# The stylesheet's custom properties (site.css :root), for drawings made outside the page.
FONT = '"Liberation Sans", Arial, Helvetica, sans-serif'
COLOURS = {
    "ink": "#1d2430",
    "muted": "#4a5363",
    "line": "#d5dae1",
    "surface": "#f3f5f8",
    "brand": "#005a70",
    "brand_dark": "#003d4c",
    "accent": "#a3352b",
    # The series a chart compares, in order: the brand colour first, then ones told apart from
    # it by people with a colour-vision deficiency.
    "doctors": "#005a70",
    "nurses_midwives": "#c26a00",
    "combined": "#1d2430",
    "threshold": "#a3352b",
    "no_data": "#dfe3e8",
}
# Shades of the brand colour from light to dark (the site's map shades).
SEQUENTIAL = ["#b9dbe4", "#7fbccc", "#3e93aa", "#0b6f88", "#003d4c"]

# d3-format patterns for axes, legends and tooltips; the locale in the spec's config gives the
# decimal mark and the thousands separator.
NUMBER_FORMAT = ",.1f"
INTEGER_FORMAT = ",.0f"
PERCENT_FORMAT = ".0%"

# d3-format's locale names for the site's languages; d3 has none for Romanian.
_D3_LOCALES = {
    "en": "en-US",
    "fr": "fr-FR",
    "es": "es-ES",
    "pt": "pt-PT",
    "nl": "nl-NL",
    "it": "it-IT",
    "pl": "pl-PL",
    "de": "de-DE",
}
_ROMANIAN = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0lei"]}


@functools.cache
def number_locale(language: str) -> dict[str, Any]:
    """The d3-format locale of a language code ("fr", "pt-br"): its decimal mark and thousands
    separator."""
    base = language.split("-")[0].lower()
    if base == "ro":
        return dict(_ROMANIAN)
    return dict(vlc.get_format_locale(_D3_LOCALES.get(base, "en-US")))  # type: ignore[arg-type]


def spec_base(title: str, description: str, width: int, height: int, *, subtitle: str = "") -> dict[str, Any]:
    """A Vega-Lite spec's frame: schema, title, size, the description assistive technology reads
    (the view's ARIA label in the browser), the site's look and the active language's numbers.
    Callers add data, marks and encodings."""
    title_spec: dict[str, Any] = {"text": title, "anchor": "start"}
    if subtitle:
        title_spec["subtitle"] = subtitle
    return {
        "$schema": SCHEMA,
        "title": title_spec,
        "description": description,
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "padding": 8,
        "background": "#ffffff",
        "config": config(),
    }


def config() -> dict[str, Any]:
    return {
        "locale": {"number": number_locale(get_language() or "en")},
        "font": FONT,
        "view": {"stroke": None},
        "title": {
            "fontSize": 15,
            "fontWeight": 600,
            "color": COLOURS["ink"],
            "subtitleColor": COLOURS["muted"],
        },
        "axis": {
            "labelColor": COLOURS["muted"],
            "titleColor": COLOURS["muted"],
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": 400,
            "gridColor": COLOURS["line"],
            "domainColor": COLOURS["muted"],
            "tickColor": COLOURS["muted"],
        },
        "legend": {"labelColor": COLOURS["ink"], "titleColor": COLOURS["muted"], "labelFontSize": 12},
        "range": {"category": [COLOURS["doctors"], COLOURS["nurses_midwives"], COLOURS["combined"]]},
        "bar": {"color": COLOURS["brand"]},
        "line": {"color": COLOURS["brand"], "strokeWidth": 2},
        "point": {"color": COLOURS["brand"], "filled": True},
    }


def threshold_rule(value: float, label: str, *, axis: Literal["x", "y"] = "y") -> dict[str, Any]:
    """A layer: a dashed line at `value` on the quantitative `axis` (y: across a chart of years;
    x: along horizontal bars) with its label, e.g. "SDG threshold: 44.5"."""
    position = {axis: {"datum": value, "type": "quantitative"}}
    # The chart's description names the threshold: the line and its label are not announced
    # again as unnamed images.
    text_mark: dict[str, Any] = {
        "type": "text",
        "aria": False,
        "color": COLOURS["threshold"],
        "fontSize": 12,
        "text": label,
    }
    if axis == "y":
        # At the start of the line, just above it.
        text_mark |= {"align": "left", "baseline": "bottom", "dy": -3, "x": 4}
    else:
        text_mark |= {"align": "left", "baseline": "top", "dx": 4, "y": 0}
    return {
        # Its own one-row data, so the line is drawn once whatever the chart's data.
        "data": {"values": [{}]},
        "layer": [
            {
                "mark": {
                    "type": "rule",
                    "aria": False,
                    "color": COLOURS["threshold"],
                    "strokeDash": [6, 4],
                    "strokeWidth": 1.5,
                },
                "encoding": position,
            },
            {"mark": text_mark, "encoding": position},
        ],
        "description": label,
    }
