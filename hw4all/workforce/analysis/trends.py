"""Change in density over a span of years."""

from __future__ import annotations

from dataclasses import dataclass

from ..dataset import DataSet
from .density import Cadre, Density, density

SPAN = 10


@dataclass(frozen=True)
class Change:
    iso3: str
    cadre: Cadre
    start: Density  # latest at or before year − span
    end: Density  # latest at or before year
    change: float  # end − start, per 10,000
    percent: float | None  # relative to start, in per cent (−12.5); None when start is 0


def density_change(
    data: DataSet, iso3: str, year: int, span: int = SPAN, cadre: Cadre = Cadre.COMBINED
) -> Change | None:
    """None when either end is missing, or both ends are the same observations."""
    start = density(data, iso3, year - span, cadre)
    end = density(data, iso3, year, cadre)
    if start is None or end is None or start.points == end.points:
        return None
    change = end.value - start.value
    return Change(
        iso3=iso3,
        cadre=cadre,
        start=start,
        end=end,
        change=change,
        percent=change / start.value * 100 if start.value else None,
    )


def density_changes(
    data: DataSet, year: int, span: int = SPAN, cadre: Cadre = Cadre.COMBINED
) -> list[Change]:
    """Every member state with both ends, largest fall first."""
    found = (density_change(data, country.iso3, year, span, cadre) for country in data.member_states())
    return sorted((item for item in found if item is not None), key=lambda item: (item.change, item.iso3))


def falling(data: DataSet, year: int, span: int = SPAN, cadre: Cadre = Cadre.COMBINED) -> list[Change]:
    """The countries whose density fell, largest fall first."""
    return [item for item in density_changes(data, year, span, cadre) if item.change < 0]
