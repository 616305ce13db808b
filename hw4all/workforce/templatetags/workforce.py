"""Figures in the active language for the workforce pages: `{{ value|figure:1 }}`,
`{{ point|cite }}`, `{{ iso3|country:data }}`, a chart table's cells (`{{ row|cell:column }}`)
and the query string that rebuilds a chart (`{% chart_query chart %}`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, json_ld_script, without_empty

from .. import names
from ..charts import Chart, Column
from ..dataset import DataSet, Point

register = template.Library()

NO_DATA = "—"


@register.filter
def figure(value: float | int | None, decimals: int | str = 1) -> str:
    """A number in the active locale with `decimals` decimals and grouped thousands; "—" for no
    data."""
    if value is None or value == "":
        return NO_DATA
    places = int(decimals)
    # Rounded half away from zero, as people round (Django's formatting cuts the digits off).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def cite(point: Point | None) -> str:
    """'2018; WHO Global Health Observatory (file of 24 January 2022)'."""
    return "" if point is None else names.point_citation(point)


@register.filter
def country(iso3: str, data: DataSet) -> str:
    return names.country_name(data, iso3)


@register.filter
def cell(row: Mapping[str, Any], column: Column) -> str:
    """One cell of a chart's data table, formatted by its column's kind."""
    value = row.get(column.key)
    if value is None:
        return NO_DATA
    if column.kind == "text":
        return str(value)
    if column.kind == "year":
        return str(value)
    if column.kind == "integer":
        return figure(value, 0)
    if column.kind == "percent":
        return _("%(percent)s%%") % {"percent": figure(value, column.decimals)}
    return figure(value, column.decimals)


@register.simple_tag
def chart_query(chart: Chart) -> str:
    """The URL query string that rebuilds `chart` ("" for none), without the "?"."""
    return urlencode(sorted(chart.params.items()))


# Publishers named in a source's citation, as schema.org creators of the data shown.
_PUBLISHERS = {
    "WHO": ("World Health Organization", "https://www.who.int/"),
    "World Bank": ("World Bank", "https://www.worldbank.org/"),
    "OECD": ("OECD", "https://www.oecd.org/"),
}


@register.simple_tag(takes_context=True)
def dataset_json_ld(context, name: str, description: str, country: str = "") -> str:
    """schema.org Dataset for a workforce page: who made the figures (from the page's sources),
    the year, the place, and where to fetch them (the API, the charts as CSV)."""
    request = context.get("request")
    sources = " ".join([*context.get("sources", []), *context.get("shortage_sources", [])])
    creators = [
        {"@type": "Organization", "name": full, "url": url}
        for short, (full, url) in _PUBLISHERS.items()
        if short in sources or full in sources
    ]
    profile = context.get("profile")
    year = context.get("year") or getattr(profile, "year", None)
    if profile is not None:
        api = reverse("api:workforce_profile", kwargs={"iso3": profile.country.iso3})
    else:
        api = reverse("api:country_list")
    data = without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Dataset",
            "name": name,
            "description": description,
            "url": absolute_url(request, request.path) if request else "",
            "creator": creators,
            "temporalCoverage": str(year) if year else "",
            "spatialCoverage": {"@type": "Place", "name": country} if country else "",
            "isAccessibleForFree": True,
            # Each source file has its own licence; the sources page names them.
            "license": absolute_url(request, reverse("workforce:sources")),
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "application/json",
                    "contentUrl": absolute_url(request, api),
                },
                *(
                    {
                        "@type": "DataDownload",
                        "encodingFormat": "text/csv",
                        "contentUrl": absolute_url(
                            request,
                            reverse("workforce:chart", kwargs={"name": chart.name, "fmt": "csv"})
                            + "?"
                            + chart_query(chart),
                        ),
                    }
                    for chart in (context.get("density_chart"), context.get("map"))
                    if chart is not None
                ),
            ],
        }
    )
    return json_ld_script(data)
