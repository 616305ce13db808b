"""Everything a country profile states, in one object (the page, the PDF, the command line and
the API's profile all read it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..dataset import (
    DOCTORS_COUNT,
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_COUNT,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    UHC_INDEX,
    CountryInfo,
    DataSet,
    Point,
)
from .density import Cadre, Density, density, density_series
from .migration import DestinationMigration, OriginMigration, destination_migration, origin_migration
from .safeguard import SafeguardRow, safeguard_list_year, safeguard_row
from .shortage import SDG_THRESHOLD, CountryShortage, country_shortage
from .trends import Change, density_change


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
    country = data.countries.get(iso3)
    if country is None:
        return None
    year = latest_year(data) if year is None else year
    threshold = SDG_THRESHOLD if threshold is None else threshold
    list_year = safeguard_list_year(data)
    return Profile(
        country=country,
        year=year,
        threshold=threshold,
        doctors=density(data, iso3, year, Cadre.DOCTORS),
        nurses_midwives=density(data, iso3, year, Cadre.NURSES_MIDWIVES),
        combined=density(data, iso3, year, Cadre.COMBINED),
        combined_series=density_series(data, iso3, Cadre.COMBINED),
        doctors_series=density_series(data, iso3, Cadre.DOCTORS),
        nurses_midwives_series=density_series(data, iso3, Cadre.NURSES_MIDWIVES),
        doctors_count=data.latest(iso3, DOCTORS_COUNT, year),
        nurses_midwives_count=data.latest(iso3, NURSES_MIDWIVES_COUNT, year),
        population=data.latest(iso3, POPULATION, year),
        shortage=country_shortage(data, iso3, year, threshold),
        safeguard=safeguard_row(data, iso3, list_year),
        uhc=data.latest(iso3, UHC_INDEX, year),
        uhc_series=data.points(iso3, UHC_INDEX),
        trend=density_change(data, iso3, year),
        emigration=origin_migration(data, iso3),
        immigration=destination_migration(data, iso3, list_year=list_year),
    )


def latest_year(data: DataSet) -> int:
    """The last year with any density observation (2020 for the shipped files); the current
    year when there is none."""
    found = [span[1] for span in (data.years(DOCTORS_DENSITY), data.years(NURSES_MIDWIVES_DENSITY)) if span]
    return max(found) if found else datetime.date.today().year
