"""Needs-based shortage against a density threshold, per country and summed by group.

shortage = max(0, (threshold − density) × population / 10,000) for year Y, with the population
of year Y exactly and the combined density latest at or before Y (both cadres needed)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from ..dataset import POPULATION, DataSet, Point
from .density import Cadre, Density, density

# Doctors, nurses and midwives per 10,000 population.
SDG_THRESHOLD = 44.5  # WHO 2016, the SDG index threshold (4.45 per 1,000)
THRESHOLD_2006 = 22.8  # World Health Report 2006 (2.28 per 1,000)
THRESHOLDS = {"sdg": SDG_THRESHOLD, "2006": THRESHOLD_2006}
WORLD = "world"
# The group of the countries the World Bank has not classified (or whose class is not loaded).
UNCLASSIFIED = "unclassified"
# The order of the groups in a table: WHO regions by code, income groups from low to high.
GROUP_ORDER = ("AFR", "AMR", "EMR", "EUR", "SEAR", "WPR", "LIC", "LMC", "UMC", "HIC")


def threshold_parse(text: str) -> float:
    """A threshold as a person gives it: "sdg", "2006" or a density per 10,000 (0 to 1,000)."""
    named = THRESHOLDS.get(text.strip().lower())
    if named is not None:
        return named
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= 1_000:
        raise ValueError(
            f"“{text}” is not a threshold: give sdg (44.5), 2006 (22.8) or a density per 10,000 "
            "population above 0 and at most 1,000."
        )
    return value


class GroupBy(enum.StrEnum):
    REGION = "region"
    INCOME = "income"
    WORLD = "world"


@dataclass(frozen=True)
class CountryShortage:
    iso3: str
    year: int
    threshold: float
    density: Density | None
    population: Point | None
    # None when the density or the population of the year is missing; 0.0 when at or above.
    shortage: float | None

    @property
    def has_data(self) -> bool:
        return self.shortage is not None

    @property
    def below(self) -> bool:
        return self.density is not None and self.density.value < self.threshold


@dataclass(frozen=True)
class GroupShortage:
    group: str  # a WHO region code, an income group code, UNCLASSIFIED or WORLD
    year: int
    threshold: float
    countries: int  # member states in the group
    countries_with_data: int  # with both the density and the population for the year
    countries_below: int  # of those with data, below the threshold
    shortage: float  # health workers, summed over those with data


def country_shortage(
    data: DataSet, iso3: str, year: int, threshold: float = SDG_THRESHOLD
) -> CountryShortage:
    found = density(data, iso3, year, Cadre.COMBINED)
    population = data.at(iso3, POPULATION, year)
    shortage = None
    if found is not None and population is not None:
        shortage = max(0.0, (threshold - found.value) * population.value / 10_000)
    return CountryShortage(
        iso3=iso3, year=year, threshold=threshold, density=found, population=population, shortage=shortage
    )


def _group_key(code: str) -> tuple[int, str]:
    if code == UNCLASSIFIED:
        return (len(GROUP_ORDER) + 1, code)
    return (GROUP_ORDER.index(code), code) if code in GROUP_ORDER else (len(GROUP_ORDER), code)


def _group_sum(group: str, year: int, threshold: float, rows: list[CountryShortage]) -> GroupShortage:
    with_data = [row for row in rows if row.shortage is not None]
    return GroupShortage(
        group=group,
        year=year,
        threshold=threshold,
        countries=len(rows),
        countries_with_data=len(with_data),
        countries_below=sum(1 for row in with_data if row.below),
        shortage=sum(row.shortage or 0.0 for row in with_data),
    )


def shortage_table(
    data: DataSet, year: int, threshold: float = SDG_THRESHOLD, by: GroupBy = GroupBy.REGION
) -> list[GroupShortage]:
    """One row per group (in code order, UNCLASSIFIED last), then the world as the last row. The
    countries are `data.member_states()`; the groups' figures sum to the world's."""
    groups: dict[str, list[CountryShortage]] = {}
    everyone: list[CountryShortage] = []
    for country in data.member_states():
        row = country_shortage(data, country.iso3, year, threshold)
        everyone.append(row)
        if by == GroupBy.REGION:
            groups.setdefault(country.who_region, []).append(row)
        elif by == GroupBy.INCOME:
            groups.setdefault(country.income_group or UNCLASSIFIED, []).append(row)
    table = [_group_sum(group, year, threshold, groups[group]) for group in sorted(groups, key=_group_key)]
    table.append(_group_sum(WORLD, year, threshold, everyone))
    return table


def shortage_countries(data: DataSet, year: int, threshold: float = SDG_THRESHOLD) -> list[CountryShortage]:
    """Every member state's shortage for the year, largest shortage first, those without data last."""
    rows = [country_shortage(data, country.iso3, year, threshold) for country in data.member_states()]
    return sorted(rows, key=lambda row: (row.shortage is None, -(row.shortage or 0.0), row.iso3))
