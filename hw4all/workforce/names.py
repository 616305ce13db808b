"""Names of countries, regions, income groups and sources in the active language, and the text
that cites a figure's source. Every page, chart, PDF and command uses these."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from .analysis.shortage import UNCLASSIFIED, WORLD
from .dataset import DataSet, Point, SourceRef
from .models import IncomeGroup, WhoRegion


def country_name(data: DataSet, iso3: str) -> str:
    """The country's name in the active language (django-countries), else the source's name,
    else the code."""
    country = data.countries.get(iso3)
    if country is not None and country.iso2:
        return str(countries.name(country.iso2)) or country.name
    return country.name if country is not None else iso3


def region_name(code: str) -> str:
    return str(WhoRegion(code).label) if code in WhoRegion.values else code


def income_name(code: str) -> str:
    return str(IncomeGroup(code).label) if code in IncomeGroup.values else code


def group_name(code: str) -> str:
    """A row of a shortage table: a WHO region, an income group, the unclassified or the world."""
    if code == WORLD:
        return _("World")
    if code == UNCLASSIFIED:
        return _("Not classified")
    return region_name(code) if code in WhoRegion.values else income_name(code)


def source_text(source: SourceRef) -> str:
    """'WHO Global Health Observatory (file of 24 January 2022)'."""
    if source.file_date:
        return _("%(dataset)s (file of %(date)s)") % {
            "dataset": source.dataset,
            "date": date_format(source.file_date, "DATE_FORMAT"),
        }
    if source.retrieved_on:
        return _("%(dataset)s (retrieved on %(date)s)") % {
            "dataset": source.dataset,
            "date": date_format(source.retrieved_on, "DATE_FORMAT"),
        }
    return source.dataset


def point_citation(point: Point) -> str:
    """'2018; WHO Global Health Observatory (file of 24 January 2022)': the year a figure is
    from and where it was read."""
    return _("%(year)s; %(source)s") % {"year": point.year, "source": source_text(point.source)}


def sources_text(points: Iterable[Point | None], refs: Iterable[SourceRef] = ()) -> tuple[str, ...]:
    """The sources of the figures shown (and of `refs`), each named once, in order."""
    found = {point.source for point in points if point is not None} | set(refs)
    return tuple(sorted({source_text(ref) for ref in found}))
