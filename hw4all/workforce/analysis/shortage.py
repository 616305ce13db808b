"""Needs-based shortage against a density threshold, per country and summed by group.

shortage = max(0, (threshold − density) × population / 10,000) for year Y, with the population
of year Y exactly and the combined density latest at or before Y (both cadres needed)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..dataset import DataSet, Point
from .density import Density

# Doctors, nurses and midwives per 10,000 population.
SDG_THRESHOLD = 44.5  # WHO 2016, the SDG index threshold (4.45 per 1,000)
THRESHOLD_2006 = 22.8  # World Health Report 2006 (2.28 per 1,000)
THRESHOLDS = {"sdg": SDG_THRESHOLD, "2006": THRESHOLD_2006}
WORLD = "world"
# The group of the countries the World Bank has not classified (or whose class is not loaded).
UNCLASSIFIED = "unclassified"


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
    raise NotImplementedError


def shortage_table(
    data: DataSet, year: int, threshold: float = SDG_THRESHOLD, by: GroupBy = GroupBy.REGION
) -> list[GroupShortage]:
    """One row per group (in code order, UNCLASSIFIED last), then the world as the last row. The
    countries are `data.member_states()`; the groups' figures sum to the world's."""
    raise NotImplementedError


def shortage_countries(data: DataSet, year: int, threshold: float = SDG_THRESHOLD) -> list[CountryShortage]:
    """Every member state's shortage for the year, largest shortage first, those without data last."""
    raise NotImplementedError
