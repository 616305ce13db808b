"""`manage.py workforce <subcommand>`: the analysts' and operators' command line. Each
subcommand lives in a module of hw4all.workforce.cli with `add_arguments(parser)` and
`run(options, out)`; this command only dispatches."""

from types import ModuleType

from django.core.management.base import BaseCommand, CommandParser

from hw4all.workforce.cli import fetch, imports, reports

SUBCOMMANDS: dict[str, tuple[ModuleType, str, str]] = {
    # name: (module, function prefix, help)
    "import": (imports, "import", "Import one file (WHO GHO, World Bank, OECD, long CSV, safeguard list)."),
    "load": (imports, "load", "Import every known file of the data folder (what load_demo does)."),
    "fetch": (
        fetch,
        "fetch",
        "Download the series from the WHO GHO and World Bank APIs into the data folder.",
    ),
    "profile": (reports, "profile", "A country's profile: densities, shortage, safeguard list, migration."),
    "shortage": (
        reports,
        "shortage",
        "The needs-based shortage by WHO region, income group or for the world.",
    ),
    "safeguard-check": (
        reports,
        "safeguard_check",
        "The safeguard list against its criteria applied to the data.",
    ),
}


class Command(BaseCommand):
    help = "Health-workforce data: import, fetch and analyse."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        for name, (module, prefix, help_text) in SUBCOMMANDS.items():
            subparser = subparsers.add_parser(name, help=help_text, description=help_text)
            getattr(module, f"{prefix}_arguments")(subparser)

    def handle(self, *args, **options) -> None:
        module, prefix, _help = SUBCOMMANDS[options["subcommand"]]
        getattr(module, f"{prefix}_run")(options, self.stdout)
