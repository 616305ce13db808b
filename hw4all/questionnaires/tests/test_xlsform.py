"""XLSForm import and export: the examples import, round-trip and convert to ODK XForms; every
kind of bad input gives precise problems by sheet and row, never an exception of another kind."""

import io
import zipfile

import pytest
from pyxform.xls2xform import convert

from hw4all.questionnaires.definition import QuestionType
from hw4all.questionnaires.examples import EXAMPLES, example_tables, example_xlsform, workbook_bytes
from hw4all.questionnaires.xlsform import (
    MAX_BYTES,
    XLSFormError,
    XLSFormProblem,
    definition_from_xlsform,
    definition_to_xlsform,
)

HEADER = ("type", "name", "label::English (en)", "relevant", "required", "appearance", "constraint")
CHOICES = [
    ("list_name", "name", "label::English (en)"),
    ("cadre", "nurse", "Nurse"),
    ("cadre", "doctor", "Doctor"),
]


def form(*rows, choices=CHOICES, settings=None, header=HEADER) -> bytes:
    sheets = {"survey": [header, *rows]}
    if choices is not None:
        sheets["choices"] = choices
    if settings is not None:
        sheets["settings"] = settings
    return workbook_bytes(sheets)


def problems_of(data) -> list[XLSFormProblem]:
    with pytest.raises(XLSFormError) as raised:
        definition_from_xlsform(data)
    return raised.value.problems


def only_problem(data) -> XLSFormProblem:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    return problems[0]


@pytest.fixture(scope="module")
def examples():
    return {name: definition_from_xlsform(example_xlsform(name)) for name in EXAMPLES}


class TestExamples:
    def test_every_example_imports_without_problems(self, examples):
        assert set(examples) == {"hrh_national_survey", "bilateral_agreements", "retention_interviews"}
        for definition in examples.values():
            assert definition.problems() == []
            assert definition.languages == ["en", "fr"]
            assert definition.default_language == "en"

    def test_the_national_survey(self, examples):
        survey = examples["hrh_national_survey"]
        assert survey.title.get("en") == "National survey of health workers"
        assert survey.form_id == "hrh_national_survey"
        assert [section.name for section in survey.sections] == ["about_you", "workplace", "job", "migration"]
        assert survey.sections[0].label.get("fr") == "À propos de vous"
        age = survey.question("age")
        assert (age.type, age.minimum, age.maximum, age.required) == (QuestionType.INTEGER, 18, 80, True)
        assert age.unit.get("fr") == "ans"
        assert age.hint.get("en") == "In completed years"
        assert age.tags == ["profile"]
        salary = survey.question("salary")
        assert (salary.type, salary.maximum, salary.unit.get("en")) == (
            QuestionType.DECIMAL,
            100000,
            "per month",
        )
        cadre = survey.question("cadre")
        assert (cadre.type, cadre.other, cadre.list_name) == (QuestionType.SELECT_ONE, True, "cadre")
        assert "other" not in [choice.name for choice in cadre.choices]
        assert cadre.choice_label("midwife", "fr") == "Sage-femme"
        assert survey.question("incentives").type == QuestionType.SELECT_MULTIPLE
        assert survey.question("start_date").type == QuestionType.DATE
        assert survey.question("nationality").type == QuestionType.COUNTRY
        assert survey.question("nationality").choices == []
        assert survey.question("trained_abroad").type == QuestionType.YES_NO
        assert survey.question("training_country").relevant == "${trained_abroad} = 'yes'"
        assert survey.question("destinations").type == QuestionType.COUNTRIES
        assert survey.question("stay_conditions").type == QuestionType.LONG_TEXT
        matrix = survey.question("satisfaction")
        assert matrix.type == QuestionType.MATRIX
        assert [row.name for row in matrix.rows][:2] == ["sat_pay", "sat_workload"]
        assert [choice.name for choice in matrix.choices] == ["1", "2", "3", "4", "5"]
        assert matrix.rows[0].label.get("fr") == "Mon salaire est juste au regard de mon travail"
        assert matrix.required and matrix.tags == ["satisfaction"]
        assert survey.question("welcome").type == QuestionType.NOTE

    def test_the_inventory_of_agreements(self, examples):
        inventory = examples["bilateral_agreements"]
        agreement = inventory.question("agreement")
        assert agreement.type == QuestionType.REPEAT
        assert agreement.relevant == "${has_agreements} = 'yes'"
        assert [question.name for question in agreement.questions] == [
            "partner_region",
            "partner_country",
            "agreement_type",
            "year_signed",
            "occupations",
            "references_code",
            "principles",
            "agreement_text",
        ]
        partner = inventory.question("partner_country")
        assert partner.type == QuestionType.SELECT_ONE
        assert partner.choice_filter == "region = ${partner_region}"
        assert partner.choices[0].columns == {"region": "afr"}
        assert inventory.question("agreement_text").type == QuestionType.FILE
        assert inventory.question("recruiting_countries").type == QuestionType.COUNTRIES
        assert inventory.question("report_date").minimum == "2010-05-21"
        assert inventory.repeat_of("references_code").name == "agreement"

    def test_the_interview_records(self, examples):
        interviews = examples["retention_interviews"]
        assert interviews.question("measures_notes").type == QuestionType.LONG_TEXT
        assert interviews.question("duration").type == QuestionType.DECIMAL
        assert interviews.question("interview_date").maximum == "2016-12-31"
        assert interviews.sections[1].relevant == "${consent} = 'yes'"
        assert [question.type for question in interviews.sections[2].questions][:5] == [
            QuestionType.YES_NO
        ] * 5

    @pytest.mark.parametrize("name", EXAMPLES)
    def test_import_export_import_gives_the_same_questionnaire(self, examples, name):
        exported = definition_to_xlsform(examples[name], version="2")
        assert definition_from_xlsform(exported).as_json() == examples[name].as_json()

    @pytest.mark.parametrize("name", EXAMPLES)
    def test_every_export_converts_to_an_odk_xform(self, examples, name):
        result = convert(definition_to_xlsform(examples[name], version="7"), file_type=".xlsx")
        assert "<h:html" in result.xform
        assert 'version="7"' in result.xform

    def test_a_file_object_is_read_like_bytes(self, examples):
        upload = io.BytesIO(example_xlsform("retention_interviews"))
        assert definition_from_xlsform(upload).as_json() == examples["retention_interviews"].as_json()


class TestExport:
    def test_the_sheets_hold_the_generated_lists_and_settings(self, examples):
        from openpyxl import load_workbook

        workbook = load_workbook(
            io.BytesIO(definition_to_xlsform(examples["hrh_national_survey"], version="4"))
        )
        assert workbook.sheetnames == ["survey", "choices", "settings"]
        choices = list(workbook["choices"].iter_rows(values_only=True))
        assert choices[0][:4] == ("list_name", "name", "label::English (en)", "label::Français (fr)")
        yes_no = [row[:4] for row in choices if row[0] == "yes_no_dk"]
        assert [row[1] for row in yes_no] == ["yes", "no", "dont_know"]
        assert yes_no[0][2:] == ("Yes", "Oui")
        countries = [row for row in choices if row[0] == "country"]
        assert len(countries) > 240
        assert ("country", "DE", "Germany", "Allemagne") in [row[:4] for row in countries]
        settings = list(workbook["settings"].iter_rows(values_only=True))
        assert settings[0][:4] == ("form_title", "form_id", "default_language", "version")
        assert settings[1][:4] == (
            "National survey of health workers",
            "hrh_national_survey",
            "English (en)",
            "4",
        )
        survey = list(workbook["survey"].iter_rows(values_only=True))
        age = next(row for row in survey if row[1] == "age")
        assert age[0] == "integer" and ". >= 18 and . <= 80" in age

    def test_a_definition_without_list_names_exports_and_reads_back(self):
        from hw4all.questionnaires.definition import Choice, Definition, Question, Section, Text

        made = Definition(
            title=Text({"en": "Made in code"}),
            description=Text({"en": "Follows the structure, not the wording", "fr": "Suit la structure"}),
            languages=["en", "fr"],
            sections=[
                Section(
                    "main",
                    Text({"en": "Main"}),
                    questions=[
                        Question(
                            "kind",
                            QuestionType.SELECT_ONE,
                            Text({"en": "Kind"}),
                            choices=[Choice("a", Text({"en": "A"})), Choice("b", Text({"en": "B"}))],
                        ),
                        Question("when", QuestionType.DATE, Text({"en": "When"}), minimum="2020-01-01"),
                    ],
                )
            ],
        )
        again = definition_from_xlsform(definition_to_xlsform(made))
        assert again.question("kind").list_name == "kind"
        assert again.description.get("fr") == "Suit la structure"
        assert again.question("when").minimum == "2020-01-01"
        assert definition_from_xlsform(definition_to_xlsform(again)).as_json() == again.as_json()


class TestMapping:
    def test_questions_outside_groups_make_a_first_section(self):
        definition = definition_from_xlsform(
            form(("text", "a", "A"), ("begin group", "later", "Later"), ("integer", "b", "B"), ("end group",))
        )
        assert [section.name for section in definition.sections] == ["section_1", "later"]
        assert definition.sections[0].questions[0].name == "a"

    def test_required_words(self):
        definition = definition_from_xlsform(
            form(
                ("text", "a", "A", "", "yes"),
                ("text", "b", "B", "", "TRUE()"),
                ("text", "c", "C", "", "true"),
                ("text", "d", "D", "", "no"),
            )
        )
        assert [question.required for question in definition.questions()] == [True, True, True, False]

    def test_a_plain_label_is_the_default_language(self):
        definition = definition_from_xlsform(
            form(
                ("text", "a", "Bonjour"),
                header=("type", "name", "label"),
                choices=None,
                settings=[("form_title", "default_language"), ("Enquête", "Français (fr)")],
            )
        )
        assert definition.default_language == "fr"
        assert definition.question("a").label.values == {"fr": "Bonjour"}
        assert definition.title.values == {"fr": "Enquête"}

    def test_a_yes_no_list_with_other_names_stays_a_select(self):
        choices = [("list_name", "name", "label"), ("yes_no_dk", "yes", "Yes"), ("yes_no_dk", "no", "No")]
        definition = definition_from_xlsform(form(("select_one yes_no_dk", "q", "Q"), choices=choices))
        assert definition.question("q").type == QuestionType.SELECT_ONE

    def test_a_country_list_of_other_names_stays_a_select(self):
        choices = [("list_name", "name", "label"), ("country", "north", "North"), ("country", "FR", "France")]
        definition = definition_from_xlsform(form(("select_one country", "q", "Q"), choices=choices))
        assert definition.question("q").type == QuestionType.SELECT_ONE

    def test_a_table_list_group_of_mixed_questions_at_the_top_is_a_section(self):
        definition = definition_from_xlsform(
            form(("begin group", "g", "G", "", "", "table-list"), ("text", "a", "A"), ("end group",))
        )
        assert definition.sections[0].name == "g"
        assert definition.question("a").type == QuestionType.TEXT


class TestBadInput:
    def test_a_missing_survey_sheet(self):
        data = workbook_bytes({"Surveys": [HEADER, ("text", "a", "A")], "choices": CHOICES})
        problem = only_problem(data)
        assert (problem.sheet, problem.row) == ("survey", None)
        assert "no sheet named “survey” (is it “Surveys”?)" in problem.message

    def test_a_missing_choices_sheet(self):
        problems = problems_of(form(("select_one cadre", "c", "Cadre"), choices=None))
        assert [(problem.sheet, problem.row) for problem in problems][0] == ("choices", None)
        assert "no sheet named “choices”" in problems[0].message

    @pytest.mark.parametrize("column", ["type", "name"])
    def test_a_missing_type_or_name_column(self, column):
        header = tuple(heading for heading in HEADER if heading != column)
        row = ("a", "A") if column == "type" else ("text", "A")
        problem = problems_of(form(row, header=header))[0]
        assert (problem.sheet, problem.row) == ("survey", 1)
        assert f"no “{column}” column" in problem.message

    def test_a_duplicate_name_names_both_rows(self):
        problem = only_problem(
            form(("text", "age", "Age"), ("integer", "other", "O"), ("integer", "age", "Age again"))
        )
        assert (problem.sheet, problem.row) == ("survey", 4)
        assert problem.message == "The name “age” is used twice (rows 2 and 4)."

    def test_a_broken_skip_logic_formula(self):
        problem = only_problem(form(("text", "a", "A"), ("text", "b", "B", "${a} =! 'x'")))
        assert (problem.sheet, problem.row) == ("survey", 3)
        assert problem.message == (
            "The relevant “${a} =! 'x'” of “b” cannot be read: unexpected “! 'x'” at character 7."
        )

    def test_a_formula_that_ends_too_early(self):
        problem = only_problem(form(("text", "a", "A"), ("text", "b", "B", "${a} = ")))
        assert problem.row == 3 and "ends too early" in problem.message

    def test_an_unknown_function(self):
        problem = only_problem(form(("date", "a", "A"), ("text", "b", "B", "${a} > today()")))
        assert problem.row == 3 and "the function “today()” is not supported" in problem.message

    def test_a_reference_to_no_question(self):
        problem = only_problem(form(("text", "a", "A"), ("text", "b", "B", "${agee} = 1")))
        assert (problem.sheet, problem.row) == ("survey", 3)
        assert problem.message == "“b” refers to ${agee}, which is not a question of this form."

    def test_a_choice_list_that_does_not_exist(self):
        problem = only_problem(form(("select_one cadres", "c", "Cadre")))
        assert (problem.sheet, problem.row) == ("survey", 2)
        assert problem.message == "The choice list “cadres” does not exist in the choices sheet."

    def test_an_empty_choice_list(self):
        choices = [*CHOICES, ("empty", "", "Nothing")]
        problems = problems_of(form(("select_one empty", "c", "Cadre"), choices=choices))
        assert [(problem.sheet, problem.row) for problem in problems] == [("survey", 2), ("choices", 4)]
        assert problems[0].message == "The choice list “empty” has no choices."
        assert problems[1].message == "This choice of the list “empty” has no name."

    def test_a_select_without_a_list(self):
        problem = problems_of(form(("select_one", "c", "Cadre")))[0]
        assert problem.row == 2 and "names no choice list" in problem.message

    def test_a_choice_listed_twice(self):
        problem = only_problem(
            form(("select_one cadre", "c", "Cadre"), choices=[*CHOICES, ("cadre", "nurse", "Nurse")])
        )
        assert (problem.sheet, problem.row) == ("choices", 4)
        assert "listed twice in “cadre” (rows 2 and 4)" in problem.message

    def test_a_group_never_closed(self):
        problem = only_problem(form(("begin group", "g", "G"), ("text", "a", "A")))
        assert (problem.sheet, problem.row) == ("survey", 2)
        assert "“g” begun here is never closed" in problem.message

    def test_an_end_without_a_begin(self):
        problems = problems_of(form(("text", "a", "A"), ("end group",)))
        assert (problems[0].sheet, problems[0].row) == ("survey", 3)
        assert "closes nothing" in problems[0].message

    def test_an_end_of_the_wrong_kind(self):
        problems = problems_of(form(("begin repeat", "r", "R"), ("text", "a", "A"), ("end group",)))
        assert (problems[0].row, problems[0].message) == (
            4,
            "This “end group” closes the repeat “r” begun at row 2.",
        )

    @pytest.mark.parametrize(
        "kind",
        [
            "geopoint",
            "calculate",
            "barcode",
            "audio",
            "image",
            "range",
            "rank",
            "start",
            "select_one_from_file x.csv",
        ],
    )
    def test_unsupported_question_types(self, kind):
        problem = only_problem(form(("text", "a", "A"), (kind, "x", "X")))
        assert (problem.sheet, problem.row) == ("survey", 3)
        assert problem.message == f"The question type “{kind}”: not supported by the questionnaires here."

    def test_a_nested_group(self):
        problem = only_problem(
            form(
                ("begin group", "g", "G"),
                ("begin group", "h", "H"),
                ("text", "a", "A"),
                ("end group",),
                ("end group",),
            )
        )
        assert problem.row == 3 and problem.message.startswith("A group inside a group")

    def test_a_nested_repeat(self):
        problem = only_problem(
            form(
                ("begin repeat", "r", "R"),
                ("begin repeat", "s", "S"),
                ("text", "a", "A"),
                ("end repeat",),
                ("end repeat",),
            )
        )
        assert problem.row == 3 and problem.message.startswith("A repeat inside a repeat")

    def test_an_unsupported_constraint(self):
        problem = only_problem(form(("integer", "n", "N", "", "", "", ". mod 2 = 0")))
        assert problem.row == 2
        assert problem.message.startswith("The constraint “. mod 2 = 0” (only bounds of numbers and dates")

    def test_a_constraint_on_text(self):
        problem = only_problem(form(("text", "t", "T", "", "", "", ". >= 3")))
        assert problem.row == 2 and "The constraint “. >= 3”" in problem.message

    @pytest.mark.parametrize(
        ("column", "feature"), [("repeat_count", "fixed number of repeats"), ("calculation", "Calculations")]
    )
    def test_unsupported_columns(self, column, feature):
        header = (*HEADER, column)
        problem = only_problem(
            form(
                ("begin repeat", "r", "R", "", "", "", "", "3"),
                ("text", "a", "A"),
                ("end repeat",),
                header=header,
            )
        )
        assert problem.row == 2 and feature in problem.message and "not supported" in problem.message

    def test_a_conditional_required(self):
        problem = only_problem(form(("text", "a", "A"), ("text", "b", "B", "", "${a} = 'x'")))
        assert problem.row == 3 and "A condition in “required”" in problem.message

    def test_a_matrix_row_with_its_own_skip_logic(self):
        problem = only_problem(
            form(
                ("text", "a", "A"),
                ("begin group", "m", "M", "", "", "table-list"),
                ("select_one cadre", "r1", "R1"),
                ("select_one cadre", "r2", "R2", "${a} = 'x'"),
                ("end group",),
            )
        )
        assert problem.row == 5 and "takes only a name, a label and required" in problem.message

    def test_a_language_without_a_code(self):
        header = ("type", "name", "label::English (en)", "label::Klingon")
        problem = only_problem(form(("text", "a", "A", "Qapla"), header=header))
        assert (problem.sheet, problem.row) == ("survey", 1)
        assert "“label::Klingon” names a language without its code" in problem.message

    def test_a_label_pyxform_refuses_is_reported_at_its_row(self):
        problem = only_problem(form(("text", "a", "A"), ("text", "b", "Hello ${nobody}")))
        assert (problem.sheet, problem.row) == ("survey", 3)
        assert problem.message.startswith("pyxform: ")
        assert "Could not find the name 'nobody'" in problem.message

    def test_problems_are_all_reported_sorted_by_sheet_and_row(self):
        problems = problems_of(
            form(
                ("select_one nothing", "c", "C"),
                ("geopoint", "g", "G"),
                ("text", "c", "Again", "${zz} = 1"),
                choices=[*CHOICES, ("cadre", "", "No name")],
            )
        )
        assert [(problem.sheet, problem.row) for problem in problems] == [
            ("survey", 2),
            ("survey", 3),
            ("survey", 4),
            ("survey", 4),
            ("choices", 4),
        ]

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (b"type,name,label\ntext,a,A\n", "not an .xlsx spreadsheet"),
            (b"", "not an .xlsx spreadsheet"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel .xls file"),
            (b"PK\x03\x04 broken zip", "not an .xlsx spreadsheet"),
        ],
    )
    def test_a_file_that_is_not_an_xlsx(self, data, words):
        problem = only_problem(data)
        assert (problem.sheet, problem.row) == ("", None) and words in problem.message

    def test_a_zip_that_is_not_a_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        assert "not an .xlsx spreadsheet" in only_problem(buffer.getvalue()).message

    def test_a_damaged_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", "<not really")
            archive.writestr("[Content_Types].xml", "<nor this")
        assert "damaged" in only_problem(buffer.getvalue()).message

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (70 * 1024 * 1024))
        assert len(buffer.getvalue()) < MAX_BYTES
        assert "unpacks to more than 60 MB" in only_problem(buffer.getvalue()).message

    def test_a_file_over_five_megabytes_is_refused_unread(self):
        problem = only_problem(io.BytesIO(b"PK" + b"\0" * MAX_BYTES))
        assert "larger than 5 MB" in problem.message

    def test_more_than_five_thousand_rows_is_refused(self):
        rows = [("text", f"q{number}", f"Q{number}") for number in range(5001)]
        problem = only_problem(form(*rows, choices=None))
        assert (problem.sheet, problem.row) == ("survey", 5002)
        assert "more than 5000 rows" in problem.message

    def test_an_example_with_one_mistake_reports_only_it(self):
        tables = example_tables("bilateral_agreements")
        survey = [list(row) for row in tables["survey"]]
        survey[10][8] = "region = ${partner_regio}"  # the choice filter of partner_country
        problem = only_problem(workbook_bytes({**tables, "survey": survey}))
        assert (problem.sheet, problem.row) == ("survey", 11)
        assert "${partner_regio}" in problem.message


class TestShippedCodeQuestionnaire:
    """The civil-society report questionnaire the platform ships, which editors correct through
    XLSForm. Read as a file: this app may not import the Code reporting app."""

    @pytest.fixture
    def shipped(self):
        import json
        from pathlib import Path

        import hw4all
        from hw4all.questionnaires.definition import Definition

        path = Path(hw4all.__file__).parent / "codereports" / "data" / "civil_society_report.json"
        return Definition.from_json(json.loads(path.read_text()))

    def test_it_goes_to_xlsform_and_back_whole(self, shipped):
        imported = definition_from_xlsform(definition_to_xlsform(shipped))
        assert imported.as_json() == shipped.as_json()
        assert imported.title.get("fr") == shipped.title.get("fr")
        assert definition_from_xlsform(definition_to_xlsform(imported)).as_json() == imported.as_json()

    def test_its_export_converts_to_an_odk_xform(self, shipped):
        assert "<h:html" in convert(definition_to_xlsform(shipped), file_type=".xlsx").xform
