"""Change in density over a span of years."""

from __future__ import annotations

from dataclasses import dataclass

from ..dataset import DataSet
from .density import Cadre, Density

SPAN = 10


@dataclass(frozen=True)
class Change:
    iso3: str
    cadre: Cadre
    start: Density  # latest at or before year − span
    end: Density  # latest at or before year
    change: float  # end − start, per 10,000
    percent: float | None  # relative to start; None when start is 0


def density_change(
    data: DataSet, iso3: str, year: int, span: int = SPAN, cadre: Cadre = Cadre.COMBINED
) -> Change | None:
    """None when either end is missing, or both ends are the same observations."""
    raise NotImplementedError


def density_changes(
    data: DataSet, year: int, span: int = SPAN, cadre: Cadre = Cadre.COMBINED
) -> list[Change]:
    """Every member state with both ends, largest fall first."""
    raise NotImplementedError


def falling(data: DataSet, year: int, span: int = SPAN, cadre: Cadre = Cadre.COMBINED) -> list[Change]:
    """The countries whose density fell, largest fall first."""
    raise NotImplementedError
