"""The analysts' reports: `workforce profile KEN`, `workforce shortage`, `workforce safeguard-check`,
each as an aligned table (with its sources), CSV or JSON (a list of flat objects, one per row).
Every figure comes from hw4all.workforce.analysis; this module only lays the rows out."""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.management.base import CommandError, CommandParser, OutputWrapper

from hw4all.workforce import names
from hw4all.workforce.analysis.density import Density
from hw4all.workforce.analysis.profile import Profile, country_profile, latest_year
from hw4all.workforce.analysis.safeguard import (
    CRITERIA,
    Difference,
    criteria_for,
    safeguard_check,
    safeguard_summary,
)
from hw4all.workforce.analysis.shortage import (
    SDG_THRESHOLD,
    GroupBy,
    shortage_countries,
    shortage_table,
    threshold_parse,
)
from hw4all.workforce.dataset import DataSet, Point, SourceRef, dataset_current

FORMATS = ("table", "csv", "json")
Value = str | int | float | bool | None
Row = dict[str, Value]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    decimals: int | None = None  # for floats in the table; CSV and JSON keep every digit
    # Long texts (sources) that the table numbers, and names under it, to stay readable.
    footnote: bool = False
    # Years: no thousands separator.
    plain: bool = False


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 1900 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"“{text}” is not a year (1900 to 2100).")
    return year


def _threshold(text: str) -> float:
    try:
        return threshold_parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _list_year(text: str) -> int:
    try:
        return criteria_for(_year(text)).list_year
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _format_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="Aligned text (default), CSV or JSON."
    )


def _data() -> DataSet:
    data = dataset_current()
    if not data.countries:
        raise CommandError("No workforce data is loaded: run “manage.py workforce load” first.")
    return data


def _cell(value: Value, decimals: int | None, *, plain: bool = False) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if decimals is not None:
            return f"{value:,.{decimals}f}"
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, int):
        return str(value) if plain else f"{value:,}"
    return value


def _csv_cell(value: Value) -> Value:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _write(
    out: OutputWrapper,
    fmt: str,
    columns: Sequence[Column],
    rows: list[Row],
    *,
    title: str = "",
    notes: Iterable[str] = (),
) -> None:
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[column.key for column in columns], lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: _csv_cell(value) for key, value in row.items()} for row in rows)
        out.write(buffer.getvalue(), ending="")
        return
    footnotes: dict[str, str] = {}
    for column in columns:
        if column.footnote:
            for row in rows:
                text = row.get(column.key)
                if isinstance(text, str) and text:
                    footnotes.setdefault(text, f"[{len(footnotes) + 1}]")
    cells = [
        [
            footnotes.get(str(row.get(column.key)), "—")
            if column.footnote
            else _cell(row.get(column.key), column.decimals)
            for column in columns
        ]
        for row in rows
    ]
    widths = [
        max([len(column.header), *(len(line[index]) for line in cells)])
        for index, column in enumerate(columns)
    ]
    numeric = [
        all(_is_number(row.get(column.key)) or row.get(column.key) is None for row in rows)
        for column in columns
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        ).rstrip()

    if title:
        out.write(title)
        out.write("")
    out.write(line([column.header for column in columns]))
    out.write(line(["-" * width for width in widths]))
    for values in cells:
        out.write(line(values))
    if footnotes:
        out.write("")
        for text, mark in footnotes.items():
            out.write(f"{mark} {text}")
    for note in notes:
        out.write("")
        out.write(note)


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sources_note(sources: Iterable[SourceRef | None]) -> str:
    texts = sorted({names.source_text(source) for source in sources if source is not None})
    return "Sources: " + "; ".join(texts) if texts else "Sources: none loaded."


def _point_sources(points: Iterable[Point]) -> str:
    return "; ".join(dict.fromkeys(names.source_text(point.source) for point in points))


def _texts(sources: Iterable[SourceRef]) -> str:
    return "; ".join(dict.fromkeys(names.source_text(source) for source in sources))


def _present(point: Point | None) -> list[Point]:
    return [] if point is None else [point]


# `workforce profile KEN`


def profile_arguments(parser: CommandParser) -> None:
    parser.add_argument("iso3", help="The country's ISO 3166-1 alpha-3 code, e.g. KEN.")
    parser.add_argument(
        "--year", type=_year, default=None, help="The year (default: the last year with densities)."
    )
    parser.add_argument(
        "--threshold", type=_threshold, default=None, help="sdg (44.5, default), 2006 (22.8) or a number."
    )
    _format_argument(parser)


PROFILE_COLUMNS = [
    Column("indicator", "Indicator"),
    Column("label", "Figure"),
    Column("value", "Value"),
    Column("year", "Year", plain=True),
    Column("source", "Source", footnote=True),
]


def _density_row(indicator: str, label: str, found: Density | None) -> Row:
    return {
        "indicator": indicator,
        "label": label,
        "value": None if found is None else found.value,
        "year": None if found is None else found.year,
        "source": "" if found is None else _point_sources(found.points),
    }


def _point_row(indicator: str, label: str, point: Point | None) -> Row:
    return {
        "indicator": indicator,
        "label": label,
        "value": None if point is None else point.value,
        "year": None if point is None else point.year,
        "source": "" if point is None else names.source_text(point.source),
    }


def profile_rows(profile: Profile) -> list[Row]:
    """The profile as flat rows {indicator, label, value, year, source}."""
    shortage = profile.shortage
    safeguard = profile.safeguard
    list_year = safeguard.list_year
    shortage_points = [*(shortage.density.points if shortage.density else ()), *_present(shortage.population)]
    rows: list[Row] = [
        _density_row("doctors_density", "Doctors per 10,000", profile.doctors),
        _density_row("nurses_midwives_density", "Nurses and midwives per 10,000", profile.nurses_midwives),
        _density_row("combined_density", "Doctors, nurses and midwives per 10,000", profile.combined),
        _point_row("doctors", "Doctors", profile.doctors_count),
        _point_row("nurses_midwives", "Nurses and midwives", profile.nurses_midwives_count),
        _point_row("population", "Population", profile.population),
        {
            "indicator": "threshold",
            "label": "Threshold, per 10,000",
            "value": profile.threshold,
            "year": None,
            "source": "",
        },
        {
            "indicator": "shortage",
            "label": "Shortage against the threshold (health workers)",
            "value": shortage.shortage,
            "year": shortage.year if shortage.has_data else None,
            "source": _point_sources(shortage_points) if shortage.has_data else "",
        },
        _point_row("uhc_sci", "UHC service coverage index", profile.uhc),
        {
            "indicator": "on_safeguard_list",
            "label": f"On the safeguard list of {list_year}",
            "value": safeguard.on_list,
            "year": list_year if safeguard.on_list is not None else None,
            "source": "",
        },
        {
            "indicator": "meets_safeguard_criteria",
            "label": f"Meets the criteria of {list_year}",
            "value": safeguard.meets_criteria,
            "year": None,
            "source": _point_sources(
                [*(safeguard.density.points if safeguard.density else ()), *_present(safeguard.uhc)]
            ),
        },
        {
            "indicator": "safeguard_difference",
            "label": "List and criteria",
            "value": str(safeguard.difference),
            "year": None,
            "source": "",
        },
    ]
    if profile.trend is not None:
        rows.append(
            {
                "indicator": "density_change",
                "label": f"Change since {profile.trend.start.year}, per 10,000",
                "value": profile.trend.change,
                "year": profile.trend.end.year,
                "source": _point_sources(profile.trend.end.points),
            }
        )
    emigration = profile.emigration
    if emigration is not None:
        rows += [
            {
                "indicator": "doctors_abroad",
                "label": "Doctors trained here working in reporting OECD countries",
                "value": emigration.abroad,
                "year": emigration.year,
                "source": _texts(emigration.sources),
            },
            {
                "indicator": "emigration_ratio",
                "label": "Doctors abroad per doctor at home",
                "value": emigration.emigration_ratio,
                "year": emigration.year,
                "source": _texts([*emigration.sources, *(p.source for p in _present(emigration.at_home))]),
            },
        ]
    immigration = profile.immigration
    if immigration is not None:
        rows += [
            {
                "indicator": "foreign_trained_doctors",
                "label": "Foreign-trained doctors",
                "value": immigration.total,
                "year": immigration.year,
                "source": _texts(immigration.sources),
            },
            {
                "indicator": "share_from_safeguard_list",
                "label": f"Share trained in countries on the list of {immigration.list_year}",
                "value": immigration.share_from_safeguard_list,
                "year": immigration.year,
                "source": _texts(immigration.sources),
            },
        ]
    return rows


def profile_run(options: dict, out: OutputWrapper) -> None:
    data = _data()
    iso3 = options["iso3"].strip().upper()
    profile = country_profile(data, iso3, options["year"], options["threshold"])
    if profile is None:
        raise CommandError(f"No data for country “{options['iso3']}”.")
    title = (
        f"{names.country_name(data, iso3)} ({iso3}), {profile.year}; "
        f"threshold {profile.threshold:g} doctors, nurses and midwives per 10,000"
    )
    rows = [{"iso3": iso3, **row} for row in profile_rows(profile)]
    _write(out, options["format"], [Column("iso3", "ISO3"), *PROFILE_COLUMNS], rows, title=title)


# `workforce shortage`


def shortage_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--year", type=_year, default=None, help="The year (default: the last year with densities)."
    )
    parser.add_argument(
        "--threshold", type=_threshold, default=None, help="sdg (44.5, default), 2006 (22.8) or a number."
    )
    parser.add_argument(
        "--by",
        choices=[item.value for item in GroupBy],
        default=GroupBy.REGION.value,
        help="Region (default), income or world.",
    )
    _format_argument(parser)


SHORTAGE_COLUMNS = [
    Column("group", "Group"),
    Column("name", "Name"),
    Column("year", "Year", plain=True),
    Column("threshold", "Threshold", 1),
    Column("countries", "Countries"),
    Column("countries_with_data", "With data"),
    Column("countries_below", "Below"),
    Column("shortage", "Shortage", 0),
]


def shortage_run(options: dict, out: OutputWrapper) -> None:
    data = _data()
    year = latest_year(data) if options["year"] is None else options["year"]
    threshold = SDG_THRESHOLD if options["threshold"] is None else options["threshold"]
    table = shortage_table(data, year, threshold, GroupBy(options["by"]))
    rows: list[Row] = [
        {
            "group": row.group,
            "name": names.group_name(row.group),
            "year": row.year,
            "threshold": row.threshold,
            "countries": row.countries,
            "countries_with_data": row.countries_with_data,
            "countries_below": row.countries_below,
            "shortage": row.shortage,
        }
        for row in table
    ]
    # The sources of the figures the totals add up.
    sources = [
        point.source
        for row in shortage_countries(data, year, threshold)
        if row.density is not None and row.population is not None
        for point in (*row.density.points, row.population)
    ]
    title = (
        f"Needs-based shortage of doctors, nurses and midwives, {year}, against {threshold:g} per 10,000: "
        "(threshold − density) × population / 10,000, countries with the density (latest at or before "
        "the year) and the population of the year"
    )
    _write(out, options["format"], SHORTAGE_COLUMNS, rows, title=title, notes=[_sources_note(sources)])


# `workforce safeguard-check`


def safeguard_check_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--list",
        type=_list_year,
        default=max(CRITERIA),
        metavar="YEAR",
        dest="list_year",
        help="The list year: 2023 (default) or 2020.",
    )
    parser.add_argument(
        "--density-year",
        type=_year,
        default=None,
        help="Densities at or before this year (default: the criteria's).",
    )
    parser.add_argument(
        "--uhc-year",
        type=_year,
        default=None,
        help="The UHC index at or before this year (default: the criteria's).",
    )
    _format_argument(parser)


SAFEGUARD_COLUMNS = [
    Column("iso3", "ISO3"),
    Column("country", "Country"),
    Column("on_list", "Listed"),
    Column("meets_criteria", "Meets"),
    Column("density", "Density", 2),
    Column("density_year", "Year", plain=True),
    Column("uhc_sci", "UHC index", 0),
    Column("uhc_year", "Year", plain=True),
    Column("difference", "Difference"),
]


def safeguard_check_run(options: dict, out: OutputWrapper) -> None:
    data = _data()
    criteria = criteria_for(options["list_year"])
    density_year = options["density_year"] or criteria.density_year
    uhc_year = options["uhc_year"] or criteria.uhc_year
    checked = safeguard_check(data, criteria.list_year, density_year, uhc_year)
    rows: list[Row] = [
        {
            "iso3": row.iso3,
            "country": names.country_name(data, row.iso3),
            "on_list": row.on_list,
            "meets_criteria": row.meets_criteria,
            "density": None if row.density is None else row.density.value,
            "density_year": None if row.density is None else row.density.year,
            "uhc_sci": None if row.uhc is None else row.uhc.value,
            "uhc_year": None if row.uhc is None else row.uhc.year,
            "difference": "" if row.difference == Difference.NONE else str(row.difference),
        }
        for row in checked
    ]
    summary = safeguard_summary(checked)
    title = (
        f"WHO Health Workforce Support and Safeguards List {criteria.list_year} against its criteria: "
        f"doctors, nurses and midwives below {criteria.density_below:g} per 10,000 (latest at or before "
        f"{density_year}) and UHC service coverage index below {criteria.uhc_below:g} (latest at or before {uhc_year})"
    )
    listed = (
        f"{summary.on_list} are on the published list, {summary.both} of them meeting the criteria."
        if criteria.list_year in data.safeguard_lists
        else f"No published list of {criteria.list_year} is loaded."
    )
    notes = [
        f"{summary.meets_criteria} countries meet the criteria. {listed} "
        f"The data cannot decide for {summary.undecided}.",
        _sources_note(
            [
                *(point.source for row in checked if row.density is not None for point in row.density.points),
                *(row.uhc.source for row in checked if row.uhc is not None),
                data.safeguard_sources.get(criteria.list_year),
            ]
        ),
    ]
    _write(out, options["format"], SAFEGUARD_COLUMNS, rows, title=title, notes=notes)
