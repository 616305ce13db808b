"""A world map of counts by country (a campaign's signatures, published case studies), drawn on
the server as inline SVG so that it works without JavaScript and costs no extra request.

The geometry is Natural Earth 1:110m from the npm package world-atlas (data/README.md). Its
TopoJSON arcs are decoded once per process into one SVG path per country (equirectangular
projection, integer coordinates, relative commands, repeated points dropped): small enough to
inline in every page that shows it."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from .countries import country_names

GEOMETRY = Path(__file__).parent / "data" / "countries-110m.json"
# Countries too small for the 1:110m shapes (Malta, Singapore, island states), as points.
SMALL_COUNTRIES = Path(__file__).parent / "data" / "small-countries.json"
DOT_RADIUS = 2.5
# Pixels per degree; 2 keeps every country recognisable at integer precision.
SCALE = 2
# Antarctica has nothing to count and would take a fifth of the height.
SOUTH_LIMIT = -60
WIDTH = 360 * SCALE
HEIGHT = (90 - SOUTH_LIMIT) * SCALE
SHADES = 5


def _decode_arcs(topology: dict) -> list[list[tuple[int, int]]]:
    (scale_x, scale_y), (translate_x, translate_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            lon = x * scale_x + translate_x
            lat = y * scale_y + translate_y
            points.append((round((lon + 180) * SCALE), round((90 - lat) * SCALE)))
        arcs.append(points)
    return arcs


def _ring(arc_indexes: list[int], arcs: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for index in arc_indexes:
        # A negative index is the one's complement of an arc to walk backwards.
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return points


def _ring_path(points: list[tuple[int, int]]) -> str:
    if any(abs(b[0] - a[0]) > WIDTH / 2 for a, b in zip(points, points[1:], strict=False)):
        # A ring across the antimeridian (Russia, Fiji): draw it whole past the east edge, where
        # the view box clips it, rather than as a stripe across the world.
        points = [(x + WIDTH if x < WIDTH / 2 else x, y) for x, y in points]
    deduplicated = [point for i, point in enumerate(points) if i == 0 or point != points[i - 1]]
    if len(deduplicated) < 3:
        return ""
    start_x, start_y = deduplicated[0]
    parts = [f"M{start_x} {start_y}"]
    previous = deduplicated[0]
    steps = []
    for x, y in deduplicated[1:]:
        steps.append(f"{x - previous[0]} {y - previous[1]}")
        previous = (x, y)
    parts.append("l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


@cache
def country_paths() -> dict[str, str]:
    """SVG path data by ISO alpha-2 code; territories without a code are left out."""
    topology = json.loads(GEOMETRY.read_text())
    arcs = _decode_arcs(topology)
    paths: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = countries.alpha2(geometry.get("id", "")) if geometry.get("id") else ""
        if not code or code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = (_ring_path(_ring(ring, arcs)) for polygon in polygons for ring in polygon)
        paths[code] = "".join(ring for ring in rings if ring)
    return paths


@cache
def small_country_points() -> dict[str, tuple[int, int]]:
    """Map coordinates by ISO alpha-2 code of the countries drawn as dots."""
    points = {}
    for numeric, (lon, lat) in json.loads(SMALL_COUNTRIES.read_text()).items():
        code = countries.alpha2(numeric)
        if code and code not in country_paths():
            points[code] = (round((lon + 180) * SCALE), round((90 - lat) * SCALE))
    return points


@cache
def _path_elements() -> dict[str, str]:
    """Each country's <path>, its shade and title left to fill in."""
    return {
        code: f'<path d="{html.escape(path)}" class="map-shade-{{shade}}"><title>{{title}}</title></path>'
        for code, path in country_paths().items()
    }


def shade(count: int, highest: int) -> int:
    """1..SHADES on a logarithmic scale, so one large country does not wash out the others."""
    if count <= 0 or highest <= 0:
        return 0
    if highest == 1:
        return SHADES
    return max(1, math.ceil(SHADES * math.log(count + 1) / math.log(highest + 1)))


def _default_label(name: str, count: int) -> str:
    return _("%(country)s: %(count)s") % {"country": name, "count": count}


def choropleth_svg(
    by_country: Iterable[tuple[str, int]],
    *,
    label: Callable[[str, int], str] = _default_label,
    aria_label: str | Promise | None = None,
    link: Callable[[str], str] | None = None,
    css_class: str = "choropleth",
) -> SafeString:
    """The map as one <svg>. `label(country name, count)` is each shape's tooltip, `aria_label`
    the map's text alternative (a table beside it should give the numbers). With `link(code)`
    each country that has a count links there; the map is then hidden from assistive technology
    and its links kept out of the tab order (an image cannot hold links), so the table beside it
    must carry the same links."""
    counts = {str(code): count for code, count in by_country}
    highest = max(counts.values(), default=0)
    names = country_names(get_language())

    # Some 250 shapes a map: built with the standard library's escaping, as format_html would
    # escape them, without its cost for each argument.
    def shape(code: str, element: str) -> str:
        count = counts.get(code, 0)
        drawn = element.format(
            shade=shade(count, highest), title=html.escape(label(names.get(code, code), count))
        )
        if link is None or count <= 0:
            return drawn
        return f'<a href="{html.escape(link(code))}" tabindex="-1">{drawn}</a>'

    shapes = [shape(code, element) for code, element in _path_elements().items()]
    # A dot for a small country only where there is something to count: hundreds of grey dots
    # would hide the larger countries around them.
    dots = [
        shape(
            code,
            f'<circle cx="{x}" cy="{y}" r="{DOT_RADIUS}" class="map-shade-{{shade}}"><title>{{title}}</title></circle>',
        )
        for code, (x, y) in small_country_points().items()
        if counts.get(code, 0) > 0
    ]
    if link is None:
        accessibility = format_html(
            'role="img" aria-label="{}"', aria_label or _("Map by country; the numbers are in the table.")
        )
    else:
        accessibility = mark_safe('aria-hidden="true"')  # noqa: S308 - constant
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}" {}>{}</svg>',
        css_class,
        WIDTH,
        HEIGHT,
        accessibility,
        mark_safe("".join(shapes + dots)),  # noqa: S308 - every value in them is escaped
    )
