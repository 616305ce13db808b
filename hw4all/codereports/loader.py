"""What the platform ships for Code reporting: the rounds of the National Reporting Instrument
(`data/rounds.json`) and the civil-society report questionnaire (`data/civil_society_report.json`,
in the definition JSON of `questionnaires.definition`).

Loading is safe to repeat: rounds are created or their facts updated by number, never deleted;
the Secretariat's choices (status, the current round, the questionnaire) are set only when a
round is created. The questionnaire is created once; when the shipped file later differs from
its current version (a newer release, or an editor's correction through XLSForm), a version is
added only when asked (`update=True`), so a correction is never overwritten silently."""

import datetime
import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.db import transaction

from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.models import Access, Questionnaire, QuestionnaireStatus, VersionSource
from hw4all.questionnaires.services.questionnaires import questionnaire_create, version_add

from .models import Round, RoundStatus
from .services.rounds import round_save, round_set_current

DATA = Path(__file__).resolve().parent / "data"
ROUNDS_FILE = DATA / "rounds.json"
QUESTIONNAIRE_FILE = DATA / "civil_society_report.json"
QUESTIONNAIRE_SLUG = "civil-society-report"
QUESTIONNAIRE_NAME = "Civil-society report on the WHO Code"
# The facts of a round the shipped file keeps up to date.
ROUND_FACTS = ("instrument", "period", "deadline", "deadline_text", "reported_to", "notes")


class QuestionnaireOutcome(StrEnum):
    CREATED = "created"
    UNCHANGED = "unchanged"
    UPDATED = "updated"
    # The shipped file and the current version differ, and no update was asked for.
    DIFFERS = "differs"


@dataclass
class RoundsLoaded:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)


@dataclass
class QuestionnaireLoaded:
    questionnaire: Questionnaire
    outcome: QuestionnaireOutcome
    rounds_attached: list[int] = field(default_factory=list)


def shipped_rounds() -> list[dict[str, Any]]:
    return json.loads(ROUNDS_FILE.read_text(encoding="utf-8"))


def shipped_definition() -> Definition:
    """The shipped questionnaire, validated (DefinitionError lists what is wrong)."""
    return Definition.from_json(json.loads(QUESTIONNAIRE_FILE.read_text(encoding="utf-8")))


@transaction.atomic
def rounds_load() -> RoundsLoaded:
    loaded = RoundsLoaded()
    for facts in shipped_rounds():
        values = {name: facts.get(name) or "" for name in ROUND_FACTS}
        values["deadline"] = datetime.date.fromisoformat(facts["deadline"]) if facts.get("deadline") else None
        existing = Round.objects.filter(number=facts["number"]).first()
        if existing is None:
            created = round_save(
                round=Round(
                    number=facts["number"], status=facts.get("status", RoundStatus.UPCOMING), **values
                )
            )
            loaded.created.append(created.number)
            if facts.get("current") and not Round.objects.filter(is_current=True).exists():
                round_set_current(round=created)
            continue
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            round_save(round=existing)
            loaded.updated.append(existing.number)
    return loaded


@transaction.atomic
def civil_society_questionnaire_load(*, user=None, update: bool = False) -> QuestionnaireLoaded:
    """Create the civil-society questionnaire (embedded in Code reports, open) if it is missing,
    add the shipped file as a new version when it differs and `update` is asked, and attach the
    questionnaire to every round that has none."""
    definition = shipped_definition()
    questionnaire = (
        Questionnaire.objects.filter(slug=QUESTIONNAIRE_SLUG).select_related("current_version").first()
    )
    if questionnaire is None:
        questionnaire = questionnaire_create(
            slug=QUESTIONNAIRE_SLUG,
            name=QUESTIONNAIRE_NAME,
            definition=definition,
            source=VersionSource.LOADER,
            access=Access.EMBEDDED,
            status=QuestionnaireStatus.OPEN,
            user=user,
            note="Shipped with the platform",
        )
        outcome = QuestionnaireOutcome.CREATED
    elif questionnaire.current_version is not None and (
        questionnaire.current_version.definition_json == definition.as_json()
    ):
        outcome = QuestionnaireOutcome.UNCHANGED
    elif update:
        version_add(
            questionnaire=questionnaire,
            definition=definition,
            source=VersionSource.LOADER,
            user=user,
            note="Shipped with the platform",
        )
        outcome = QuestionnaireOutcome.UPDATED
    else:
        outcome = QuestionnaireOutcome.DIFFERS
    attached = []
    for round in Round.objects.filter(questionnaire__isnull=True).order_by("number"):
        round.questionnaire = questionnaire
        round_save(round=round)
        attached.append(round.number)
    return QuestionnaireLoaded(questionnaire=questionnaire, outcome=outcome, rounds_attached=attached)
