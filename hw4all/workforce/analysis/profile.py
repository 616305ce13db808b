"""Everything a country profile states, in one object (the page, the PDF, the command line and
the API's profile all read it)."""

from __future__ import annotations

from dataclasses import dataclass

from ..dataset import CountryInfo, DataSet, Point
from .density import Density
from .migration import DestinationMigration, OriginMigration
from .safeguard import SafeguardRow
from .shortage import CountryShortage
from .trends import Change


@dataclass(frozen=True)
class Profile:
    country: CountryInfo
    year: int
    threshold: float
    doctors: Density | None
    nurses_midwives: Density | None
    combined: Density | None
    # For the chart: every year's combined density, and each cadre's own observations.
    combined_series: list[Density]
    doctors_series: list[Density]
    nurses_midwives_series: list[Density]
    doctors_count: Point | None  # HWF_0002, latest at or before the year
    nurses_midwives_count: Point | None  # HWF_0007
    population: Point | None  # latest at or before the year
    shortage: CountryShortage
    safeguard: SafeguardRow  # against the latest list year loaded (2023 by default)
    uhc: Point | None  # latest at or before the year
    uhc_series: tuple[Point, ...]
    trend: Change | None
    emigration: OriginMigration | None
    immigration: DestinationMigration | None


def country_profile(
    data: DataSet, iso3: str, year: int | None = None, threshold: float | None = None
) -> Profile | None:
    """None for a code the data does not know. `year` defaults to the last year of the density
    series (`latest_year`), `threshold` to the SDG threshold."""
    raise NotImplementedError


def latest_year(data: DataSet) -> int:
    """The last year with any density observation (2020 for the shipped files); the current
    year when there is none."""
    raise NotImplementedError
