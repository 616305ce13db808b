"""The WHO Health Workforce Support and Safeguards List: the published list against its criteria
applied to the data."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..dataset import DataSet, Point
from .density import Density


@dataclass(frozen=True)
class Criteria:
    list_year: int
    uhc_below: float  # UHC service coverage index strictly below
    density_below: float  # doctors, nurses and midwives per 10,000 strictly below
    # The data the list was drawn from by default: the latest at or before these years.
    density_year: int
    uhc_year: int


CRITERIA = {
    2023: Criteria(list_year=2023, uhc_below=55, density_below=49, density_year=2020, uhc_year=2021),
    # The 2020 list used the index of 2017 and the densities reported by 2018.
    2020: Criteria(list_year=2020, uhc_below=50, density_below=48.6, density_year=2018, uhc_year=2017),
}


class Difference(enum.StrEnum):
    """Why the published list and the criteria applied to the data disagree about a country."""

    NONE = "none"
    LISTED_DENSITY_ABOVE = "listed_density_above"  # listed, but the density is not below
    LISTED_UHC_ABOVE = "listed_uhc_above"  # listed, but the index is not below
    LISTED_BOTH_ABOVE = "listed_both_above"
    LISTED_NO_DATA = "listed_no_data"  # listed, and the data cannot say
    QUALIFIES_NOT_LISTED = "qualifies_not_listed"


@dataclass(frozen=True)
class SafeguardRow:
    iso3: str
    on_list: bool | None  # None when no published list of that year is loaded
    meets_criteria: bool | None  # None when the density or the index is missing
    density: Density | None
    uhc: Point | None
    difference: Difference


def safeguard_check(
    data: DataSet, list_year: int = 2023, density_year: int | None = None, uhc_year: int | None = None
) -> list[SafeguardRow]:
    """Every member state and every listed country, by ISO3 code. The years default to the
    criteria's (`CRITERIA[list_year]`)."""
    raise NotImplementedError
