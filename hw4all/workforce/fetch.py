"""Downloading the series from the publishers' public APIs (WHO GHO OData, World Bank API v2)
into the data folder, in the formats the importers read, with the retrieval date of each file in
`retrieved.json`.

A publisher's files are written only once every request for them has succeeded, each to a
temporary file renamed into place, so a failed fetch never leaves a half-written or mixed file.
One publisher being unreachable does not stop the other's files from being written."""

from __future__ import annotations

import csv
import datetime
import http.client
import io
import json
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from .dataset import POPULATION, UHC_INDEX, UHC_INDEX_WHO

USER_AGENT = "hw4all-workforce-fetch/1.0 (Health Workers for All platform; health-workforce evidence)"
HEADERS = {"User-Agent": USER_AGENT, "Accept": "application/json"}
TRIES = 3
# Seconds before the second try; doubled before the third.
BACKOFF = 2.0
RETRIEVED_FILE = "retrieved.json"

WHO = "who"
WORLD_BANK = "worldbank"
PUBLISHERS = (WHO, WORLD_BANK)

# The GHO's names of the health-workforce series, as in its CSV export.
WHO_WORKFORCE_INDICATORS = {
    "HWF_0001": "Medical doctors (per 10,000)",
    "HWF_0002": "Medical doctors (number)",
    "HWF_0003": "Generalist medical practitioners (number)",
    "HWF_0004": "Specialist medical practitioners (number)",
    "HWF_0005": "Medical doctors not further defined (number)",
    "HWF_0006": "Nursing and midwifery personnel (per 10,000)",
    "HWF_0007": "Nursing and midwifery personnel (number)",
    "HWF_0008": "Nursing personnel (number)",
    "HWF_0009": "Midwifery personnel (number)",
}

WHO_WORKFORCE_FILE = "who_gho_health_workforce.csv"
WHO_UHC_FILE = "who_gho_uhc_index.csv"
WORLD_BANK_POPULATION_FILE = "worldbank_population.csv"
WORLD_BANK_UHC_FILE = "worldbank_uhc_service_coverage_index.csv"
WORLD_BANK_COUNTRIES_FILE = "worldbank_countries.csv"

# The World Bank's income levels the platform classifies by; "INX" (not classified) is left empty.
WORLD_BANK_INCOME_LEVELS = {"LIC", "LMC", "UMC", "HIC"}
# World Bank API pages: as large as it allows, so a series is one or two requests.
WORLD_BANK_PER_PAGE = 20000
# A guard against a server whose next page never ends.
MAX_PAGES = 200


class FetchError(Exception):
    """A publisher could not be read: the message says which and why."""


@dataclass(frozen=True)
class FetchedFile:
    name: str
    url: str
    rows: int
    file_date: datetime.date | None = None
    # Every address read to write it, when more than `url`.
    requests: tuple[str, ...] = ()


@dataclass
class FetchResult:
    files: list[FetchedFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Client:
    timeout: float
    backoff: float

    def get_json(self, url: str) -> Any:
        host = urllib.parse.urlsplit(url).hostname or url
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"Not a web address: {url}.")
        request = urllib.request.Request(url, headers=HEADERS)  # noqa: S310 (http or https, checked above)
        problem = ""
        for attempt in range(TRIES):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (checked above)
                    body = response.read()
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    raise FetchError(f"{host} refused {url}: HTTP {error.code} {error.reason}.") from error
                problem = f"HTTP {error.code} {error.reason}"
                continue
            except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as error:
                reason = error.reason if isinstance(error, urllib.error.URLError) else error
                problem = str(reason) or type(reason).__name__
                continue
            try:
                return json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise FetchError(
                    f"{host} answered {url} with something that is not JSON ({error})."
                ) from error
        raise FetchError(f"Could not reach {host}: {problem} (tried {TRIES} times; {url}).")


def _number(value: float) -> str:
    """As the publishers write it: 9880, not 9880.0; 1.9, not 1.8999999."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# WHO Global Health Observatory (OData).


def _gho_values(client: _Client, url: str) -> list[dict]:
    """Every record of an OData collection, following `@odata.nextLink` pages."""
    records: list[dict] = []
    for _page in range(MAX_PAGES):
        payload = client.get_json(url)
        if not isinstance(payload, dict) or not isinstance(payload.get("value"), list):
            raise FetchError(f"{urllib.parse.urlsplit(url).hostname} answered {url} without a “value” list.")
        records.extend(item for item in payload["value"] if isinstance(item, dict))
        next_link = payload.get("@odata.nextLink")
        if not next_link:
            return records
        url = urllib.parse.urljoin(url, next_link)
    raise FetchError(f"{url} has more than {MAX_PAGES} pages.")


@dataclass(frozen=True)
class _GhoFact:
    iso3: str
    region: str
    year: int
    indicator: str
    value: float
    date: datetime.date | None


def _gho_facts(records: Iterable[dict], indicator: str) -> list[_GhoFact]:
    facts = []
    for record in records:
        if record.get("SpatialDimType") != "COUNTRY" or record.get("NumericValue") is None:
            continue
        try:
            year = int(record["TimeDim"])
            value = float(record["NumericValue"])
        except (KeyError, TypeError, ValueError):
            continue
        facts.append(
            _GhoFact(
                iso3=str(record.get("SpatialDim") or ""),
                region=str(record.get("ParentLocationCode") or ""),
                year=year,
                indicator=str(record.get("IndicatorCode") or indicator),
                value=value,
                date=_date(record.get("Date")),
            )
        )
    return [fact for fact in facts if fact.iso3]


def fetch_who(folder: Path, base_url: str, client: _Client) -> list[FetchedFile]:
    countries = {
        str(item.get("Code")): item
        for item in _gho_values(client, urllib.parse.urljoin(base_url, "DIMENSION/COUNTRY/DimensionValues"))
    }
    workforce: list[_GhoFact] = []
    workforce_urls = tuple(urllib.parse.urljoin(base_url, code) for code in WHO_WORKFORCE_INDICATORS)
    for code, url in zip(WHO_WORKFORCE_INDICATORS, workforce_urls, strict=True):
        workforce.extend(_gho_facts(_gho_values(client, url), code))
    uhc_url = urllib.parse.urljoin(base_url, UHC_INDEX_WHO)
    uhc = _gho_facts(_gho_values(client, uhc_url), UHC_INDEX_WHO)

    latest: dict[tuple[str, str], int] = {}
    for fact in workforce:
        key = (fact.iso3, fact.indicator)
        latest[key] = max(latest.get(key, fact.year), fact.year)
    workforce.sort(key=lambda fact: (fact.indicator, fact.iso3, fact.year))
    workforce_rows = [
        (
            fact.iso3,
            countries.get(fact.iso3, {}).get("Title") or fact.iso3,
            fact.region or countries.get(fact.iso3, {}).get("ParentCode") or "",
            fact.year,
            fact.indicator,
            WHO_WORKFORCE_INDICATORS.get(fact.indicator, fact.indicator),
            _number(fact.value),
            "true" if latest[(fact.iso3, fact.indicator)] == fact.year else "false",
            fact.date.isoformat() if fact.date else "",
        )
        for fact in workforce
    ]
    uhc.sort(key=lambda fact: (fact.iso3, fact.year))
    uhc_rows = [(fact.iso3, fact.indicator, fact.year, _number(fact.value)) for fact in uhc]

    header = "iso3,country,who_region,year,indicator_code,indicator,value,is_latest_year,date_modified"
    _write_atomic(folder / WHO_WORKFORCE_FILE, _csv_text(header.split(","), workforce_rows))
    _write_atomic(folder / WHO_UHC_FILE, _csv_text(["iso3", "indicator", "year", "value"], uhc_rows))
    return [
        FetchedFile(
            name=WHO_WORKFORCE_FILE,
            url=base_url,
            rows=len(workforce_rows),
            file_date=max((fact.date for fact in workforce if fact.date), default=None),
            requests=workforce_urls,
        ),
        FetchedFile(
            name=WHO_UHC_FILE,
            url=uhc_url,
            rows=len(uhc_rows),
            file_date=max((fact.date for fact in uhc if fact.date), default=None),
        ),
    ]


# World Bank API v2.


def _world_bank_pages(client: _Client, url: str) -> tuple[list[dict], datetime.date | None]:
    """Every record of a World Bank list, following its pages, and its `lastupdated` date."""
    records: list[dict] = []
    page, pages, updated = 1, 1, None
    host = urllib.parse.urlsplit(url).hostname
    while page <= min(pages, MAX_PAGES):
        separator = "&" if "?" in url else "?"
        payload = client.get_json(f"{url}{separator}page={page}")
        if isinstance(payload, list) and payload and isinstance(payload[0], dict) and "message" in payload[0]:
            messages = "; ".join(
                str(item.get("value") or item.get("key"))
                for item in payload[0]["message"]
                if isinstance(item, dict)
            )
            raise FetchError(f"{host} refused {url}: {messages}.")
        if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], dict)):
            raise FetchError(f"{host} answered {url} with a response that is not a World Bank page.")
        header, items = payload
        pages = int(header.get("pages") or 1)
        updated = _date(header.get("lastupdated")) or updated
        records.extend(item for item in items or [] if isinstance(item, dict))
        page += 1
    return records, updated


def _world_bank_series(
    client: _Client, base_url: str, code: str
) -> tuple[str, list[dict], datetime.date | None]:
    url = urllib.parse.urljoin(
        base_url, f"country/all/indicator/{code}?format=json&per_page={WORLD_BANK_PER_PAGE}"
    )
    records, updated = _world_bank_pages(client, url)
    found = []
    for record in records:
        iso3 = record.get("countryiso3code") or ""
        if not iso3 or record.get("value") is None:
            continue
        try:
            found.append(
                {
                    "iso3": iso3,
                    "name": (record.get("country") or {}).get("value") or iso3,
                    "year": int(record["date"]),
                    "value": float(record["value"]),
                }
            )
        except (KeyError, TypeError, ValueError):
            continue
    found.sort(key=lambda row: (row["iso3"], row["year"]))
    return url, found, updated


def fetch_world_bank(folder: Path, base_url: str, client: _Client) -> list[FetchedFile]:
    population_url, population, population_date = _world_bank_series(client, base_url, POPULATION)
    uhc_url, uhc, uhc_date = _world_bank_series(client, base_url, UHC_INDEX)
    countries_url = urllib.parse.urljoin(base_url, "country?format=json&per_page=400")
    countries, _updated = _world_bank_pages(client, countries_url)
    economies = sorted(
        (
            item["id"],
            item.get("name") or item["id"],
            ((item.get("region") or {}).get("value") or "").strip(),
            level if (level := (item.get("incomeLevel") or {}).get("id")) in WORLD_BANK_INCOME_LEVELS else "",
        )
        for item in countries
        # Aggregates (regions, income groups, the world) have no region of their own.
        if item.get("id") and (item.get("region") or {}).get("id") not in (None, "", "NA")
    )

    _write_atomic(
        folder / WORLD_BANK_POPULATION_FILE,
        _csv_text(
            ["Country Name", "Country Code", "Year", "Value"],
            ((row["name"], row["iso3"], row["year"], _number(row["value"])) for row in population),
        ),
    )
    _write_atomic(
        folder / WORLD_BANK_UHC_FILE,
        _csv_text(
            ["iso3", "country", "year", "uhc_sci"],
            ((row["iso3"], row["name"], row["year"], _number(row["value"])) for row in uhc),
        ),
    )
    _write_atomic(
        folder / WORLD_BANK_COUNTRIES_FILE, _csv_text(["iso3", "name", "region", "income_group"], economies)
    )
    return [
        FetchedFile(WORLD_BANK_POPULATION_FILE, population_url, len(population), population_date),
        FetchedFile(WORLD_BANK_UHC_FILE, uhc_url, len(uhc), uhc_date),
        FetchedFile(WORLD_BANK_COUNTRIES_FILE, countries_url, len(economies)),
    ]


def _retrieved_record(folder: Path, files: list[FetchedFile], today: datetime.date) -> None:
    """Adds the files just written to `retrieved.json`, keeping the entries of the others."""
    path = folder / RETRIEVED_FILE
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        records = {}
    if not isinstance(records, dict):
        records = {}
    for file in files:
        entry: dict[str, object] = {"url": file.url, "retrieved_on": today.isoformat()}
        if file.file_date:
            entry["file_date"] = file.file_date.isoformat()
        if file.requests:
            entry["requests"] = list(file.requests)
        records[file.name] = entry
    _write_atomic(path, json.dumps(records, indent=2, sort_keys=True) + "\n")


def workforce_fetch(
    folder: Path | None = None,
    *,
    only: str | None = None,
    timeout: float = 60,
    today: datetime.date | None = None,
) -> FetchResult:
    """Downloads each publisher's files (`only` one of PUBLISHERS) into `folder` (by default
    `settings.WORKFORCE_DATA_DIR`). A publisher that fails is named in `errors`; the others'
    files are still written and recorded."""
    folder = Path(folder or settings.WORKFORCE_DATA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    client = _Client(timeout=timeout, backoff=BACKOFF)
    fetchers: dict[str, Callable[[], list[FetchedFile]]] = {
        WHO: lambda: fetch_who(folder, settings.WORKFORCE_GHO_API, client),
        WORLD_BANK: lambda: fetch_world_bank(folder, settings.WORKFORCE_WORLD_BANK_API, client),
    }
    result = FetchResult()
    for publisher in PUBLISHERS:
        if only and publisher != only:
            continue
        try:
            result.files.extend(fetchers[publisher]())
        except FetchError as error:
            result.errors.append(str(error))
    if result.files:
        _retrieved_record(folder, result.files, today or datetime.date.today())
    return result
