"""Write a questionnaire version as an XLSForm .xlsx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hw4all.questionnaires.models import Questionnaire
from hw4all.questionnaires.xlsform import definition_to_xlsform


class Command(BaseCommand):
    help = "Export a questionnaire version (the current one unless --version is given) as an XLSForm .xlsx."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the questionnaire's version here, not Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--version", type=int, default=None, dest="number", help="the version number")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, slug: str, number: int | None, output: str, **options):
        questionnaire = Questionnaire.objects.filter(slug=slug).select_related("current_version").first()
        if questionnaire is None:
            raise CommandError(f"No questionnaire has the slug {slug!r}.")
        version = (
            questionnaire.current_version
            if number is None
            else questionnaire.versions.filter(number=number).first()
        )
        if version is None:
            raise CommandError(
                f"{slug} has no version {number}." if number else f"{slug} has no version yet."
            )
        try:
            Path(output).write_bytes(definition_to_xlsform(version.definition, version=str(version.number)))
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        self.stdout.write(f"{slug} version {version.number} written to {output}.")
