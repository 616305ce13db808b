"""Health-worker density per 10,000 population, from the latest observation at or before a year."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..dataset import DOCTORS_DENSITY, NURSES_MIDWIVES_DENSITY, DataSet, Point


class Cadre(enum.StrEnum):
    DOCTORS = "doctors"
    NURSES_MIDWIVES = "nurses_midwives"
    # Doctors plus nurses and midwives: the measure of the SDG threshold and the safeguard list.
    COMBINED = "combined"


SERIES = {Cadre.DOCTORS: DOCTORS_DENSITY, Cadre.NURSES_MIDWIVES: NURSES_MIDWIVES_DENSITY}


@dataclass(frozen=True)
class Density:
    cadre: Cadre
    value: float  # per 10,000 population
    # For COMBINED: the two points it adds (each the latest at or before the year asked);
    # otherwise the one point.
    points: tuple[Point, ...]

    @property
    def year(self) -> int:
        """The year it comes from: for a sum of two series, the older of the two."""
        return min(point.year for point in self.points)

    @property
    def latest_year(self) -> int:
        return max(point.year for point in self.points)


def density(data: DataSet, iso3: str, year: int, cadre: Cadre = Cadre.COMBINED) -> Density | None:
    """The density of `cadre` in `iso3` for `year`: the latest observation at or before it. For
    COMBINED both doctors and nurses-and-midwives are needed (None if either is missing)."""
    if cadre is Cadre.COMBINED:
        doctors = data.latest(iso3, DOCTORS_DENSITY, year)
        nurses = data.latest(iso3, NURSES_MIDWIVES_DENSITY, year)
        if doctors is None or nurses is None:
            return None
        return Density(cadre=cadre, value=doctors.value + nurses.value, points=(doctors, nurses))
    point = data.latest(iso3, SERIES[cadre], year)
    return None if point is None else Density(cadre=cadre, value=point.value, points=(point,))


def density_series(data: DataSet, iso3: str, cadre: Cadre = Cadre.COMBINED) -> list[Density]:
    """The density for every year either series has an observation, in ascending year; for
    COMBINED only the years from which both series exist (each the latest at or before)."""
    codes = (DOCTORS_DENSITY, NURSES_MIDWIVES_DENSITY) if cadre is Cadre.COMBINED else (SERIES[cadre],)
    years = sorted({point.year for code in codes for point in data.points(iso3, code)})
    found = (density(data, iso3, year, cadre) for year in years)
    return [item for item in found if item is not None]
