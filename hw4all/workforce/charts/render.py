"""A chart's outputs on the server: its spec drawn as SVG and PNG by vl-convert (pages without
JavaScript, downloads, the PDF briefing), and its table as CSV.

vl-convert takes ~20 ms a chart (~0.4 s the first time in a process), so drawings are kept in
Django's cache under the hash of what they are drawn from: the spec (which carries the active
language's titles and number formats) and the format. The spec holds its data inline and
vl-convert may fetch nothing (`allowed_base_urls=[]`)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import vl_convert as vlc
from django.core.cache import cache

from . import Chart

# The Vega-Lite version the specs are written for; the browser's vendored vega-lite matches it.
VEGALITE_VERSION = "6.4"
# A drawing depends only on its spec: it can stay cached until evicted.
CACHE_SECONDS = 7 * 24 * 3600


def spec_json(chart: Chart) -> str:
    """The spec as sent to the browser and hashed for the cache: keys in order, so one spec
    always gives the same text."""
    return json.dumps(chart.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def spec_hash(chart: Chart) -> str:
    return hashlib.sha256(spec_json(chart).encode()).hexdigest()


def _cache_key(chart: Chart, output: str) -> str:
    return f"workforce:chart:{VEGALITE_VERSION}:{output}:{spec_hash(chart)}"


def _spec(chart: Chart) -> dict[str, Any]:
    return json.loads(spec_json(chart))


def chart_svg(chart: Chart) -> str:
    key = _cache_key(chart, "svg")
    svg = cache.get(key)
    if svg is None:
        svg = vlc.vegalite_to_svg(_spec(chart), vl_version=VEGALITE_VERSION, allowed_base_urls=[])
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def chart_png(chart: Chart, scale: float = 2) -> bytes:
    key = _cache_key(chart, f"png@{scale}")
    png = cache.get(key)
    if png is None:
        png = vlc.vegalite_to_png(
            _spec(chart), vl_version=VEGALITE_VERSION, scale=scale, allowed_base_urls=[]
        )
        cache.set(key, png, CACHE_SECONDS)
    return png


def _csv_value(value: Any) -> str:
    # Raw values for a spreadsheet: no grouping, the decimal point, nothing for no data.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def chart_csv(chart: Chart) -> str:
    """The chart's table: one header row of its column labels, then its rows' raw values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in chart.table.columns])
    for row in chart.table.rows:
        writer.writerow([_csv_value(row.get(column.key)) for column in chart.table.columns])
    return out.getvalue()
