from django.core.management.base import CommandError, CommandParser, OutputWrapper


def import_arguments(parser: CommandParser) -> None:
    pass


def import_run(options: dict, out: OutputWrapper) -> None:
    raise CommandError("Not yet.")


def load_arguments(parser: CommandParser) -> None:
    pass


def load_run(options: dict, out: OutputWrapper) -> None:
    raise CommandError("Not yet.")
