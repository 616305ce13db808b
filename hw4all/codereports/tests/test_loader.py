"""The rounds and the civil-society questionnaire shipped with the platform, loaded by
`manage.py codereports_load`: valid, complete, safe to load again, and never overwriting an
editor's correction unless asked."""

import datetime
import json
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections

from hw4all.codereports.loader import (
    QUESTIONNAIRE_FILE,
    QUESTIONNAIRE_SLUG,
    QuestionnaireOutcome,
    civil_society_questionnaire_load,
    rounds_load,
    shipped_definition,
)
from hw4all.codereports.models import Round, RoundStatus
from hw4all.codereports.services.rounds import round_save, round_set_current
from hw4all.questionnaires.definition import Definition, QuestionType
from hw4all.questionnaires.models import Access, Questionnaire, QuestionnaireStatus, VersionSource
from hw4all.questionnaires.services.questionnaires import version_add

ARTICLE_TAGS = {f"art-{number}" for number in range(1, 11)} | {"art-3.5", "art-5.1"}
LANGUAGES = ("en", "fr", "es", "pt")


# The shipped questionnaire.


def test_the_shipped_questionnaire_validates_and_has_the_seven_parts():
    definition = shipped_definition()
    assert [section.name for section in definition.sections] == [
        "organisation",
        "country_round",
        "awareness",
        "involvement",
        "observations",
        "safeguards",
        "assessment",
    ]
    assert definition.languages == list(LANGUAGES)
    for language in LANGUAGES:
        description = definition.description.get(language)
        assert description, language
    english = definition.description.get("en")
    assert "structure" in english and "not their official wording" in english
    assert "can correct it" in english


def test_every_question_is_tagged_with_code_articles_and_speaks_four_languages():
    definition = shipped_definition()
    for question in definition.questions():
        assert question.tags, question.name
        assert set(question.tags) <= ARTICLE_TAGS, question.name
        for language in LANGUAGES:
            assert question.label.values.get(language), (question.name, language)
            if question.hint:
                assert question.hint.values.get(language), (question.name, language)
        for choice in [*question.choices, *question.rows]:
            for language in LANGUAGES:
                assert choice.label.values.get(language), (question.name, choice.name, language)
    for section in definition.sections:
        for language in LANGUAGES:
            assert section.label.values.get(language), (section.name, language)


def test_the_questions_have_the_types_the_report_needs():
    definition = shipped_definition()
    question = definition.question

    organisation_type = question("org_type")
    assert organisation_type.type == QuestionType.SELECT_ONE
    assert [choice.name for choice in organisation_type.choices] == [
        "ngo",
        "union",
        "professional",
        "academic",
        "employer",
        "international",
    ]
    assert question("countries_of_work").type == QuestionType.COUNTRIES
    # The country reported on is the report's own, never asked.
    assert not [
        q for q in definition.questions() if q.type == QuestionType.COUNTRY and q.name != "case_country"
    ]

    assert question("consulted").type == QuestionType.YES_NO
    explain = question("consulted_explain")
    assert explain.type == QuestionType.LONG_TEXT
    assert explain.relevant == "${consulted} != ''"

    assert question("obs_recruitment").type == QuestionType.LONG_TEXT
    assert question("obs_recruitment_file").type == QuestionType.FILE

    cases = question("ssl_cases")
    assert cases.type == QuestionType.REPEAT
    assert cases.relevant == "${ssl_recruitment} = 'yes'"
    assert [(inner.name, inner.type) for inner in cases.questions] == [
        ("case_country", QuestionType.COUNTRY),
        ("case_occupation", QuestionType.SELECT_ONE),
        ("case_year", QuestionType.INTEGER),
        ("case_description", QuestionType.LONG_TEXT),
        ("case_evidence", QuestionType.FILE),
    ]
    assert "art-3.5" in cases.tags

    rating = question("code_effectiveness")
    assert rating.type == QuestionType.MATRIX
    assert len(rating.rows) >= 5 and rating.choices
    assert question("recommendations").type == QuestionType.LONG_TEXT
    assert "art-5.1" in question("obs_agreements").tags


def test_the_skip_logic_shows_the_explanation_once_answered():
    from hw4all.questionnaires import expressions

    explain = shipped_definition().question("consulted_explain")

    def shown(answers):
        return expressions.is_true(explain.relevant_node, answers.get)

    assert not shown({})
    assert shown({"consulted": "no"})
    assert shown({"consulted": "dont_know"})


# The rounds.


@pytest.mark.django_db
def test_the_rounds_load_from_the_table_with_the_fifth_current_and_open():
    loaded = rounds_load()
    assert loaded.created == [1, 2, 3, 4, 5]
    rounds = {round.number: round for round in Round.objects.all()}
    assert rounds[2].instrument == "NRI 2015"
    assert (rounds[2].deadline, rounds[2].deadline_text) == (None, "March 2016")
    assert rounds[3].deadline == datetime.date(2018, 8, 15)
    assert rounds[5].deadline == datetime.date(2024, 8, 31)
    assert rounds[1].deadline_text == "2012"
    assert rounds[4].deadline_text == "2021"
    assert rounds[5].reported_to.startswith("EB156")
    assert rounds[5].is_current and rounds[5].status == RoundStatus.OPEN
    assert all(rounds[number].status == RoundStatus.CLOSED for number in (1, 2, 3, 4))
    assert Round.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
def test_loading_rounds_again_updates_facts_and_keeps_the_secretariats_choices():
    rounds_load()
    fourth = Round.objects.get(number=4)
    fourth.notes = "Changed by hand"
    fourth.status = RoundStatus.OPEN
    round_save(round=fourth)
    round_set_current(round=fourth)
    extra = round_save(round=Round(number=6, instrument="NRI 2027", period="2027–2028"))

    loaded = rounds_load()

    assert loaded.created == [] and loaded.updated == [4]
    fourth.refresh_from_db()
    assert fourth.notes == "The instrument adds questions on COVID-19."
    # Status and the current round are the Secretariat's: a reload leaves them.
    assert fourth.status == RoundStatus.OPEN and fourth.is_current
    assert not Round.objects.get(number=5).is_current
    assert Round.objects.filter(pk=extra.pk).exists()
    assert Round.objects.count() == 6
    assert rounds_load().updated == []


# The questionnaire.


@pytest.mark.django_db
def test_the_questionnaire_loads_embedded_and_open_and_attaches_to_the_rounds():
    rounds_load()
    loaded = civil_society_questionnaire_load()
    assert loaded.outcome == QuestionnaireOutcome.CREATED
    questionnaire = Questionnaire.objects.get(slug=QUESTIONNAIRE_SLUG)
    assert questionnaire.access == Access.EMBEDDED
    assert questionnaire.status == QuestionnaireStatus.OPEN
    assert questionnaire.current_version.source == VersionSource.LOADER
    assert questionnaire.current_version.definition.question("ssl_cases") is not None
    assert loaded.rounds_attached == [1, 2, 3, 4, 5]
    assert Round.objects.get(number=5).accepts_reports
    assert not Round.objects.get(number=4).accepts_reports


@pytest.mark.django_db
def test_loading_twice_creates_nothing_twice(capsys):
    call_command("codereports_load")
    call_command("codereports_load")
    output = capsys.readouterr().out
    assert "Questionnaire created." in output and "Questionnaire unchanged." in output
    assert Round.objects.count() == 5
    questionnaire = Questionnaire.objects.get(slug=QUESTIONNAIRE_SLUG)
    assert questionnaire.versions.count() == 1


@pytest.mark.django_db
def test_an_editors_correction_is_kept_unless_an_update_is_asked(capsys):
    call_command("codereports_load")
    questionnaire = Questionnaire.objects.get(slug=QUESTIONNAIRE_SLUG)
    corrected = shipped_definition().as_json()
    corrected["sections"][0]["label"]["en"] = "1. About your organisation"
    version_add(
        questionnaire=questionnaire,
        definition=Definition.from_json(corrected),
        source=VersionSource.XLSFORM,
        note="Corrected by the Secretariat",
    )

    call_command("codereports_load")
    assert "differs" in capsys.readouterr().out
    questionnaire.refresh_from_db()
    assert questionnaire.current_version.number == 2
    assert (
        questionnaire.current_version.definition.sections[0].label.get("en") == "1. About your organisation"
    )

    call_command("codereports_load", "--update")
    assert "updated" in capsys.readouterr().out
    questionnaire.refresh_from_db()
    assert questionnaire.current_version.number == 3
    assert questionnaire.current_version.definition_json == shipped_definition().as_json()
    # Versions are kept: responses begun on the corrected one still read it.
    assert questionnaire.versions.count() == 3


@pytest.mark.django_db
def test_a_round_with_its_own_questionnaire_keeps_it():
    from hw4all.questionnaires.services.questionnaires import questionnaire_create

    rounds_load()
    own = questionnaire_create(
        slug="round-5-special",
        name="Round 5 special",
        definition=shipped_definition(),
        access=Access.EMBEDDED,
    )
    fifth = Round.objects.get(number=5)
    fifth.questionnaire = own
    round_save(round=fifth)

    loaded = civil_society_questionnaire_load()

    assert loaded.rounds_attached == [1, 2, 3, 4]
    fifth.refresh_from_db()
    assert fifth.questionnaire == own
    assert civil_society_questionnaire_load().rounds_attached == []


def test_the_file_on_disk_is_what_the_loader_reads():
    raw = json.loads(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))
    assert Definition.from_json(raw).as_json() == shipped_definition().as_json()


# One current round.


@pytest.mark.django_db
def test_setting_a_round_current_unsets_the_previous_one():
    rounds_load()
    third = Round.objects.get(number=3)
    round_set_current(round=third)
    assert list(Round.objects.filter(is_current=True)) == [third]


@pytest.mark.django_db
def test_saving_a_round_marked_current_takes_the_place():
    rounds_load()
    fourth = Round.objects.get(number=4)
    fourth.is_current = True
    round_save(round=fourth)
    assert list(Round.objects.filter(is_current=True).values_list("number", flat=True)) == [4]


@pytest.mark.django_db
def test_the_database_refuses_two_current_rounds():
    rounds_load()
    with pytest.raises(IntegrityError):
        Round.objects.filter(number=4).update(is_current=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_rounds_made_current_at_once_leave_exactly_one_current():
    rounds_load()
    rounds = [Round.objects.get(number=3), Round.objects.get(number=4)]
    barrier = threading.Barrier(2)
    errors = []

    def make_current(round):
        try:
            barrier.wait()
            round_set_current(round=round)
        except Exception as error:  # noqa: BLE001 - a refused write is a possible outcome; it is counted
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=make_current, args=(round,)) for round in rounds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    current = list(Round.objects.filter(is_current=True).values_list("number", flat=True))
    assert len(current) == 1
    assert current[0] in (3, 4)
    assert len(errors) <= 1


def test_the_questionnaire_goes_to_xlsform_and_back_unchanged():
    """Editors correct the questionnaire by downloading it as an XLSForm and uploading it again."""
    from hw4all.questionnaires.xlsform import definition_from_xlsform, definition_to_xlsform

    shipped = shipped_definition()
    back = definition_from_xlsform(definition_to_xlsform(shipped))
    assert back.as_json() == shipped.as_json()
