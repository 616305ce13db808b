"""`manage.py workforce fetch`: download the series from the WHO GHO and World Bank APIs."""

from pathlib import Path

from django.core.management.base import CommandError, CommandParser, OutputWrapper

from ..fetch import PUBLISHERS, workforce_fetch


def fetch_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--folder",
        type=Path,
        default=None,
        help="Where to write the files (default: the data folder setting).",
    )
    parser.add_argument("--only", choices=PUBLISHERS, default=None, help="Fetch from one publisher only.")
    parser.add_argument(
        "--timeout", type=float, default=60, help="Seconds to wait for each response (default 60)."
    )


def fetch_run(options: dict, out: OutputWrapper) -> None:
    if options["timeout"] <= 0:
        raise CommandError("The timeout must be a positive number of seconds.")
    try:
        result = workforce_fetch(options["folder"], only=options["only"], timeout=options["timeout"])
    except OSError as error:
        raise CommandError(f"Could not write to the data folder: {error}") from error
    for file in result.files:
        dated = f", file of {file.file_date.isoformat()}" if file.file_date else ""
        out.write(f"{file.name}: {file.rows} rows{dated} ({file.url})")
    if result.errors:
        raise CommandError("\n".join(result.errors))
