"""Importing a file: its rows stored against one `Source` (a vintage), idempotently, keeping
the figures of older vintages and recording what a newer one changed.

A figure is identified by its key: (country, indicator, year) for an observation,
(destination, origin, occupation, year) for a migration stock. For each row of the file:
- a row of this very file is already there (the file was imported before): unchanged;
- the current figure has the same value: unchanged (nothing is stored twice);
- the current figure has another value and this file is not older than the current one's:
  the new figure becomes current, the old one stays (not current) and the change is recorded;
  if this file is older, its figure is stored as not current: an old file never brings old
  values back;
- no figure yet: created.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import Count, Model
from django.utils import timezone
from django_countries import countries

from hw4all.core.pagecache import pagecache_invalidate
from hw4all.workforce import formats
from hw4all.workforce.dataset import (
    DOCTORS_COUNT,
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_COUNT,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    UHC_INDEX,
    UHC_INDEX_WHO,
    dataset_forget,
)
from hw4all.workforce.models import (
    Country,
    ImportRun,
    Indicator,
    MigrationStock,
    Observation,
    SafeguardListEntry,
    Source,
)

CHUNK = 2000

HEADCOUNT = "headcount"
PER_10000 = "per 10,000 population"

# Names and units of the series this platform reads, for files that do not name them.
KNOWN_INDICATORS: dict[str, tuple[str, str, str]] = {
    # code: (name, unit, publisher)
    DOCTORS_DENSITY: ("Medical doctors (per 10,000)", PER_10000, "WHO"),
    DOCTORS_COUNT: ("Medical doctors (number)", HEADCOUNT, "WHO"),
    "HWF_0003": ("Generalist medical practitioners (number)", HEADCOUNT, "WHO"),
    "HWF_0004": ("Specialist medical practitioners (number)", HEADCOUNT, "WHO"),
    "HWF_0005": ("Medical doctors not further defined (number)", HEADCOUNT, "WHO"),
    NURSES_MIDWIVES_DENSITY: ("Nursing and midwifery personnel (per 10,000)", PER_10000, "WHO"),
    NURSES_MIDWIVES_COUNT: ("Nursing and midwifery personnel (number)", HEADCOUNT, "WHO"),
    "HWF_0008": ("Nursing personnel (number)", HEADCOUNT, "WHO"),
    "HWF_0009": ("Midwifery personnel (number)", HEADCOUNT, "WHO"),
    POPULATION: ("Population, total", "persons", "World Bank"),
    UHC_INDEX: ("UHC service coverage index", "index 0–100", "World Bank (source: WHO)"),
    UHC_INDEX_WHO: ("UHC service coverage index (WHO, with decimals)", "index 0–100", "WHO"),
}


def _read_bytes(path_or_file: Path | str | BinaryIO | bytes) -> bytes:
    if isinstance(path_or_file, bytes):
        return path_or_file
    if isinstance(path_or_file, str | Path):
        with Path(path_or_file).open("rb") as stream:
            return stream.read(formats.MAX_BYTES + 1)
    return path_or_file.read(formats.MAX_BYTES + 1)


def import_file(
    path_or_file: Path | str | BinaryIO | bytes,
    *,
    format: str,
    file_name: str,
    dataset: str,
    publisher: str = "",
    url: str = "",
    licence: str = "",
    indicator: str = "",
    value_column: str = "",
    file_date: datetime.date | None = None,
    retrieved_on: datetime.date | None = None,
    user: Any = None,
) -> ImportRun:
    """Parse a file and store what it holds; the run it returns says what was created,
    changed, left unchanged, skipped and refused (line by line)."""
    data = _read_bytes(path_or_file)
    parsed = formats.parse(data, format, indicator=indicator, value_column=value_column)
    run = ImportRun(
        format=format,
        file_name=file_name,
        lines=parsed.lines,
        skipped=parsed.skipped,
        errors=[{"line": error.line, "message": error.message} for error in parsed.errors],
        imported_by=user if user is not None and user.is_authenticated else None,
    )
    if not parsed.records:
        run.save()
        return run
    source_fields = {
        "publisher": publisher,
        "url": url,
        "licence": licence,
        "file_name": file_name,
        "file_date": file_date or parsed.file_date,
        "retrieved_on": retrieved_on,
        "format": format,
    }
    sha256 = hashlib.sha256(data).hexdigest()
    for attempt in range(2):
        try:
            with transaction.atomic():
                source, _created = Source.objects.get_or_create(
                    dataset=dataset, sha256=sha256, defaults=source_fields
                )
                _store(parsed, source, run)
                run.source = source
                run.save()
            break
        except IntegrityError:
            # Another import of the same rows committed first: read again what it stored.
            if attempt:
                raise
            run.created = run.changed = run.unchanged = 0
            run.changes = []
    dataset_forget()
    # Anonymous visitors' cached pages show figures: they must show the new ones at once.
    pagecache_invalidate()
    return run


def _store(parsed: formats.ParseResult, source: Source, run: ImportRun) -> None:
    country_ids = _countries_ensure(parsed.records, run)
    observations = [record for record in parsed.records if isinstance(record, formats.ObservationRecord)]
    if observations:
        indicator_ids = _indicators_ensure(observations, parsed.indicator_names, source)
        _observations_store(observations, country_ids, indicator_ids, source, run)
    flows = [record for record in parsed.records if isinstance(record, formats.FlowRecord)]
    if flows:
        _flows_store(flows, country_ids, source, run)
    entries = [record for record in parsed.records if isinstance(record, formats.ListRecord)]
    if entries:
        _safeguard_list_store(entries, country_ids, source, run)


def _countries_ensure(records: Iterable[formats.Record], run: ImportRun) -> dict[str, int]:
    """The id of every country the records name, creating the missing ones; fills the WHO
    region and name where the database has none, and (country files) the income group."""
    wanted: dict[str, dict[str, str]] = {}
    for record in records:
        if isinstance(record, formats.ObservationRecord):
            _wanted_merge(wanted, record.iso3, record.country_name, record.who_region)
        elif isinstance(record, formats.FlowRecord):
            _wanted_merge(wanted, record.destination, "", "")
            _wanted_merge(wanted, record.origin, "", "")
        elif isinstance(record, formats.ListRecord):
            _wanted_merge(wanted, record.iso3, record.country_name, "")
        else:
            _wanted_merge(wanted, record.iso3, record.name, "")
            wanted[record.iso3]["income_group"] = record.income_group
    existing = {country.iso3: country for country in Country.objects.filter(iso3__in=wanted)}
    missing = [
        Country(
            iso3=iso3,
            iso2=countries.alpha2(iso3) or "",
            name=fields["name"] or str(countries.name(countries.alpha2(iso3))) or iso3,
            who_region=fields["who_region"],
            income_group=fields.get("income_group", ""),
        )
        for iso3, fields in wanted.items()
        if iso3 not in existing
    ]
    Country.objects.bulk_create(missing, batch_size=CHUNK, ignore_conflicts=True)
    countries_file = any(isinstance(record, formats.CountryRecord) for record in records)
    if countries_file:
        run.created += len(missing)
    updated: list[Country] = []
    for iso3, country in existing.items():
        fields = wanted[iso3]
        before = (country.name, country.who_region, country.income_group)
        country.who_region = country.who_region or fields["who_region"]
        country.name = country.name or fields["name"]
        if "income_group" in fields and country.income_group != fields["income_group"]:
            if country.income_group:
                run.changes.append(
                    {
                        "iso3": iso3,
                        "field": "income_group",
                        "old": country.income_group,
                        "new": fields["income_group"],
                    }
                )
            country.income_group = fields["income_group"]
            run.changed += 1
        elif countries_file:
            run.unchanged += 1
        if (country.name, country.who_region, country.income_group) != before:
            updated.append(country)
    Country.objects.bulk_update(updated, ["name", "who_region", "income_group"], batch_size=CHUNK)
    return dict(Country.objects.filter(iso3__in=wanted).values_list("iso3", "id"))


def _wanted_merge(wanted: dict[str, dict[str, str]], iso3: str, name: str, region: str) -> None:
    fields = wanted.setdefault(iso3, {"name": "", "who_region": ""})
    fields["name"] = fields["name"] or name
    fields["who_region"] = fields["who_region"] or region


def _indicators_ensure(
    records: list[formats.ObservationRecord], names: dict[str, str], source: Source
) -> dict[str, int]:
    codes = {record.indicator for record in records}
    existing = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = []
    for code in sorted(codes - existing):
        known_name, unit, publisher = KNOWN_INDICATORS.get(code, ("", "", ""))
        missing.append(
            Indicator(
                code=code,
                name=names.get(code) or known_name or code,
                unit=unit,
                source=publisher or source.publisher,
            )
        )
    Indicator.objects.bulk_create(missing, ignore_conflicts=True)
    return dict(Indicator.objects.filter(code__in=codes).values_list("code", "id"))


def _source_dates() -> dict[int, datetime.date]:
    """The date of each vintage: its publisher's date, else its retrieval, else its import."""
    return {
        source_id: file_date or retrieved_on or timezone.localdate(imported_at)
        for source_id, file_date, retrieved_on, imported_at in Source.objects.values_list(
            "id", "file_date", "retrieved_on", "imported_at"
        )
    }


@dataclass(frozen=True)
class _Stored:
    id: int
    value: float
    source_id: int


def _vintages_apply(
    rows: Iterable[tuple[tuple, float, Callable[[bool], Model], dict[str, Any]]],
    current: dict[tuple, _Stored],
    of_source: set[tuple],
    source: Source,
    model: type[Model],
    run: ImportRun,
) -> None:
    """The rule of the module's docstring, for one model. `rows` are (key, value, a function
    building the new row given whether it is current, the change's description)."""
    dates = _source_dates()
    this_date = dates[source.pk]
    superseded: list[int] = []
    new_rows: list[Model] = []
    for key, value, build, described in rows:
        if key in of_source:
            run.unchanged += 1
            continue
        stored = current.get(key)
        if stored is None:
            new_rows.append(build(True))
            run.created += 1
        elif stored.value == value:
            run.unchanged += 1
        elif this_date < dates[stored.source_id]:
            # An older vintage: kept, never current again.
            new_rows.append(build(False))
            run.unchanged += 1
        else:
            superseded.append(stored.id)
            new_rows.append(build(True))
            run.changed += 1
            run.changes.append({**described, "old": stored.value, "new": value})
    for start in range(0, len(superseded), CHUNK):
        model._default_manager.filter(id__in=superseded[start : start + CHUNK]).update(is_current=False)
    model._default_manager.bulk_create(new_rows, batch_size=CHUNK)


def _observations_store(
    records: list[formats.ObservationRecord],
    country_ids: dict[str, int],
    indicator_ids: dict[str, int],
    source: Source,
    run: ImportRun,
) -> None:
    current: dict[tuple, _Stored] = {}
    of_source: set[tuple] = set()
    stored_rows = Observation.objects.filter(indicator_id__in=indicator_ids.values()).values_list(
        "id", "country_id", "indicator_id", "year", "value", "source_id", "is_current"
    )
    for row_id, country_id, indicator_id, year, value, source_id, is_current in stored_rows.iterator(
        chunk_size=10_000
    ):
        key = (country_id, indicator_id, year)
        if is_current:
            current[key] = _Stored(row_id, value, source_id)
        if source_id == source.pk:
            of_source.add(key)

    def row(
        record: formats.ObservationRecord,
    ) -> tuple[tuple, float, Callable[[bool], Model], dict[str, Any]]:
        country_id, indicator_id = country_ids[record.iso3], indicator_ids[record.indicator]
        return (
            (country_id, indicator_id, record.year),
            record.value,
            lambda is_current: Observation(
                country_id=country_id,
                indicator_id=indicator_id,
                year=record.year,
                value=record.value,
                source=source,
                is_current=is_current,
            ),
            {"iso3": record.iso3, "indicator": record.indicator, "year": record.year},
        )

    _vintages_apply((row(record) for record in records), current, of_source, source, Observation, run)


def _flows_store(
    records: list[formats.FlowRecord], country_ids: dict[str, int], source: Source, run: ImportRun
) -> None:
    current: dict[tuple, _Stored] = {}
    of_source: set[tuple] = set()
    for (
        row_id,
        destination_id,
        origin_id,
        occupation,
        year,
        count,
        source_id,
        is_current,
    ) in MigrationStock.objects.values_list(
        "id", "destination_id", "origin_id", "occupation", "year", "count", "source_id", "is_current"
    ).iterator(chunk_size=10_000):
        key = (destination_id, origin_id, occupation, year)
        if is_current:
            current[key] = _Stored(row_id, count, source_id)
        if source_id == source.pk:
            of_source.add(key)

    def row(record: formats.FlowRecord) -> tuple[tuple, float, Callable[[bool], Model], dict[str, Any]]:
        destination_id, origin_id = country_ids[record.destination], country_ids[record.origin]
        return (
            (destination_id, origin_id, record.occupation, record.year),
            record.count,
            lambda is_current: MigrationStock(
                destination_id=destination_id,
                origin_id=origin_id,
                occupation=record.occupation,
                year=record.year,
                count=record.count,
                source=source,
                is_current=is_current,
            ),
            {
                "destination": record.destination,
                "origin": record.origin,
                "occupation": record.occupation,
                "year": record.year,
            },
        )

    _vintages_apply((row(record) for record in records), current, of_source, source, MigrationStock, run)


def _safeguard_list_store(
    records: list[formats.ListRecord], country_ids: dict[str, int], source: Source, run: ImportRun
) -> None:
    """A list file replaces its years' lists: the countries added and removed are the changes."""
    by_year: dict[int, set[str]] = {}
    for record in records:
        by_year.setdefault(record.list_year, set()).add(record.iso3)
    for list_year, codes in sorted(by_year.items()):
        entries = SafeguardListEntry.objects.filter(list_year=list_year)
        listed = set(entries.values_list("country__iso3", flat=True))
        removed, added = listed - codes, codes - listed
        entries.filter(country__iso3__in=removed).delete()
        # The list as a whole now cites this file.
        entries.exclude(source=source).update(source=source)
        SafeguardListEntry.objects.bulk_create(
            SafeguardListEntry(list_year=list_year, country_id=country_ids[iso3], source=source)
            for iso3 in sorted(added)
        )
        run.created += len(added)
        run.changed += len(removed)
        run.unchanged += len(codes & listed)
        if not listed:
            continue
        run.changes.extend(
            [{"list_year": list_year, "iso3": iso3, "change": "added"} for iso3 in sorted(added)]
            + [{"list_year": list_year, "iso3": iso3, "change": "removed"} for iso3 in sorted(removed)]
        )


# What was imported, for the sources page and the admin (reads only).


@dataclass(frozen=True)
class SourceSummary:
    source: Source
    rows: int
    current_rows: int


def _rows_by_source(model: type[Model], current_only: bool) -> dict[int, int]:
    rows = model._default_manager.all()
    if current_only and model is not SafeguardListEntry:
        rows = rows.filter(is_current=True)
    return dict(rows.values("source_id").annotate(rows=Count("id")).values_list("source_id", "rows"))


def sources_summary() -> list[SourceSummary]:
    """Every source, newest vintage of each dataset first, with how many figures it gave and
    how many of them are current."""
    models: tuple[type[Model], ...] = (Observation, MigrationStock, SafeguardListEntry)
    counts = [_rows_by_source(model, False) for model in models]
    current = [_rows_by_source(model, True) for model in models]
    return [
        SourceSummary(
            source=source,
            rows=sum(count.get(source.pk, 0) for count in counts),
            current_rows=sum(count.get(source.pk, 0) for count in current),
        )
        for source in Source.objects.order_by("dataset", "-file_date", "-imported_at")
    ]


def source_summary(source: Source) -> SourceSummary:
    return next(summary for summary in sources_summary() if summary.source.pk == source.pk)
