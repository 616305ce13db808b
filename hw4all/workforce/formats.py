"""The publishers' file formats, read into typed records with their line numbers.

Pure functions: nothing here touches the database. A parser never raises on bad content: every
problem becomes a `LineError` (a line number and a sentence a data manager can act on), and the
rows it can read are still returned, so one bad line loses only itself.
"""

from __future__ import annotations

import csv
import datetime
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

from django.utils.translation import gettext as _
from django_countries import countries

from .models import IncomeGroup, Occupation, SourceFormat

MAX_BYTES = 50 * 1024 * 1024

# The World Bank's aggregates (regions, income and lending groups, the world): rows of its
# files that are not countries, skipped and counted rather than reported as errors.
WORLD_BANK_AGGREGATES = frozenset(
    {
        *("AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS"),
        *("HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "INX", "LAC", "LCN", "LDC", "LIC", "LMC"),
        *("LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA"),
        *("SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD"),
    }
)

WHO_REGION_CODES = frozenset({"AFR", "AMR", "EMR", "EUR", "SEAR", "WPR"})

# OECD.Stat HEALTH_WFMI variables: the stocks of foreign-trained doctors and nurses.
OECD_VARIABLES = {"FTDS": Occupation.DOCTORS, "FTNS": Occupation.NURSES}

# The World Bank's names of its income groups, as its country metadata spells them.
INCOME_GROUP_NAMES = {
    "low income": IncomeGroup.LOW,
    "lower middle income": IncomeGroup.LOWER_MIDDLE,
    "upper middle income": IncomeGroup.UPPER_MIDDLE,
    "high income": IncomeGroup.HIGH,
}

FIRST_YEAR = 1800
LAST_YEAR = 2200


@dataclass(frozen=True)
class ObservationRecord:
    line: int
    iso3: str
    indicator: str
    year: int
    value: float
    country_name: str = ""
    who_region: str = ""
    file_date: datetime.date | None = None


@dataclass(frozen=True)
class FlowRecord:
    line: int
    destination: str
    origin: str
    occupation: str
    year: int
    count: int


@dataclass(frozen=True)
class ListRecord:
    line: int
    iso3: str
    country_name: str
    list_year: int


@dataclass(frozen=True)
class CountryRecord:
    line: int
    iso3: str
    name: str
    region: str
    income_group: str


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


Record = ObservationRecord | FlowRecord | ListRecord | CountryRecord
R = TypeVar("R", ObservationRecord, FlowRecord, ListRecord, CountryRecord)


@dataclass
class ParseResult:
    """What a file held: its records, its errors, how many data lines it had and how many of
    them were skipped on purpose (aggregates, other variables, empty cells)."""

    records: list[Record] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    lines: int = 0
    skipped: int = 0
    # Indicator code -> its name, as the file gives it.
    indicator_names: dict[str, str] = field(default_factory=dict)
    # The date the file itself gives (the World Bank's "Last Updated Date"; GHO's latest
    # DateModified).
    file_date: datetime.date | None = None

    @property
    def observations(self) -> list[ObservationRecord]:
        return [record for record in self.records if isinstance(record, ObservationRecord)]


class _FileError(Exception):
    """A problem with the whole file; it stops the parse with one error."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse(
    source: bytes | BinaryIO | Path,
    format: str,
    *,
    indicator: str = "",
    value_column: str = "",
    max_bytes: int = MAX_BYTES,
) -> ParseResult:
    """Read a file of one of the `SourceFormat`s. `indicator` names the series of a file that
    has a single one without saying which (World Bank long files, OWID exports, long files with
    a named value column); `value_column` names the column holding its values."""
    result = ParseResult()
    try:
        text = _text(_bytes(source, max_bytes), max_bytes)
        parser = PARSERS.get(format)
        if parser is None:
            raise _FileError(_("Unknown file format “%(format)s”.") % {"format": format})
        parser(text, result, indicator.strip(), value_column.strip())
        if not result.lines:
            raise _FileError(_("The file has a header but no data lines."))
    except _FileError as error:
        result.errors.append(LineError(error.line, error.message))
    return result


def _bytes(source: bytes | BinaryIO | Path, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, Path):
        with source.open("rb") as stream:
            return stream.read(max_bytes + 1)
    return source.read(max_bytes + 1)


def _text(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise _FileError(
            _("The file is larger than %(size)s MB: split it, or import it from the command line.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if not data.strip():
        raise _FileError(_("The file is empty."))
    head = data[:8192]
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise _FileError(
            _(
                "The file is not CSV text (it looks like a spreadsheet, an archive or another "
                "binary file): save it as “CSV UTF-8” and import that."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _FileError(
            _("The file is not UTF-8 text (line %(line)s): save it as “CSV UTF-8” and import it again.")
            % {"line": line},
            line,
        ) from None


class _Rows:
    """A CSV table: its header (case- and space-insensitive names) and its data rows with
    their line numbers."""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.reader = csv.reader(lines)
        self.first_line = first_line
        try:
            header = next(self.reader)
        except (StopIteration, csv.Error):
            raise _FileError(_("The file is empty."), first_line) from None
        self.header = [_column_key(name) for name in header]
        self.header_line = first_line + self.reader.line_num - 1

    def has(self, name: str) -> bool:
        return _column_key(name) in self.header

    def index(self, name: str) -> int:
        key = _column_key(name)
        if key not in self.header:
            raise _FileError(_("The file has no “%(column)s” column.") % {"column": name}, self.header_line)
        return self.header.index(key)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                row = next(self.reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _FileError(
                    _("The file is not valid CSV: %(error)s") % {"error": error},
                    self.first_line + self.reader.line_num - 1,
                ) from None
            if not any(cell.strip() for cell in row):
                continue
            yield self.first_line + self.reader.line_num - 1, row


def _column_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).lower()


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


class _LineProblem(Exception):
    pass


def _country(code: str) -> str | None:
    """The ISO3 code, None for an aggregate (World Bank, Our World in Data) to skip."""
    code = code.strip().upper()
    if code in WORLD_BANK_AGGREGATES or code.startswith("OWID_"):
        return None
    return _iso3(code)


def _iso3(code: str) -> str:
    code = code.strip().upper()
    if len(code) == 3 and countries.alpha2(code):
        return code
    raise _LineProblem(_("Unknown country code “%(code)s”.") % {"code": code})


def _year(text: str) -> int:
    try:
        year = int(float(text)) if re.fullmatch(r"\d{4}(\.0+)?", text.strip()) else None
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise _LineProblem(_("“%(year)s” is not a year.") % {"year": text})
    return year


def _value(text: str) -> float:
    if not text:
        raise _LineProblem(_("The value is empty."))
    try:
        value = (
            float(text.replace(",", "")) if re.fullmatch(r"-?[\d,]*\.?\d+(e[-+]?\d+)?", text, re.I) else None
        )
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        raise _LineProblem(_("“%(value)s” is not a number.") % {"value": text})
    if value < 0:
        raise _LineProblem(_("The value %(value)s is negative.") % {"value": text})
    return value


def _count(text: str) -> int:
    value = _value(text)
    if value != int(value):
        raise _LineProblem(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(value)


def _date(text: str) -> datetime.date | None:
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", text)
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return None


class _Keys:
    """Duplicate keys within one file: the same value again is skipped, a different value is
    an error that names both lines."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.seen: dict[tuple, tuple[int, float]] = {}

    def add(self, key: tuple, line: int, value: float, label: str) -> bool:
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = (line, value)
            return True
        if earlier[1] != value:
            self.result.errors.append(
                LineError(
                    line,
                    _(
                        "Line %(line)s repeats line %(earlier)s (%(key)s) with a different value: %(value)s, not %(old)s."
                    )
                    % {"line": line, "earlier": earlier[0], "key": label, "value": value, "old": earlier[1]},
                )
            )
        else:
            self.result.skipped += 1
        return False


def _rows_read(rows: _Rows, result: ParseResult, read: Callable[[int, list[str]], R | None]) -> list[R]:
    """Each data row read into a record; a row's problem becomes its error, a row read as
    None is counted as skipped."""
    records: list[R] = []
    for line, row in rows:
        result.lines += 1
        try:
            record = read(line, row)
        except _LineProblem as problem:
            result.errors.append(LineError(line, str(problem)))
            continue
        if record is None:
            result.skipped += 1
        else:
            records.append(record)
    return records


def _observations_keep(result: ParseResult, records: list[ObservationRecord]) -> None:
    """Keep the first of each (country, indicator, year); a repeat is skipped or reported."""
    keys = _Keys(result)
    result.records.extend(
        record
        for record in records
        if keys.add(
            (record.iso3, record.indicator, record.year),
            record.line,
            record.value,
            f"{record.iso3}, {record.indicator}, {record.year}",
        )
    )


def parse_who_gho(text: str, result: ParseResult, indicator: str, value_column: str) -> None:
    """The GHO "full export" CSV or the tidy derivative (iso3, country, who_region, year,
    indicator_code, indicator, value, …, date_modified), told apart by their header."""
    rows = _Rows(text.splitlines(), 1)
    if rows.has("SpatialDimValueCode"):
        columns = {
            "iso3": "SpatialDimValueCode",
            "country": "Location",
            "region": "ParentLocationCode",
            "year": "Period",
            "code": "IndicatorCode",
            "indicator": "Indicator",
            "value": "FactValueNumeric",
            "date": "DateModified",
        }
    else:
        columns = {
            "iso3": "iso3",
            "country": "country",
            "region": "who_region",
            "year": "year",
            "code": "indicator_code",
            "indicator": "indicator",
            "value": "value",
            "date": "date_modified",
        }
    at = {
        key: rows.index(name)
        for key, name in columns.items()
        if key not in {"country", "region", "indicator", "date"} or rows.has(name)
    }

    def read(line: int, row: list[str]) -> ObservationRecord | None:
        code = _cell(row, at["iso3"]).upper()
        # The full export also holds the regions' and the world's aggregates.
        if code in WHO_REGION_CODES or code == "GLOBAL":
            return None
        iso3 = _country(code)
        if iso3 is None:
            return None
        indicator_code = _cell(row, at["code"]) or indicator
        if not indicator_code:
            raise _LineProblem(_("The indicator code is empty."))
        if "indicator" in at and indicator_code not in result.indicator_names:
            result.indicator_names[indicator_code] = " ".join(_cell(row, at["indicator"]).split())
        region = _cell(row, at["region"]).upper() if "region" in at else ""
        return ObservationRecord(
            line=line,
            iso3=iso3,
            indicator=indicator_code,
            year=_year(_cell(row, at["year"])),
            value=_value(_cell(row, at["value"])),
            country_name=_cell(row, at["country"]) if "country" in at else "",
            who_region=region if region in WHO_REGION_CODES else "",
            file_date=_date(_cell(row, at["date"])) if "date" in at else None,
        )

    _observations_keep(result, _rows_read(rows, result, read))
    dates = [record.file_date for record in result.observations if record.file_date]
    result.file_date = max(dates, default=None)


def parse_world_bank(text: str, result: ParseResult, indicator: str, value_column: str) -> None:
    """The World Bank bulk CSV (preamble lines, then one column per year) or its long
    repackaging (Country Name, Country Code, Year, Value: the series is the caller's)."""
    lines = text.splitlines()
    start = 0
    for number, preamble in enumerate(lines[:10]):
        cells = next(csv.reader([preamble]), [])
        if cells and _column_key(cells[0]) == "last updated date" and len(cells) > 1:
            result.file_date = _date(cells[1])
        if cells and _column_key(cells[0]) == "country name":
            start = number
            break
    rows = _Rows(lines[start:], start + 1)
    iso3_at = rows.index("Country Code")
    name_at = rows.index("Country Name")
    if rows.has("Year"):
        if not indicator:
            raise _FileError(_("Give the indicator code of the file's values (for example SP.POP.TOTL)."))
        year_at = rows.index("Year")
        value_at = rows.index(value_column or "Value")

        def read_long(line: int, row: list[str]) -> ObservationRecord | None:
            iso3 = _country(_cell(row, iso3_at))
            if iso3 is None:
                return None
            return ObservationRecord(
                line=line,
                iso3=iso3,
                indicator=indicator,
                year=_year(_cell(row, year_at)),
                value=_value(_cell(row, value_at)),
                country_name=_cell(row, name_at),
                file_date=result.file_date,
            )

        _observations_keep(result, _rows_read(rows, result, read_long))
        return
    code_at = rows.index("Indicator Code")
    indicator_name_at = rows.index("Indicator Name")
    year_columns = [
        (index, int(name)) for index, name in enumerate(rows.header) if re.fullmatch(r"\d{4}", name)
    ]
    if not year_columns:
        raise _FileError(_("The file has no “year” column."), rows.header_line)
    wide: list[ObservationRecord] = []
    for line, row in rows:  # one line holds many observations: read here, not by _rows_read
        result.lines += 1
        try:
            iso3 = _country(_cell(row, iso3_at))
        except _LineProblem as problem:
            result.errors.append(LineError(line, str(problem)))
            continue
        if iso3 is None:
            result.skipped += 1
            continue
        code = _cell(row, code_at) or indicator
        result.indicator_names.setdefault(code, _cell(row, indicator_name_at))
        for index, year in year_columns:
            cell = _cell(row, index)
            if not cell:
                continue
            try:
                value = _value(cell)
            except _LineProblem as problem:
                result.errors.append(LineError(line, f"{year}: {problem}"))
                continue
            wide.append(
                ObservationRecord(
                    line=line,
                    iso3=iso3,
                    indicator=code,
                    year=year,
                    value=value,
                    country_name=_cell(row, name_at),
                    file_date=result.file_date,
                )
            )
    _observations_keep(result, wide)


def parse_oecd(text: str, result: ParseResult, indicator: str, value_column: str) -> None:
    """The OECD.Stat CSV export of Health Workforce Migration: stocks of foreign-trained
    doctors (FTDS) and nurses (FTNS) by destination (COU) and country of training (CO2)."""
    rows = _Rows(text.splitlines(), 1)
    destination_at = rows.index("COU")
    origin_at = rows.index("CO2")
    variable_at = rows.index("VAR")
    year_at = rows.index("YEA") if rows.has("YEA") else rows.index("Year")
    value_at = rows.index("Value")
    keys = _Keys(result)

    def read(line: int, row: list[str]) -> FlowRecord | None:
        occupation = OECD_VARIABLES.get(_cell(row, variable_at).upper())
        if occupation is None:
            return None
        destination = _iso3(_cell(row, destination_at))
        origin = _iso3(_cell(row, origin_at))
        return FlowRecord(
            line=line,
            destination=destination,
            origin=origin,
            occupation=str(occupation),
            year=_year(_cell(row, year_at)),
            count=_count(_cell(row, value_at)),
        )

    for record in _rows_read(rows, result, read):
        key = (record.destination, record.origin, record.occupation, record.year)
        label = f"{record.origin} → {record.destination}, {record.occupation}, {record.year}"
        if keys.add(key, record.line, record.count, label):
            result.records.append(record)


def parse_long(text: str, result: ParseResult, indicator: str, value_column: str) -> None:
    """A long CSV: iso3, indicator, year, value; or one series with the caller's indicator
    code (iso3, …, year, <value column>); or an Our World in Data grapher export (Entity, Code,
    Year, <value>; rows without a code are regions)."""
    rows = _Rows(text.splitlines(), 1)
    owid = rows.has("Entity") and rows.has("Code")
    iso3_at = rows.index("Code" if owid else "iso3")
    year_at = rows.index("year")
    name_column = "Entity" if owid else "country"
    name_at = rows.index(name_column) if rows.has(name_column) else None
    indicator_at = rows.index("indicator") if rows.has("indicator") and not indicator else None
    if indicator_at is None and not indicator:
        raise _FileError(_("The file has no “indicator” column."), rows.header_line)
    if value_column:
        value_at = rows.index(value_column)
    elif rows.has("value"):
        value_at = rows.index("value")
    else:
        known = {"iso3", "code", "entity", "country", "year", "indicator"}
        others = [index for index, name in enumerate(rows.header) if name not in known]
        if len(others) != 1:
            raise _FileError(_("The file has no “value” column."), rows.header_line)
        value_at = others[0]

    def read(line: int, row: list[str]) -> ObservationRecord | None:
        code = _cell(row, iso3_at)
        if owid and not code:
            return None
        iso3 = _country(code)
        if iso3 is None:
            return None
        indicator_code = _cell(row, indicator_at) if indicator_at is not None else indicator
        if not indicator_code:
            raise _LineProblem(_("The indicator code is empty."))
        return ObservationRecord(
            line=line,
            iso3=iso3,
            indicator=indicator_code,
            year=_year(_cell(row, year_at)),
            value=_value(_cell(row, value_at)),
            country_name=_cell(row, name_at) if name_at is not None else "",
        )

    _observations_keep(result, _rows_read(rows, result, read))


def parse_safeguard_list(text: str, result: ParseResult, indicator: str, value_column: str) -> None:
    """The WHO Health Workforce Support and Safeguards List: iso3, country, list_year."""
    rows = _Rows(text.splitlines(), 1)
    iso3_at = rows.index("iso3")
    year_at = rows.index("list_year")
    name_at = rows.index("country") if rows.has("country") else None
    seen: set[tuple[str, int]] = set()

    def read(line: int, row: list[str]) -> ListRecord | None:
        iso3 = _iso3(_cell(row, iso3_at))
        year = _year(_cell(row, year_at))
        if (iso3, year) in seen:
            return None
        seen.add((iso3, year))
        return ListRecord(
            line=line,
            iso3=iso3,
            country_name=_cell(row, name_at) if name_at is not None else "",
            list_year=year,
        )

    result.records.extend(_rows_read(rows, result, read))


def parse_world_bank_countries(text: str, result: ParseResult, indicator: str, value_column: str) -> None:
    """The World Bank's country metadata: iso3, name, region, income_group (a code such as
    LIC or the Bank's name, "Low income"); aggregates are skipped."""
    rows = _Rows(text.splitlines(), 1)
    iso3_at = rows.index("iso3")
    name_at = rows.index("name")
    region_at = rows.index("region") if rows.has("region") else None
    income_at = rows.index("income_group")

    def read(line: int, row: list[str]) -> CountryRecord | None:
        region = _cell(row, region_at) if region_at is not None else ""
        if region.lower() == "aggregates":
            return None
        iso3 = _country(_cell(row, iso3_at))
        if iso3 is None:
            return None
        income = _cell(row, income_at)
        if income.upper() in IncomeGroup.values:
            income = income.upper()
        elif income:
            code = INCOME_GROUP_NAMES.get(" ".join(income.lower().replace("-", " ").split()))
            if code is None:
                raise _LineProblem(_("Unknown income group “%(group)s”.") % {"group": income})
            income = str(code)
        return CountryRecord(
            line=line, iso3=iso3, name=_cell(row, name_at), region=region, income_group=income
        )

    result.records.extend(_rows_read(rows, result, read))


PARSERS: dict[str, Callable[[str, ParseResult, str, str], None]] = {
    SourceFormat.WHO_GHO: parse_who_gho,
    SourceFormat.WORLD_BANK: parse_world_bank,
    SourceFormat.OECD: parse_oecd,
    SourceFormat.LONG: parse_long,
    SourceFormat.SAFEGUARD_LIST: parse_safeguard_list,
    SourceFormat.WORLD_BANK_COUNTRIES: parse_world_bank_countries,
}
