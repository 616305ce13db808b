from django.core.management.base import BaseCommand

from hw4all.codereports.loader import QuestionnaireOutcome, civil_society_questionnaire_load, rounds_load


class Command(BaseCommand):
    help = (
        "Load the WHO Code reporting rounds and the civil-society report questionnaire shipped with "
        "the platform (safe to run again: nothing is deleted or duplicated)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help=(
                "Add the shipped questionnaire as a new version when it differs from the current one "
                "(which may hold an editor's corrections)."
            ),
        )

    def handle(self, *args, update: bool = False, **options):
        rounds = rounds_load()
        self.stdout.write(
            f"Rounds created: {_numbers(rounds.created)}; rounds updated: {_numbers(rounds.updated)}."
        )
        loaded = civil_society_questionnaire_load(update=update)
        messages = {
            QuestionnaireOutcome.CREATED: "Questionnaire created.",
            QuestionnaireOutcome.UNCHANGED: "Questionnaire unchanged.",
            QuestionnaireOutcome.UPDATED: "Questionnaire updated: the shipped file is its new version.",
            QuestionnaireOutcome.DIFFERS: (
                "The questionnaire's current version differs from the shipped file (an editor may have "
                "corrected it); kept as it is. Run with --update to add the shipped file as a new version."
            ),
        }
        self.stdout.write(messages[loaded.outcome])
        if loaded.rounds_attached:
            self.stdout.write(f"Questionnaire attached to rounds {_numbers(loaded.rounds_attached)}.")


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(number) for number in numbers) or "none"
