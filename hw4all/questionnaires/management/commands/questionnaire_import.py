"""Create a questionnaire from an XLSForm, or add a version to the one with that slug."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from hw4all.questionnaires.models import Access, Questionnaire, VersionSource
from hw4all.questionnaires.services import questionnaires as services
from hw4all.questionnaires.xlsform import MAX_BYTES, XLSFormError, definition_from_xlsform


class Command(BaseCommand):
    help = (
        "Import an XLSForm (.xlsx): a new questionnaire, or a new version of the questionnaire with "
        "this slug. Problems are printed by sheet and row, and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the XLSForm .xlsx")
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", default="", help="for a new questionnaire (default: the form's title)")
        parser.add_argument("--access", default=Access.PUBLIC, choices=Access.values)
        parser.add_argument("--note", default="", help="what this version changes")

    def handle(self, *args, file: str, slug: str, name: str, access: str, note: str, **options):
        path = Path(file)
        try:
            with path.open("rb") as opened:
                data = opened.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            definition = definition_from_xlsform(data)
        except XLSFormError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path.name}: {len(error.problems)} problem(s); nothing was imported."
            ) from None
        source_file = ContentFile(data, name=path.name)
        existing = Questionnaire.objects.filter(slug=slug).first()
        if existing is not None:
            version = services.version_add(
                questionnaire=existing,
                definition=definition,
                source=VersionSource.XLSFORM,
                source_file=source_file,
                note=note,
            )
            self.stdout.write(f"{existing.slug}: version {version.number} added and made current.")
            return
        questionnaire = services.questionnaire_create(
            slug=slug,
            name=name or definition.title.get(definition.default_language) or slug,
            access=access,
            definition=definition,
            source=VersionSource.XLSFORM,
            source_file=source_file,
            note=note,
        )
        self.stdout.write(f"{questionnaire.slug}: questionnaire created (version 1, draft).")
