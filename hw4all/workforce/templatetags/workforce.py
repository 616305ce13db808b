"""Figures in the active language for the workforce pages: `{{ value|figure:1 }}`,
`{{ point|cite }}`, `{{ iso3|country:data }}`, a chart table's cells (`{{ row|cell:column }}`)
and the query string that rebuilds a chart (`{% chart_query chart %}`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

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
