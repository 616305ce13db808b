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


def retrieved_dates(folder: Path) -> dict[str, datetime.date]:
    """The retrieval date of each file `workforce fetch` wrote ({} when none is recorded)."""
    try:
        recorded = json.loads((folder / RETRIEVED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    dates: dict[str, datetime.date] = {}
    if isinstance(recorded, dict):
        for name, entry in recorded.items():
            try:
                dates[name] = datetime.date.fromisoformat(entry["retrieved_on"])
            except (TypeError, KeyError, ValueError):
                continue
    return dates


def data_files_present(folder: Path) -> list[DataFile]:
    return [data_file for data_file in DATA_FILES if (folder / data_file.file_name).is_file()]


def data_load(folder: Path | None = None) -> list[ImportRun]:
    """Import every known file present in the folder (others are ignored)."""
    from .services.imports import import_file

    folder = folder or data_folder()
    retrieved = retrieved_dates(folder)
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
            # A fetched file's retrieval date is its date when it carries none inside.
            file_date=retrieved.get(data_file.file_name, data_file.file_date)
            if data_file.file_date
            else None,
            retrieved_on=retrieved.get(data_file.file_name),
        )
        for data_file in data_files_present(folder)
    ]
