"""The real data files as a `DataSet`, read straight from the data folder through the importers'
parsers (no database), once per test session: for tests that check figures computed by hand
from the shipped files."""

from __future__ import annotations

import functools

from django_countries import countries

from hw4all.workforce import formats
from hw4all.workforce.dataset import CountryInfo, DataSet, Flow, Point, SourceRef, dataset_build
from hw4all.workforce.loader import data_files_present, data_folder, retrieved_dates


@functools.cache
def shipped_dataset() -> DataSet:
    folder = data_folder()
    retrieved = retrieved_dates(folder)
    names: dict[str, str] = {}
    regions: dict[str, str] = {}
    incomes: dict[str, str] = {}
    observations: list[tuple[str, str, Point]] = []
    flows: list[Flow] = []
    lists: dict[int, set[str]] = {}
    list_sources: dict[int, SourceRef] = {}
    for number, data_file in enumerate(data_files_present(folder), start=1):
        result = formats.parse(
            folder / data_file.file_name,
            data_file.format,
            indicator=data_file.indicator,
            value_column=data_file.value_column,
        )
        source = SourceRef(
            id=number,
            dataset=data_file.dataset,
            publisher=data_file.publisher,
            url=data_file.url,
            file_date=data_file.file_date or result.file_date,
            retrieved_on=retrieved.get(data_file.file_name),
        )
        for record in result.records:
            if isinstance(record, formats.ObservationRecord):
                observations.append(
                    (
                        record.iso3,
                        record.indicator,
                        Point(year=record.year, value=record.value, source=source),
                    )
                )
                names.setdefault(record.iso3, record.country_name)
                if record.who_region:
                    regions[record.iso3] = record.who_region
            elif isinstance(record, formats.FlowRecord):
                flows.append(
                    Flow(
                        destination=record.destination,
                        origin=record.origin,
                        occupation=record.occupation,
                        year=record.year,
                        count=record.count,
                        source=source,
                    )
                )
                names.setdefault(record.destination, "")
                names.setdefault(record.origin, "")
            elif isinstance(record, formats.ListRecord):
                lists.setdefault(record.list_year, set()).add(record.iso3)
                list_sources[record.list_year] = source
                names.setdefault(record.iso3, record.country_name)
            else:
                names[record.iso3] = record.name
                incomes[record.iso3] = record.income_group
    country_infos = [
        CountryInfo(
            iso3=iso3,
            iso2=countries.alpha2(iso3) or "",
            name=name or str(countries.name(countries.alpha2(iso3))),
            who_region=regions.get(iso3, ""),
            income_group=incomes.get(iso3, ""),
        )
        for iso3, name in names.items()
    ]
    return dataset_build(country_infos, observations, flows, lists, list_sources)
