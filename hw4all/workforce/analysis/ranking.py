"""Countries ranked by density, for the ranking table and the world map."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..dataset import POPULATION, DataSet, Point
from .density import Cadre, Density, density
from .shortage import SDG_THRESHOLD, country_shortage


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


def _sort_value(row: RankRow, sort: SortKey) -> float | str | None:
    if sort == SortKey.NAME:
        return row.iso3
    if sort == SortKey.POPULATION:
        return None if row.population is None else row.population.value
    if sort == SortKey.SHORTAGE:
        return row.shortage
    return None if row.density is None else row.density.value


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
    threshold = SDG_THRESHOLD if threshold is None else threshold
    countries = [
        country
        for country in data.member_states()
        if (not region or country.who_region == region)
        and (not income_group or country.income_group == income_group)
    ]
    found = {country.iso3: density(data, country.iso3, year, cadre) for country in countries}
    ranked = sorted(
        ((iso3, item.value) for iso3, item in found.items() if item is not None),
        key=lambda pair: (pair[1], pair[0]),
    )
    # Equal densities share a rank (1, 2, 2, 4).
    ranks: dict[str, int] = {}
    for position, (iso3, value) in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        ranks[iso3] = ranks[previous[0]] if previous is not None and previous[1] == value else position
    rows = [
        RankRow(
            iso3=country.iso3,
            rank=ranks.get(country.iso3),
            density=found[country.iso3],
            population=data.at(country.iso3, POPULATION, year),
            shortage=country_shortage(data, country.iso3, year, threshold).shortage,
        )
        for country in countries
    ]
    with_value = [row for row in rows if _sort_value(row, sort) is not None]
    without = [row for row in rows if _sort_value(row, sort) is None]
    with_value.sort(key=lambda row: (_sort_value(row, sort), row.iso3), reverse=descending)
    return with_value + sorted(without, key=lambda row: row.iso3)
