"""The three example XLSForms filled in a real browser: with JavaScript (skip logic shows and hides
questions as answers change, repeated blocks are added in place, drafts save themselves, then
submit) and without it on a phone (the same answers through plain posts, every error listed at its
question). The script's condition evaluator agrees with the server's, and axe-core finds no
serious or critical violation on the form."""

import io
import re
from decimal import Decimal

import pytest

from hw4all.questionnaires import answers as answers_module
from hw4all.questionnaires import expressions
from hw4all.questionnaires.definition import OTHER, Definition, Question, QuestionType
from hw4all.questionnaires.examples import EXAMPLES, example_xlsform
from hw4all.questionnaires.models import Access, QuestionnaireStatus, Response, ResponseStatus
from hw4all.questionnaires.services.questionnaires import questionnaire_create
from hw4all.questionnaires.xlsform import definition_from_xlsform
from tests.browser.conftest import PHONE, axe_violations, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def example_create(name: str):
    definition = definition_from_xlsform(io.BytesIO(example_xlsform(name)))
    return questionnaire_create(
        slug=name.replace("_", "-"),
        name=name,
        definition=definition,
        access=Access.PUBLIC,
        status=QuestionnaireStatus.OPEN,
    )


# -- What to answer ---------------------------------------------------------------------------------


def _choice(question: Question, answer) -> str:
    allowed = answers_module.choice_allowed(question, answer)
    names = [choice.name for choice in question.choices if choice.name != OTHER]
    return next(name for name in names if allowed is None or name in allowed)


def _value(question: Question, answer, tmp_file):
    kind = question.type
    if kind == QuestionType.TEXT:
        return "Kisumu <county> & “district”"
    if kind == QuestionType.LONG_TEXT:
        return "Better housing.\nA career path."
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
        low = float(question.minimum) if question.minimum is not None else 0
        value = max(low, 12)
        high = float(question.maximum) if question.maximum is not None else None
        value = min(value, high) if high is not None else value
        return int(value)
    if kind == QuestionType.DATE:
        return "2014-05-01"
    if kind == QuestionType.YES_NO:
        return "yes"
    if kind == QuestionType.SELECT_ONE:
        return _choice(question, answer)
    if kind == QuestionType.SELECT_MULTIPLE:
        return [_choice(question, answer)]
    if kind == QuestionType.COUNTRY:
        return "KE"
    if kind == QuestionType.COUNTRIES:
        return ["GB", "KE"]
    if kind == QuestionType.MATRIX:
        return {row.name: question.choices[-1].name for row in question.rows}
    if kind == QuestionType.FILE:
        return tmp_file
    return None


def plan(definition: Definition, tmp_file) -> dict:
    """An answer to every question the skip logic shows (yes to every yes/no, so that the
    conditional questions and one block of each repeat are shown), in reading order."""
    planned: dict = {}
    for question in definition.top_questions():
        if question.type == QuestionType.NOTE:
            continue
        if question.type == QuestionType.REPEAT:
            block: dict = {}
            for inner in question.questions:
                if inner.type != QuestionType.NOTE:
                    block[inner.name] = _value(
                        inner, answers_module.getter(planned, block, question), tmp_file
                    )
            planned[question.name] = [block]
        else:
            planned[question.name] = _value(question, answers_module.getter(planned), tmp_file)
    return answers_module.clean(definition, planned)


def fill_one(page, question: Question, path: str, value) -> None:
    kind = question.type
    field = page.locator(f'[name="{path}"]')
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.INTEGER, QuestionType.DECIMAL):
        field.fill(str(value))
    elif kind == QuestionType.DATE:
        field.fill(value)
    elif kind in (QuestionType.YES_NO, QuestionType.SELECT_ONE):
        page.locator(f'[name="{path}"][value="{value}"]').check()
    elif kind == QuestionType.SELECT_MULTIPLE:
        for item in value:
            page.locator(f'[name="{path}"][value="{item}"]').check()
    elif kind in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
        field.select_option(value)
    elif kind == QuestionType.MATRIX:
        for row, chosen in value.items():
            page.locator(f'[name="{path}.{row}"][value="{chosen}"]').check()
    elif kind == QuestionType.FILE:
        field.set_input_files(str(value))


def fill(page, definition: Definition, planned: dict, *, javascript: bool) -> None:
    for question in definition.top_questions():
        if question.name not in planned:
            continue
        if question.type != QuestionType.REPEAT:
            fill_one(page, question, question.name, planned[question.name])
            continue
        for index, block in enumerate(planned[question.name]):
            page.locator(f'[data-add-block="{question.name}"]').click()
            if not javascript:
                page.wait_for_load_state()
            for inner in question.questions:
                if inner.name in block:
                    fill_one(page, inner, f"{question.name}.{index}.{inner.name}", block[inner.name])


def stored_shape(planned: dict) -> dict:
    """The plan as the response stores it (files by name only)."""

    def shape(value):
        if isinstance(value, list):
            return [shape(item) for item in value]
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        return value.name if hasattr(value, "name") and not isinstance(value, str) else value

    return shape(planned)


def answers_shape(stored: dict) -> dict:
    def shape(value):
        if isinstance(value, dict) and set(value) == {"id", "name", "size"}:
            return value["name"]
        if isinstance(value, list):
            return [shape(item) for item in value]
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        return value

    return shape(stored)


# -- The tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_example_filled_with_javascript(chromium, live_server, tmp_path, settings, name):
    settings.MEDIA_ROOT = tmp_path / "media"
    questionnaire = example_create(name)
    definition = questionnaire.current_version.definition
    document = tmp_path / "agreement.pdf"
    document.write_bytes(PDF)
    planned = plan(definition, document)
    page = chromium.new_context().new_page()
    page.goto(f"{live_server.url}/en/surveys/{questionnaire.slug}/")
    page.get_by_role("button", name="Start").click()
    page.wait_for_selector("[data-qform].qform--live")
    assert axe_violations(page) == []
    # Submitting at once shows the errors; the page with them is accessible too.
    page.get_by_role("button", name="Submit").click()
    page.wait_for_selector(".qform-errors")
    page.wait_for_selector("[data-qform].qform--live")
    assert axe_violations(page) == []

    # A question whose condition is not met yet is hidden, and shown once it is.
    conditional = next(
        q
        for q in definition.top_questions()
        if q.name in planned and q.relevant_node and not expressions.is_true(q.relevant_node, {}.get)
    )
    assert page.locator(f'[data-path="{conditional.name}"]').is_hidden()
    fill(page, definition, planned, javascript=True)
    assert page.locator(f'[data-path="{conditional.name}"]').is_visible()

    # The draft saves itself.
    wait_until(page, "document.querySelector('[data-autosave-status]').textContent.startsWith('Saved at')")
    response = Response.objects.get(questionnaire=questionnaire)
    assert response.revision >= 1 and response.answers

    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/thanks/$"))
    assert "Thank you" in page.locator("main").inner_text()
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert answers_shape(response.answers) == stored_shape(planned)
    page.context.close()


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_example_filled_without_javascript_on_a_phone(chromium, live_server, tmp_path, settings, name):
    settings.MEDIA_ROOT = tmp_path / "media"
    questionnaire = example_create(name)
    definition = questionnaire.current_version.definition
    document = tmp_path / "agreement.pdf"
    document.write_bytes(PDF)
    planned = plan(definition, document)
    page = chromium.new_context(java_script_enabled=False, **PHONE).new_page()
    page.goto(f"{live_server.url}/en/surveys/{questionnaire.slug}/")
    page.get_by_role("button", name="Start").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Submitting at once lists every required question, each linked to its question.
    page.get_by_role("button", name="Submit").click()
    summary = page.locator(".qform-errors")
    required = [
        q
        for q in definition.top_questions()
        if q.required and not q.relevant and not _in_conditional_section(definition, q)
    ]
    for question in required:
        link = summary.locator(f'a[href="#q-{question.name}"]')
        assert link.count() == 1, question.name
        assert page.locator(f"#q-{question.name}-error").is_visible()

    fill(page, definition, planned, javascript=False)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/thanks/$"))
    response = Response.objects.get(questionnaire=questionnaire)
    assert response.status == ResponseStatus.SUBMITTED
    assert answers_shape(response.answers) == stored_shape(planned)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()


def _in_conditional_section(definition: Definition, question: Question) -> bool:
    section = definition.section_of(question.name)
    return bool(section and section.relevant)


CONDITIONS = [
    "${a} = 'yes'",
    "${a} != 'yes'",
    "${n} > 18",
    "${n} >= 18 and ${n} <= 80",
    "${n} + 2 = 22",
    "${n} div 4 = 5",
    "${n} mod 3",
    "${missing} > 1",
    "${missing} = ''",
    "selected(${many}, 'b')",
    "not(selected(${many}, 'z'))",
    "count-selected(${many}) >= 2",
    "string-length(${t}) > 3",
    "${t} = 'hello' or ${n} < 0",
    "true() and not(false())",
    "${d} > 1.5",
    "-${n} < 0",
    "${a} = ${b}",
    "${day} >= '2020-01-01'",
    "${day} < '2020-01-01'",
    "${day} > ${missing}",
]
ANSWERS = {
    "a": "yes",
    "b": "yes",
    "n": "20",
    "many": ["a", "b"],
    "t": "hello",
    "d": "2.5",
    "day": "2024-08-31",
}


def test_the_scripts_evaluator_agrees_with_the_servers(chromium, live_server):
    questionnaire = example_create("retention_interviews")
    response = Response.objects.create(questionnaire=questionnaire, version=questionnaire.current_version)
    page = chromium.new_context().new_page()
    page.goto(f"{live_server.url}/en/surveys/{questionnaire.slug}/r/{response.key}/")
    page.wait_for_selector("[data-qform].qform--live")
    for text in CONDITIONS:
        node = expressions.parse(text)
        expected = expressions.evaluate(node, ANSWERS.get)
        found = page.evaluate(
            "([node, answers]) => window.hw4allQuestionnaires.evaluate(node, (name) => name in answers ? answers[name] : null)",
            [node, ANSWERS],
        )
        if isinstance(expected, Decimal):
            expected = float(expected)
        assert found == expected, text
        assert page.evaluate(
            "([node, answers]) => window.hw4allQuestionnaires.isTrue(node, (name) => name in answers ? answers[name] : null)",
            [node, ANSWERS],
        ) == expressions.is_true(node, ANSWERS.get), text
