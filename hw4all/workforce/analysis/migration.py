"""Migration of health workers from the stocks of foreign-trained doctors the OECD publishes
(2018, doctors only, the destinations that report)."""

from __future__ import annotations

from dataclasses import dataclass

from ..dataset import DataSet, Point


@dataclass(frozen=True)
class OriginShare:
    origin: str
    count: int
    share: float  # of the destination's foreign-trained stock, 0–1
    on_safeguard_list: bool


@dataclass(frozen=True)
class DestinationMigration:
    destination: str
    year: int
    occupation: str
    total: int
    origins: list[OriginShare]  # largest first
    from_safeguard_list: int  # trained in countries on the list `list_year`
    share_from_safeguard_list: float  # 0–1
    list_year: int


@dataclass(frozen=True)
class OriginMigration:
    origin: str
    year: int
    occupation: str
    abroad: int  # working in the reporting destinations
    destinations: list[tuple[str, int]]  # largest first
    at_home: Point | None  # doctors in the origin, latest at or before the year (HWF_0002)
    # abroad / at home; None without a count at home
    emigration_ratio: float | None


@dataclass(frozen=True)
class Pair:
    origin: str
    destination: str
    count: int


def reporting_destinations(data: DataSet, occupation: str = "doctors") -> list[str]:
    """The destinations with stocks, by ISO3 code."""
    raise NotImplementedError


def destination_migration(
    data: DataSet, destination: str, occupation: str = "doctors", list_year: int = 2023
) -> DestinationMigration | None:
    """None when the destination reports nothing."""
    raise NotImplementedError


def origin_migration(data: DataSet, origin: str, occupation: str = "doctors") -> OriginMigration | None:
    """None when no reporting destination counts anyone trained in `origin`."""
    raise NotImplementedError


def origins_ranked(data: DataSet, occupation: str = "doctors") -> list[OriginMigration]:
    """Every origin, most doctors abroad first."""
    raise NotImplementedError


def largest_pairs(data: DataSet, limit: int = 30, occupation: str = "doctors") -> list[Pair]:
    raise NotImplementedError
