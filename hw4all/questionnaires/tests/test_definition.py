"""The typed questionnaire definition: what it refuses (in words an editor can act on) and that it
reads back exactly what it wrote."""

import pytest

from hw4all.questionnaires.definition import (
    Choice,
    Definition,
    DefinitionError,
    Question,
    QuestionType,
    Section,
    Text,
)


def choices(*names: str) -> list[Choice]:
    return [Choice(name, Text({"en": name.title()})) for name in names]


def definition(*questions: Question, sections: list[Section] | None = None) -> Definition:
    return Definition(
        title=Text({"en": "Survey"}),
        sections=sections or [Section("main", Text({"en": "Main"}), questions=list(questions))],
    )


def full_definition() -> Definition:
    return Definition(
        title=Text({"en": "Workforce survey", "fr": "Enquête"}),
        description=Text({"en": "About health workers"}),
        languages=["en", "fr"],
        default_language="en",
        form_id="hrh_survey",
        sections=[
            Section(
                "facility",
                Text({"en": "Facility", "fr": "Établissement"}),
                hint=Text({"en": "Where you work"}),
                questions=[
                    Question("name", QuestionType.TEXT, Text({"en": "Name"}), required=True),
                    Question(
                        "staff",
                        QuestionType.INTEGER,
                        Text({"en": "Staff"}),
                        unit=Text({"en": "people", "fr": "personnes"}),
                        minimum=0,
                        maximum=5000,
                        tags=["art-5", "stock"],
                    ),
                    Question(
                        "cadres",
                        QuestionType.SELECT_MULTIPLE,
                        Text({"en": "Cadres"}),
                        choices=choices("doctor", "nurse"),
                        list_name="cadre",
                        other=True,
                    ),
                ],
            ),
            Section(
                "plans",
                Text({"en": "Plans"}),
                relevant="${staff} > 0",
                questions=[
                    Question(
                        "region",
                        QuestionType.SELECT_ONE,
                        Text({"en": "Region"}),
                        choices=choices("afr", "eur"),
                    ),
                    Question(
                        "country",
                        QuestionType.SELECT_ONE,
                        Text({"en": "Country"}),
                        choices=[
                            Choice("sn", Text({"en": "Senegal"}), {"region": "afr"}),
                            Choice("fr", Text({"en": "France"}), {"region": "eur"}),
                        ],
                        choice_filter="region = ${region}",
                    ),
                    Question(
                        "satisfaction",
                        QuestionType.MATRIX,
                        Text({"en": "Satisfaction"}),
                        choices=choices("1", "2", "3"),
                        rows=choices("pay", "hours"),
                    ),
                    Question(
                        "agreements",
                        QuestionType.REPEAT,
                        Text({"en": "Agreements"}),
                        questions=[
                            Question("partner", QuestionType.COUNTRY, Text({"en": "Partner"})),
                            Question(
                                "signed", QuestionType.DATE, Text({"en": "Signed"}), minimum="2000-01-01"
                            ),
                        ],
                    ),
                    Question(
                        "leave",
                        QuestionType.YES_NO,
                        Text({"en": "Leave?"}),
                        hint=Text({"en": "In the next year"}),
                        relevant="selected(${cadres}, 'nurse')",
                    ),
                ],
            ),
        ],
    )


def test_a_sound_definition_has_no_problems():
    assert full_definition().problems() == []


def test_json_round_trip_keeps_everything():
    original = full_definition()
    data = original.as_json()
    again = Definition.from_json(data)
    assert again.as_json() == data
    assert again.form_id == "hrh_survey"
    assert again.question("staff").unit.get("fr") == "personnes"
    assert again.question("staff").tags == ["art-5", "stock"]
    assert again.question("country").choices[0].columns == {"region": "afr"}
    assert [question.name for question in again.question("agreements").questions] == ["partner", "signed"]
    assert again.sections[1].relevant_node == [">", ["ref", "staff"], ["num", 0]]


def test_json_leaves_out_what_is_empty():
    data = Question("q", QuestionType.TEXT, Text({"en": "Q"})).as_json()
    assert data == {"name": "q", "type": "text", "label": {"en": "Q"}}


def test_reading_order_and_lookups():
    found = full_definition()
    assert [question.name for question in found.questions()][-4:] == [
        "agreements",
        "partner",
        "signed",
        "leave",
    ]
    assert "partner" not in [question.name for question in found.top_questions()]
    assert found.section_of("signed").name == "plans"
    assert found.repeat_of("signed").name == "agreements"
    assert found.repeat_of("leave") is None
    assert found.question("nothing") is None


def test_texts_fall_back_to_the_default_language():
    text = Text({"en": "Hello", "fr": "Bonjour"})
    assert text.get("fr") == "Bonjour"
    assert text.get("es", "en") == "Hello"
    assert Text({"fr": "Bonjour"}).get("es", "en") == "Bonjour"
    assert Text.of("Plain").get("pt") == "Plain"
    assert not Text.of("")


def test_a_name_used_twice_is_reported():
    problems = definition(
        Question("age", QuestionType.INTEGER, Text({"en": "Age"})),
        Question("age", QuestionType.TEXT, Text({"en": "Age again"})),
    ).problems()
    assert problems == ["the name “age” is used twice"]


def test_a_question_named_like_a_section_is_reported():
    problems = definition(Question("main", QuestionType.TEXT, Text({"en": "Main"}))).problems()
    assert problems == ["the name “main” is used twice"]


def test_a_name_inside_a_repeat_used_twice_is_reported():
    problems = definition(
        Question("partner", QuestionType.TEXT),
        Question("blocks", QuestionType.REPEAT, questions=[Question("partner", QuestionType.TEXT)]),
    ).problems()
    assert problems == ["the name “partner” is used twice"]


def test_a_reference_to_no_question_is_reported():
    problems = definition(
        Question("age", QuestionType.INTEGER),
        Question("retire", QuestionType.YES_NO, relevant="${agee} > 60"),
    ).problems()
    assert problems == ["“retire”: the condition “${agee} > 60” refers to “agee”, which is not a question"]


def test_an_unreadable_condition_is_reported_with_the_parser_words():
    problems = definition(
        Question("age", QuestionType.INTEGER),
        Question("retire", QuestionType.YES_NO, relevant="${age} > "),
    ).problems()
    assert problems == ["“retire”: the condition “${age} > ” cannot be read (the expression ends too early)"]


def test_an_unreadable_section_condition_is_reported():
    found = Definition(
        title=Text({"en": "S"}),
        sections=[Section("main", relevant="${x} =! 1", questions=[Question("x", QuestionType.TEXT)])],
    )
    assert found.problems() == [
        "“main”: the condition “${x} =! 1” cannot be read (unexpected “! 1” at character 7)"
    ]


def test_a_bare_name_in_skip_logic_is_reported():
    problems = definition(
        Question("age", QuestionType.INTEGER),
        Question("retire", QuestionType.YES_NO, relevant="age > 60"),
    ).problems()
    assert problems == [
        "“retire”: the condition “age > 60” names “age” without ${…}; write ${age} to read that answer"
    ]


def test_a_choice_filter_may_read_columns_but_not_unknown_answers():
    question = Question(
        "country", QuestionType.SELECT_ONE, choices=choices("sn"), choice_filter="region = ${regin}"
    )
    problems = definition(
        Question("region", QuestionType.SELECT_ONE, choices=choices("afr")), question
    ).problems()
    assert problems == [
        "“country”: the condition “region = ${regin}” refers to “regin”, which is not a question"
    ]


def test_a_select_without_choices_is_reported():
    problems = definition(
        Question("cadre", QuestionType.SELECT_ONE), Question("many", QuestionType.SELECT_MULTIPLE)
    ).problems()
    assert problems == ["“cadre” has no choices", "“many” has no choices"]


def test_a_choice_listed_twice_is_reported():
    problems = definition(
        Question("cadre", QuestionType.SELECT_ONE, choices=choices("nurse", "nurse"))
    ).problems()
    assert problems == ["“cadre”: the choice “nurse” is listed twice"]


def test_a_matrix_needs_rows_and_a_scale():
    problems = definition(
        Question("no_rows", QuestionType.MATRIX, choices=choices("1", "2")),
        Question("no_scale", QuestionType.MATRIX, rows=choices("pay")),
    ).problems()
    assert problems == ["“no_rows” needs rows and a scale", "“no_scale” needs rows and a scale"]


def test_repeats_must_hold_questions_and_may_not_nest():
    problems = definition(
        Question("empty", QuestionType.REPEAT),
        Question(
            "outer",
            QuestionType.REPEAT,
            questions=[Question("inner", QuestionType.REPEAT, questions=[Question("x", QuestionType.TEXT)])],
        ),
        Question("text", QuestionType.TEXT, questions=[Question("y", QuestionType.TEXT)]),
    ).problems()
    assert "the repeated group “empty” has no questions" in problems
    assert "“outer”: a repeated group inside a repeated group is not supported" in problems
    assert "“text” holds questions but is not a repeated group" in problems


def test_from_json_refuses_a_definition_with_problems():
    data = definition(Question("a", QuestionType.TEXT), Question("a", QuestionType.TEXT)).as_json()
    with pytest.raises(DefinitionError) as raised:
        Definition.from_json(data)
    assert raised.value.messages == ["the name “a” is used twice"]


@pytest.mark.parametrize(
    "data",
    [
        {"sections": [{"label": "no name"}]},
        {"sections": [{"name": "s", "questions": [{"name": "q", "type": "spreadsheet"}]}]},
        {"sections": "not a list"},
        {"sections": [{"name": "s", "questions": [{"type": "text"}]}]},
    ],
)
def test_from_json_refuses_malformed_json_in_words(data):
    with pytest.raises(DefinitionError) as raised:
        Definition.from_json(data)
    assert raised.value.messages[0].startswith("malformed questionnaire:")
