"""The XLSForm commands: import creates a questionnaire or adds a version, and stops with every
problem by sheet and row; export writes a version as .xlsx."""

import io

import pytest
from django.core.management import CommandError, call_command

from hw4all.questionnaires.examples import example_tables, example_xlsform, workbook_bytes
from hw4all.questionnaires.models import Access, Questionnaire, VersionSource
from hw4all.questionnaires.xlsform import definition_from_xlsform

pytestmark = pytest.mark.django_db


def write(tmp_path, data: bytes, name: str = "form.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_creates_then_adds_versions(tmp_path):
    path = write(tmp_path, example_xlsform("bilateral_agreements"))
    out = io.StringIO()
    call_command(
        "questionnaire_import", path, "--slug", "agreements", "--access", Access.IDENTIFIED, stdout=out
    )
    questionnaire = Questionnaire.objects.get(slug="agreements")
    assert questionnaire.name == "Inventory of bilateral recruitment agreements"
    assert questionnaire.access == Access.IDENTIFIED
    assert questionnaire.current_version.source == VersionSource.XLSFORM
    assert "questionnaire created" in out.getvalue()
    call_command("questionnaire_import", path, "--slug", "agreements", "--note", "Again", stdout=out)
    questionnaire.refresh_from_db()
    assert (questionnaire.current_version.number, questionnaire.current_version.note) == (2, "Again")
    assert "version 2 added" in out.getvalue()


def test_import_prints_every_problem_and_stores_nothing(tmp_path):
    tables = example_tables("retention_interviews")
    survey = [list(row) for row in tables["survey"]]
    survey[3][7] = "${interviewer} =! 'x'"
    survey[5][1] = "interviewer"
    path = write(tmp_path, workbook_bytes({**tables, "survey": survey}))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("questionnaire_import", path, "--slug", "interviews", stderr=errors)
    lines = errors.getvalue().splitlines()
    assert lines[0].startswith("survey, row 4: The relevant")
    assert lines[1] == "survey, row 6: The name “interviewer” is used twice (rows 3 and 6)."
    assert not Questionnaire.objects.exists()


def test_import_of_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("questionnaire_import", str(tmp_path / "nothing.xlsx"), "--slug", "x")


def test_export_writes_the_current_or_a_given_version(tmp_path):
    call_command(
        "questionnaire_import", write(tmp_path, example_xlsform("hrh_national_survey")), "--slug", "hrh"
    )
    call_command(
        "questionnaire_import", write(tmp_path, example_xlsform("retention_interviews")), "--slug", "hrh"
    )
    call_command("questionnaire_export", "hrh", "-o", str(tmp_path / "current.xlsx"), stdout=io.StringIO())
    call_command(
        "questionnaire_export",
        "hrh",
        "--version",
        "1",
        "-o",
        str(tmp_path / "first.xlsx"),
        stdout=io.StringIO(),
    )
    assert definition_from_xlsform((tmp_path / "current.xlsx").read_bytes()).form_id == "retention_interviews"
    first = definition_from_xlsform((tmp_path / "first.xlsx").read_bytes())
    assert first.as_json() == Questionnaire.objects.get(slug="hrh").versions.get(number=1).definition_json


def test_export_of_an_unknown_slug_or_version(tmp_path):
    with pytest.raises(CommandError, match="No questionnaire"):
        call_command("questionnaire_export", "nothing", "-o", str(tmp_path / "x.xlsx"))
    call_command(
        "questionnaire_import", write(tmp_path, example_xlsform("retention_interviews")), "--slug", "r"
    )
    with pytest.raises(CommandError, match="has no version 4"):
        call_command("questionnaire_export", "r", "--version", "4", "-o", str(tmp_path / "x.xlsx"))
