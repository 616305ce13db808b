"""The WHO Health Workforce Support and Safeguards List: the published list against its criteria
applied to the data."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..dataset import UHC_INDEX, DataSet, Point
from .density import Cadre, Density, density


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
    list_year: int


def criteria_for(list_year: int) -> Criteria:
    """The criteria of a list year; ValueError for a year without published criteria."""
    try:
        return CRITERIA[list_year]
    except KeyError:
        years = ", ".join(str(year) for year in sorted(CRITERIA))
        raise ValueError(
            f"No criteria for a list of {list_year}: the criteria known are those of {years}."
        ) from None


def safeguard_list_year(data: DataSet) -> int:
    """The latest list year loaded that has criteria, else the latest criteria's year."""
    loaded = [year for year in data.safeguard_lists if year in CRITERIA]
    return max(loaded) if loaded else max(CRITERIA)


def _below(value: float | None, limit: float) -> bool | None:
    return None if value is None else value < limit


def _difference(on_list: bool | None, density_below: bool | None, uhc_below: bool | None) -> Difference:
    meets = _meets(density_below, uhc_below)
    if on_list is None or on_list == meets:
        return Difference.NONE
    if not on_list:
        return Difference.QUALIFIES_NOT_LISTED if meets else Difference.NONE
    if density_below is False and uhc_below is False:
        return Difference.LISTED_BOTH_ABOVE
    if density_below is False:
        return Difference.LISTED_DENSITY_ABOVE
    if uhc_below is False:
        return Difference.LISTED_UHC_ABOVE
    return Difference.LISTED_NO_DATA


def _meets(density_below: bool | None, uhc_below: bool | None) -> bool | None:
    # One criterion known to fail decides, whatever the other.
    if density_below is False or uhc_below is False:
        return False
    if density_below is None or uhc_below is None:
        return None
    return True


def safeguard_row(
    data: DataSet,
    iso3: str,
    list_year: int = 2023,
    density_year: int | None = None,
    uhc_year: int | None = None,
) -> SafeguardRow:
    """One country against the list of `list_year` and its criteria (years as in `safeguard_check`)."""
    criteria = criteria_for(list_year)
    published = data.safeguard_lists.get(list_year)
    found = density(
        data, iso3, criteria.density_year if density_year is None else density_year, Cadre.COMBINED
    )
    uhc = data.latest(iso3, UHC_INDEX, criteria.uhc_year if uhc_year is None else uhc_year)
    density_below = _below(None if found is None else found.value, criteria.density_below)
    uhc_below = _below(None if uhc is None else uhc.value, criteria.uhc_below)
    on_list = None if published is None else iso3 in published
    return SafeguardRow(
        iso3=iso3,
        on_list=on_list,
        meets_criteria=_meets(density_below, uhc_below),
        density=found,
        uhc=uhc,
        difference=_difference(on_list, density_below, uhc_below),
        list_year=list_year,
    )


def safeguard_check(
    data: DataSet, list_year: int = 2023, density_year: int | None = None, uhc_year: int | None = None
) -> list[SafeguardRow]:
    """Every member state and every listed country, by ISO3 code. The years default to the
    criteria's (`CRITERIA[list_year]`)."""
    codes = {country.iso3 for country in data.member_states()} | data.safeguard_lists.get(
        list_year, frozenset()
    )
    return [safeguard_row(data, iso3, list_year, density_year, uhc_year) for iso3 in sorted(codes)]


@dataclass(frozen=True)
class SafeguardSummary:
    meets_criteria: int  # countries the criteria select
    on_list: int  # countries on the published list
    both: int  # on the list and selected by the criteria
    undecided: int  # the data cannot say


def safeguard_summary(rows: list[SafeguardRow]) -> SafeguardSummary:
    """The counts stated next to a check."""
    return SafeguardSummary(
        meets_criteria=sum(1 for row in rows if row.meets_criteria),
        on_list=sum(1 for row in rows if row.on_list),
        both=sum(1 for row in rows if row.meets_criteria and row.on_list),
        undecided=sum(1 for row in rows if row.meets_criteria is None),
    )
