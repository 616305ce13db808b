"""Countries ranked by density, for the ranking table and the world map."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..dataset import DataSet, Point
from .density import Cadre, Density


class SortKey(enum.StrEnum):
    DENSITY = "density"  # lowest first
    NAME = "name"  # by ISO3 code; pages sort by the translated name themselves
    POPULATION = "population"
    SHORTAGE = "shortage"


@dataclass(frozen=True)
class RankRow:
    iso3: str
    rank: int | None  # 1 = lowest density among those with data; None without data
    density: Density | None
    population: Point | None  # of the year exactly
    shortage: float | None  # against the threshold given, as in shortage.country_shortage


def density_ranking(
    data: DataSet,
    year: int,
    cadre: Cadre = Cadre.COMBINED,
    *,
    region: str = "",
    income_group: str = "",
    threshold: float | None = None,
    sort: SortKey = SortKey.DENSITY,
    descending: bool = False,
) -> list[RankRow]:
    """Member states (filtered by WHO region and income group codes when given), ranked by the
    density of `cadre`; the rank is over the filtered countries; countries without data last
    whatever the order. `threshold` defaults to the SDG threshold."""
    raise NotImplementedError
