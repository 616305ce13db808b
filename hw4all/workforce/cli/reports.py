from django.core.management.base import CommandError, CommandParser, OutputWrapper


def profile_arguments(parser: CommandParser) -> None:
    pass


def profile_run(options: dict, out: OutputWrapper) -> None:
    raise CommandError("Not yet.")


def shortage_arguments(parser: CommandParser) -> None:
    pass


def shortage_run(options: dict, out: OutputWrapper) -> None:
    raise CommandError("Not yet.")


def safeguard_check_arguments(parser: CommandParser) -> None:
    pass


def safeguard_check_run(options: dict, out: OutputWrapper) -> None:
    raise CommandError("Not yet.")
