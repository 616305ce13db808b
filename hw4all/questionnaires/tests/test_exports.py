"""Exports as a person opens them: the CSV in a spreadsheet (parsed back with csv), the XLSX with
openpyxl, the JSON; labels and codes, leading columns, formulas kept inert, repeats, older
versions."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from hw4all.questionnaires.exports import export_http_response
from hw4all.questionnaires.models import Response

from .survey_data import ANSWERS, responses_add, survey_create, version_without

HEADINGS = [
    "id",
    "status",
    "submitted_at",
    "version",
    "role",
    "story",
    "profession",
    "profession_other",
    "sectors",
    "sectors_other",
    "migrated",
    "country",
    "countries",
    "years",
    "salary",
    "started",
    "satisfaction/pay",
    "satisfaction/hours",
    "cv",
    "agreements",
]


@pytest.fixture
def survey(db):
    questionnaire = survey_create()
    responses_add(questionnaire, ANSWERS)
    return questionnaire


def _export(questionnaire, fmt, *, labels=False, leading=(), language="en"):
    response = export_http_response(
        fmt=fmt,
        responses=Response.objects.filter(questionnaire=questionnaire),
        definition=questionnaire.current_version.definition,
        filename="workforce",
        labels=labels,
        language=language,
        leading=leading,
    )
    return response, b"".join(response.streaming_content)


def _csv_rows(questionnaire, **options):
    response, body = _export(questionnaire, "csv", **options)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="workforce.csv"' in response["Content-Disposition"]
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_codes_one_row_per_response_one_column_per_question(survey):
    headings, rows = _csv_rows(survey)
    assert headings == HEADINGS
    assert len(rows) == 4
    first = rows[0]
    assert first["status"] == "submitted"
    assert first["version"] == "1"
    assert first["submitted_at"]
    assert first["profession"] == "nurse"
    assert first["sectors"] == "public ngo"
    assert first["countries"] == "KE GB"
    assert first["years"] == "12"
    assert first["salary"] == "850.5"
    assert first["started"] == "2012-03-01"
    assert (first["satisfaction/pay"], first["satisfaction/hours"]) == ("low", "high")
    assert first["cv"] == "cv.pdf"
    assert first["agreements"] == "2"
    second = rows[1]
    assert (second["profession"], second["profession_other"]) == ("other", "Pharmacist")
    assert (second["sectors"], second["sectors_other"]) == ("private other", "Faith-based")
    assert second["satisfaction/hours"] == ""
    assert rows[3]["migrated"] == "dont_know"


def test_csv_labels(survey):
    _headings, rows = _csv_rows(survey, labels=True)
    first = rows[0]
    assert first["profession"] == "Nurse"
    assert first["sectors"] == "Public; NGO"
    assert first["migrated"] == "Yes"
    assert first["country"] == "Kenya"
    assert first["countries"] == "Kenya; United Kingdom"
    assert first["satisfaction/pay"] == "Low"
    # Numbers stay numbers to calculate with.
    assert first["years"] == "12"
    assert rows[1]["profession"] == "Other"
    assert rows[1]["profession_other"] == "Pharmacist"


def test_csv_labels_in_another_language(survey):
    _headings, rows = _csv_rows(survey, labels=True, language="fr")
    assert rows[0]["profession"] == "Infirmier·ère"


def test_a_cell_that_looks_like_a_formula_is_kept_inert(survey):
    _headings, rows = _csv_rows(survey)
    assert rows[1]["role"] == '\'=HYPERLINK("http://evil")'
    assert rows[2]["role"] == "<script>alert(1)</script>"


def test_leading_columns_come_after_the_response_columns(survey):
    leading = [("organisation", lambda r: "Nurses United"), ("formula", lambda r: "@SUM(A1)")]
    headings, rows = _csv_rows(survey, leading=leading)
    assert headings[:7] == ["id", "status", "submitted_at", "version", "organisation", "formula", "role"]
    assert rows[0]["organisation"] == "Nurses United"
    assert rows[0]["formula"] == "'@SUM(A1)"


def test_responses_of_an_older_version_export_under_the_current_columns(survey):
    version_without(survey, "story")
    responses_add(survey, [{"role": "New", "profession": "doctor"}])
    headings, rows = _csv_rows(survey)
    assert "story" not in headings
    assert [row["version"] for row in rows] == ["1", "1", "1", "1", "2"]
    assert rows[0]["role"] == "Head nurse"
    assert rows[4]["profession"] == "doctor"


def test_xlsx_has_the_responses_and_a_sheet_per_repeat(survey):
    response, body = _export(survey, "xlsx", labels=True, leading=[("organisation", lambda r: "=cmd")])
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="workforce.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["responses", "agreements"]
    rows = list(workbook["responses"].values)
    assert list(rows[0]) == [*HEADINGS[:4], "organisation", *HEADINGS[4:]]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["organisation"] == "'=cmd"
    assert first["profession"] == "Nurse"
    assert first["years"] == 12
    assert first["salary"] == 850.5
    assert first["agreements"] == 2
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["role"] == '\'=HYPERLINK("http://evil")'
    blocks = list(workbook["agreements"].values)
    assert list(blocks[0]) == ["response_id", "block", "partner", "signed", "agreement_note"]
    ids = [row[0] for row in rows[1:]]
    assert [row[:4] for row in blocks[1:]] == [
        (ids[0], 1, "United Kingdom", 2015),
        (ids[0], 2, "Germany", 2019),
        (ids[1], 1, "United Kingdom", 2020),
    ]


def test_xlsx_drops_characters_a_spreadsheet_cannot_hold(survey):
    responses_add(survey, [{"role": "bell\x07 and tab\tkept"}])
    _response, body = _export(survey, "xlsx")
    rows = list(load_workbook(io.BytesIO(body))["responses"].values)
    assert rows[-1][4] == "bell and tab\tkept"


def test_json_codes_keeps_the_answers_as_stored(survey):
    response, body = _export(survey, "json", leading=[("organisation", lambda r: "Nurses United")])
    assert response["Content-Type"].startswith("application/json")
    items = json.loads(body)
    assert len(items) == 4
    first = items[0]
    assert set(first) == {"id", "status", "submitted_at", "version", "organisation", "answers"}
    assert first["organisation"] == "Nurses United"
    assert first["answers"] == ANSWERS[0]
    assert items[1]["answers"]["profession_other"] == "Pharmacist"


def test_json_labels(survey):
    _response, body = _export(survey, "json", labels=True)
    answers = json.loads(body)[0]["answers"]
    assert answers["profession"] == "Nurse"
    assert answers["sectors"] == ["Public", "NGO"]
    assert answers["satisfaction"] == {"pay": "Low", "hours": "High"}
    assert answers["agreements"][0] == {
        "partner": "United Kingdom",
        "signed": 2015,
        "agreement_note": "Nurses",
    }
    assert answers["years"] == 12


def test_json_of_an_older_version_leaves_removed_questions_out(survey):
    version_without(survey, "story")
    _response, body = _export(survey, "json")
    assert "story" not in json.loads(body)[0]["answers"]


def test_no_responses_export_headings_only(db):
    questionnaire = survey_create()
    headings, rows = _csv_rows(questionnaire)
    assert headings == HEADINGS and rows == []
    _response, body = _export(questionnaire, "json")
    assert json.loads(body) == []


def test_an_unknown_format_is_refused(survey):
    with pytest.raises(ValueError):
        _export(survey, "pdf")
