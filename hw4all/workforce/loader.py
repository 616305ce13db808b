"""The files of the data folder this platform knows, where each comes from, and loading them
all (what `workforce load` and `load_demo` do)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .dataset import POPULATION, UHC_INDEX, UHC_INDEX_WHO
from .models import ImportRun, SourceFormat

RETRIEVED_FILE = "retrieved.json"


@dataclass(frozen=True)
class DataFile:
    """A file of the data folder: its format and its provenance. `indicator` and
    `value_column` name the series of a single-series file; `file_date` is the publisher's
    date when the file carries none inside."""

    file_name: str
    format: str
    dataset: str
    publisher: str
    url: str
    licence: str
    indicator: str = ""
    value_column: str = ""
    file_date: datetime.date | None = None
    # A file this one supersedes when both are present (the publisher's own series over a copy).
    supersedes: str = ""


DATA_FILES: list[DataFile] = [
    # Countries first: their income groups, when fetched, are there before any figure.
    DataFile(
        file_name="worldbank_countries.csv",
        format=SourceFormat.WORLD_BANK_COUNTRIES,
        dataset="World Bank, country and lending groups",
        publisher="World Bank",
        url="https://datahelpdesk.worldbank.org/knowledgebase/articles/906519",
        licence="CC BY 4.0",
    ),
    DataFile(
        file_name="who_gho_health_workforce.csv",
        format=SourceFormat.WHO_GHO,
        dataset="WHO Global Health Observatory, National Health Workforce Accounts",
        publisher="World Health Organization",
        url="https://www.who.int/data/gho/data/themes/topics/health-workforce",
        licence="WHO data terms; attribute WHO",
    ),
    DataFile(
        file_name="worldbank_population.csv",
        format=SourceFormat.WORLD_BANK,
        dataset="World Bank, World Development Indicators: population, total",
        publisher="World Bank",
        url="https://data.worldbank.org/indicator/SP.POP.TOTL",
        licence="CC BY 4.0",
        indicator=POPULATION,
        # The date of the copy: the repackaged file carries none inside.
        file_date=datetime.date(2026, 3, 6),
    ),
    DataFile(
        file_name="worldbank_uhc_service_coverage_index.csv",
        format=SourceFormat.LONG,
        dataset="World Bank, World Development Indicators: UHC service coverage index",
        publisher="World Bank (source: WHO)",
        url="https://data.worldbank.org/indicator/SH.UHC.SRVS.CV.XD",
        licence="CC BY 4.0",
        indicator=UHC_INDEX,
        value_column="uhc_sci",
        file_date=datetime.date(2025, 1, 28),
    ),
    DataFile(
        file_name="owid_uhc_service_coverage_index.csv",
        format=SourceFormat.LONG,
        dataset="Our World in Data: UHC service coverage index (WHO)",
        publisher="Our World in Data (source: WHO Global Health Observatory)",
        url="https://ourworldindata.org/grapher/universal-health-coverage-index",
        licence="CC BY 4.0",
        indicator=UHC_INDEX_WHO,
        file_date=datetime.date(2025, 2, 22),
    ),
    # Written by `workforce fetch` from the WHO's own API: the same series as the copy above.
    DataFile(
        file_name="who_gho_uhc_index.csv",
        format=SourceFormat.LONG,
        dataset="WHO Global Health Observatory: UHC service coverage index",
        publisher="World Health Organization",
        url="https://ghoapi.azureedge.net/api/UHC_INDEX_REPORTED",
        licence="WHO data terms; attribute WHO",
        supersedes="owid_uhc_service_coverage_index.csv",
    ),
    DataFile(
        file_name="oecd_foreign_trained_doctors_by_origin_2018.csv",
        format=SourceFormat.OECD,
        dataset="OECD Health Statistics, Health Workforce Migration (foreign-trained doctors)",
        publisher="OECD",
        url="https://stats.oecd.org/Index.aspx?DataSetCode=HEALTH_WFMI",
        licence="OECD terms and conditions (CC BY 4.0 since 2024); attribute OECD",
        file_date=datetime.date(2021, 6, 4),
    ),
    DataFile(
        file_name="who_ssl_2023.csv",
        format=SourceFormat.SAFEGUARD_LIST,
        dataset="WHO Health Workforce Support and Safeguards List 2023",
        publisher="World Health Organization",
        url="https://www.who.int/publications/i/item/9789240069787",
        licence="",
        file_date=datetime.date(2023, 3, 23),
    ),
]


def data_folder() -> Path:
    return Path(settings.WORKFORCE_DATA_DIR)


def _recorded_date(entry: object, key: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(entry[key])  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        return None


def retrieved_dates(folder: Path, key: str = "retrieved_on") -> dict[str, datetime.date]:
    """A date `workforce fetch` recorded for each file it wrote: the day it was retrieved, or
    with key="file_date" the publisher's date of the series ({} when none is recorded)."""
    try:
        recorded = json.loads((folder / RETRIEVED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    found = ((name, _recorded_date(entry, key)) for name, entry in recorded.items())
    return {name: date for name, date in found if date is not None}


def data_files_present(folder: Path) -> list[DataFile]:
    present = [data_file for data_file in DATA_FILES if (folder / data_file.file_name).is_file()]
    superseded = {data_file.supersedes for data_file in present}
    return [data_file for data_file in present if data_file.file_name not in superseded]


def data_load(folder: Path | None = None) -> list[ImportRun]:
    """Import every known file present in the folder (others are ignored)."""
    from .services.imports import import_file

    folder = folder or data_folder()
    retrieved = retrieved_dates(folder)
    published = retrieved_dates(folder, "file_date")
    return [
        import_file(
            folder / data_file.file_name,
            format=data_file.format,
            file_name=data_file.file_name,
            dataset=data_file.dataset,
            publisher=data_file.publisher,
            url=data_file.url,
            licence=data_file.licence,
            indicator=data_file.indicator,
            value_column=data_file.value_column,
            # A fetched file is dated by its publisher's date, else by its retrieval; a file that
            # carries its dates inside (the WHO's rows) needs neither.
            file_date=published.get(data_file.file_name)
            or (retrieved.get(data_file.file_name, data_file.file_date) if data_file.file_date else None),
            retrieved_on=retrieved.get(data_file.file_name),
        )
        for data_file in data_files_present(folder)
    ]
