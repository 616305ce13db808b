from django.core.management.base import CommandError, CommandParser, OutputWrapper


def fetch_arguments(parser: CommandParser) -> None:
    pass


def fetch_run(options: dict, out: OutputWrapper) -> None:
    raise CommandError("Not yet.")
