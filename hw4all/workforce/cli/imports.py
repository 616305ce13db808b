"""`workforce import FILE --format …` and `workforce load [--folder PATH]`."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import CommandError, CommandParser, OutputWrapper

from hw4all.workforce.loader import data_folder, data_load
from hw4all.workforce.models import ImportRun, SourceFormat
from hw4all.workforce.services.imports import import_file

ERRORS_SHOWN = 10


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date (YYYY-MM-DD).") from None


def import_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path, help="The CSV file to import.")
    parser.add_argument("--format", required=True, choices=SourceFormat.values, help="The file's format.")
    parser.add_argument(
        "--indicator", default="", help="The indicator code of a single-series file (e.g. SP.POP.TOTL)."
    )
    parser.add_argument(
        "--value-column", default="", help="The column holding a single-series file's values."
    )
    parser.add_argument("--dataset", default="", help="The dataset's name (default: the file's name).")
    parser.add_argument("--publisher", default="")
    parser.add_argument("--url", default="")
    parser.add_argument("--licence", default="")
    parser.add_argument("--file-date", type=_date, default=None, help="The publisher's date of the file.")
    parser.add_argument("--errors", action="store_true", help="Print every error, not only the first ones.")


def run_print(run: ImportRun, out: OutputWrapper, *, all_errors: bool = False) -> None:
    out.write(
        f"{run.file_name}: {run.lines} lines, {run.created} created, {run.changed} changed, "
        f"{run.unchanged} unchanged, {run.skipped} skipped, {len(run.errors)} errors."
    )
    shown = run.errors if all_errors else run.errors[:ERRORS_SHOWN]
    for error in shown:
        out.write(f"  line {error['line']}: {error['message']}")
    if len(shown) < len(run.errors):
        out.write(f"  … and {len(run.errors) - len(shown)} more (--errors shows them all).")


def import_run(options: dict, out: OutputWrapper) -> None:
    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"No file at {path}.")
    run = import_file(
        path,
        format=options["format"],
        file_name=path.name,
        dataset=options["dataset"] or path.name,
        publisher=options["publisher"],
        url=options["url"],
        licence=options["licence"],
        indicator=options["indicator"],
        value_column=options["value_column"],
        file_date=options["file_date"],
    )
    run_print(run, out, all_errors=options["errors"])
    if run.source_id is None:
        raise CommandError("Nothing could be read from the file.")


def load_arguments(parser: CommandParser) -> None:
    parser.add_argument("--folder", type=Path, default=None, help="The data folder (default: the setting).")
    parser.add_argument("--errors", action="store_true", help="Print every error, not only the first ones.")


def load_run(options: dict, out: OutputWrapper) -> None:
    folder: Path = options["folder"] or data_folder()
    if not folder.is_dir():
        raise CommandError(f"No data folder at {folder} (set HW4ALL_WORKFORCE_DATA_DIR or give --folder).")
    runs = data_load(folder)
    if not runs:
        raise CommandError(f"No known data file in {folder}.")
    for run in runs:
        run_print(run, out, all_errors=options["errors"])
