"""Migration of health workers from the stocks of foreign-trained doctors the OECD publishes
(2018, doctors only, the destinations that report)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..dataset import DOCTORS_COUNT, DataSet, Flow, Point, SourceRef


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
    sources: tuple[SourceRef, ...] = ()  # of the stocks


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
    sources: tuple[SourceRef, ...] = ()  # of the stocks


@dataclass(frozen=True)
class Pair:
    origin: str
    destination: str
    count: int


def _current_flows(data: DataSet, occupation: str) -> list[Flow]:
    """Each destination's stocks of its latest reported year (stocks of two years are not added)."""
    flows = [flow for flow in data.flows if flow.occupation == occupation]
    last: dict[str, int] = {}
    for flow in flows:
        last[flow.destination] = max(last.get(flow.destination, flow.year), flow.year)
    return [flow for flow in flows if flow.year == last[flow.destination]]


def _sources(flows: list[Flow]) -> tuple[SourceRef, ...]:
    return tuple(dict.fromkeys(flow.source for flow in flows))


def _largest_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def reporting_destinations(data: DataSet, occupation: str = "doctors") -> list[str]:
    """The destinations with stocks, by ISO3 code."""
    return sorted({flow.destination for flow in data.flows if flow.occupation == occupation})


def destination_migration(
    data: DataSet, destination: str, occupation: str = "doctors", list_year: int = 2023
) -> DestinationMigration | None:
    """None when the destination reports nothing."""
    flows = [flow for flow in _current_flows(data, occupation) if flow.destination == destination]
    if not flows:
        return None
    counts: dict[str, int] = defaultdict(int)
    for flow in flows:
        counts[flow.origin] += flow.count
    total = sum(counts.values())
    listed = data.safeguard_lists.get(list_year, frozenset())
    origins = [
        OriginShare(
            origin=origin,
            count=count,
            share=count / total if total else 0.0,
            on_safeguard_list=origin in listed,
        )
        for origin, count in _largest_first(counts)
    ]
    from_list = sum(origin.count for origin in origins if origin.on_safeguard_list)
    return DestinationMigration(
        destination=destination,
        year=flows[0].year,
        occupation=occupation,
        total=total,
        origins=origins,
        from_safeguard_list=from_list,
        share_from_safeguard_list=from_list / total if total else 0.0,
        list_year=list_year,
        sources=_sources(flows),
    )


def _origin(data: DataSet, origin: str, occupation: str, flows: list[Flow]) -> OriginMigration:
    counts: dict[str, int] = defaultdict(int)
    for flow in flows:
        counts[flow.destination] += flow.count
    year = max(flow.year for flow in flows)
    abroad = sum(counts.values())
    at_home = data.latest(origin, DOCTORS_COUNT, year)
    return OriginMigration(
        origin=origin,
        year=year,
        occupation=occupation,
        abroad=abroad,
        destinations=_largest_first(counts),
        at_home=at_home,
        emigration_ratio=abroad / at_home.value if at_home is not None and at_home.value > 0 else None,
        sources=_sources(flows),
    )


def origin_migration(data: DataSet, origin: str, occupation: str = "doctors") -> OriginMigration | None:
    """None when no reporting destination counts anyone trained in `origin`."""
    flows = [flow for flow in _current_flows(data, occupation) if flow.origin == origin and flow.count]
    return _origin(data, origin, occupation, flows) if flows else None


def origins_ranked(data: DataSet, occupation: str = "doctors") -> list[OriginMigration]:
    """Every origin, most doctors abroad first."""
    by_origin: dict[str, list[Flow]] = defaultdict(list)
    for flow in _current_flows(data, occupation):
        if flow.count:
            by_origin[flow.origin].append(flow)
    found = [_origin(data, origin, occupation, flows) for origin, flows in by_origin.items()]
    return sorted(found, key=lambda item: (-item.abroad, item.origin))


def largest_pairs(data: DataSet, limit: int = 30, occupation: str = "doctors") -> list[Pair]:
    flows = sorted(
        _current_flows(data, occupation), key=lambda flow: (-flow.count, flow.origin, flow.destination)
    )
    return [
        Pair(origin=flow.origin, destination=flow.destination, count=flow.count) for flow in flows[:limit]
    ]
