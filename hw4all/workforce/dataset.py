"""Every current figure in memory, read from the database once per process and per import.

The analysis is pure functions of a `DataSet`: tests build one by hand, pages and commands get
the current one from `dataset_current()`. Reading the ~45,000 current rows takes a few hundred
milliseconds; a page needs a few microseconds to look a figure up, so the set is kept for as long
as no import has run since (checked with one query per call)."""

from __future__ import annotations

import bisect
import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection

# The series the analysis reads, by their publishers' codes.
DOCTORS_DENSITY = "HWF_0001"
DOCTORS_COUNT = "HWF_0002"
NURSES_MIDWIVES_DENSITY = "HWF_0006"
NURSES_MIDWIVES_COUNT = "HWF_0007"
POPULATION = "SP.POP.TOTL"
UHC_INDEX = "SH.UHC.SRVS.CV.XD"
UHC_INDEX_WHO = "UHC_INDEX_REPORTED"


@dataclass(frozen=True)
class SourceRef:
    """Enough of a source to cite it next to a figure."""

    id: int
    dataset: str
    publisher: str
    url: str
    file_date: datetime.date | None
    retrieved_on: datetime.date | None


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    source: SourceRef


@dataclass(frozen=True)
class CountryInfo:
    iso3: str
    iso2: str
    name: str
    who_region: str
    income_group: str


@dataclass(frozen=True)
class Flow:
    """Health workers trained in `origin` and working in `destination`."""

    destination: str
    origin: str
    occupation: str
    year: int
    count: int
    source: SourceRef


@dataclass(frozen=True)
class DataSet:
    countries: Mapping[str, CountryInfo]
    # (iso3, indicator code) -> points in ascending year
    series: Mapping[tuple[str, str], tuple[Point, ...]]
    flows: tuple[Flow, ...] = ()
    # list year -> ISO3 codes on the published list
    safeguard_lists: Mapping[int, frozenset[str]] = field(default_factory=dict)
    safeguard_sources: Mapping[int, SourceRef] = field(default_factory=dict)
    # The import run the set was read after; 0 for a set built by hand.
    version: int = 0

    def points(self, iso3: str, indicator: str) -> tuple[Point, ...]:
        return self.series.get((iso3, indicator), ())

    def latest(self, iso3: str, indicator: str, year: int) -> Point | None:
        """The latest observation at or before `year`."""
        points = self.series.get((iso3, indicator), ())
        index = bisect.bisect_right(points, year, key=lambda point: point.year)
        return points[index - 1] if index else None

    def at(self, iso3: str, indicator: str, year: int) -> Point | None:
        """The observation of exactly `year`."""
        point = self.latest(iso3, indicator, year)
        return point if point is not None and point.year == year else None

    def years(self, indicator: str) -> tuple[int, int] | None:
        """The first and last year any country has for `indicator`."""
        found = [points for (_iso3, code), points in self.series.items() if code == indicator and points]
        if not found:
            return None
        return min(points[0].year for points in found), max(points[-1].year for points in found)

    def member_states(self) -> list[CountryInfo]:
        """The countries the world totals count: those with a WHO region, by ISO3 code."""
        return sorted(
            (country for country in self.countries.values() if country.who_region),
            key=lambda country: country.iso3,
        )


def dataset_build(
    countries: Iterable[CountryInfo],
    observations: Iterable[tuple[str, str, Point]],
    flows: Iterable[Flow] = (),
    safeguard_lists: Mapping[int, Iterable[str]] | None = None,
    safeguard_sources: Mapping[int, SourceRef] | None = None,
    version: int = 0,
) -> DataSet:
    """A data set from rows (iso3, indicator code, point) in any order."""
    series: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for iso3, indicator, point in observations:
        series[(iso3, indicator)].append(point)
    return DataSet(
        countries={country.iso3: country for country in countries},
        series={key: tuple(sorted(points, key=lambda point: point.year)) for key, points in series.items()},
        flows=tuple(flows),
        safeguard_lists={year: frozenset(codes) for year, codes in (safeguard_lists or {}).items()},
        safeguard_sources=dict(safeguard_sources or {}),
        version=version,
    )


def _data_version() -> int:
    """Asked on every request that reads the figures: plain SQL, as the ORM's aggregation costs
    more than the rest of a cached API answer."""
    from .models import ImportRun

    table = connection.ops.quote_name(ImportRun._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - the model's own table name
        return cursor.fetchone()[0] or 0


def _dataset_read(version: int) -> DataSet:
    from .models import Country, MigrationStock, Observation, SafeguardListEntry, Source

    sources = {
        source.id: SourceRef(
            id=source.id,
            dataset=source.dataset,
            publisher=source.publisher,
            url=source.url,
            file_date=source.file_date,
            retrieved_on=source.retrieved_on,
        )
        for source in Source.objects.all()
    }
    countries = [
        CountryInfo(iso3=iso3, iso2=iso2, name=name, who_region=region, income_group=income)
        for iso3, iso2, name, region, income in Country.objects.values_list(
            "iso3", "iso2", "name", "who_region", "income_group"
        )
    ]
    observations = (
        (iso3, code, Point(year=year, value=value, source=sources[source_id]))
        for iso3, code, year, value, source_id in Observation.objects.filter(is_current=True)
        .values_list("country__iso3", "indicator__code", "year", "value", "source_id")
        .iterator(chunk_size=10_000)
    )
    flows = (
        Flow(
            destination=destination,
            origin=origin,
            occupation=occupation,
            year=year,
            count=count,
            source=sources[source_id],
        )
        for destination, origin, occupation, year, count, source_id in MigrationStock.objects.filter(
            is_current=True
        ).values_list("destination__iso3", "origin__iso3", "occupation", "year", "count", "source_id")
    )
    lists: dict[int, list[str]] = defaultdict(list)
    list_sources: dict[int, SourceRef] = {}
    for list_year, iso3, source_id in SafeguardListEntry.objects.values_list(
        "list_year", "country__iso3", "source_id"
    ):
        lists[list_year].append(iso3)
        list_sources[list_year] = sources[source_id]
    return dataset_build(countries, observations, flows, lists, list_sources, version=version)


_lock = threading.Lock()
_current: DataSet | None = None


def dataset_forget() -> None:
    """Drop this process's copy: the next call reads the database again (after an import here,
    and between tests, whose rolled-back import runs can reuse an id)."""
    global _current
    with _lock:
        _current = None


def dataset_current() -> DataSet:
    """The current figures, read again only after an import has run."""
    global _current
    version = _data_version()
    current = _current
    if current is not None and current.version == version and version:
        return current
    with _lock:
        if _current is None or _current.version != version or not version:
            _current = _dataset_read(version)
        return _current
