"""A round's exports: every published report, and nothing else, as CSV, XLSX and JSON, with the
country, organisation, co-signers and publication time before the answers."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from hw4all.codereports.models import Round

from .published import SECRETS, published_and_hidden, report_in, round_with_questionnaire

pytestmark = pytest.mark.django_db

URL = "/en/code-reporting/rounds/5/export"


@pytest.fixture
def reports(db):
    return published_and_hidden(round_with_questionnaire(5))


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content(response).decode("utf-8-sig"))))


def test_the_csv_holds_the_published_reports_with_their_labels(client, reports):
    response = client.get(f"{URL}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "code-reports-round-5.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [(row["country"], row["organisation"]) for row in rows] == [
        ("KE", "Kenya Health Action"),
        ("RO", "Medici pentru toți"),
    ]
    kenya, romania = rows
    assert kenya["country_name"] == "Kenya"
    assert kenya["cosigners"] == "Medici pentru toți"
    assert romania["cosigners"] == ""
    assert kenya["published_at"].startswith(str(reports["kenya"].published_at.date()))
    assert kenya["org_type"] == "NGO"
    assert kenya["measures"] == "Fair recruitment; No fees"
    assert kenya["ratings/art3"] == "Good"
    assert romania["org_type_other"] == "Diaspora network"
    assert kenya["agreements"] == "2"


def test_the_csv_with_codes(client, reports):
    kenya = csv_rows(client.get(f"{URL}.csv?labels=0"))[0]
    assert kenya["org_type"] == "ngo"
    assert kenya["measures"] == "fair fees"
    assert kenya["consulted"] == "yes"


def test_the_xlsx_has_the_reports_and_a_sheet_per_repeated_group(client, reports):
    response = client.get(f"{URL}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(content(response)), read_only=True)
    sheet = list(workbook.worksheets[0].values)
    heading = list(sheet[0])
    assert heading[4:9] == ["country", "country_name", "organisation", "cosigners", "published_at"]
    assert [row[heading.index("organisation")] for row in sheet[1:]] == [
        "Kenya Health Action",
        "Medici pentru toți",
    ]
    agreements = list(workbook["agreements"].values)
    assert [row[2] for row in agreements[1:]] == ["Germany", "United Kingdom", "Germany"]


def test_the_json_holds_the_answers_as_stored(client, reports):
    response = client.get(f"{URL}.json?labels=0")
    assert response.status_code == 200
    items = json.loads(content(response))
    assert [item["country"] for item in items] == ["KE", "RO"]
    kenya = items[0]
    assert kenya["organisation"] == "Kenya Health Action"
    assert kenya["cosigners"] == "Medici pentru toți"
    assert kenya["answers"]["measures"] == ["fair", "fees"]
    assert kenya["answers"]["agreements"][1]["partner"] == "GB"


@pytest.mark.permission("codereports:round_export", "public")
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_no_unpublished_report_is_exported(client, reports, fmt):
    data = content(client.get(f"{URL}.{fmt}"))
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        data = repr([list(sheet.values) for sheet in workbook.worksheets]).encode()
    for secret in SECRETS:
        assert secret.encode() not in data


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "html", "csv.exe", "xlsx%00"])
def test_an_unknown_format_is_404(client, reports, fmt):
    assert client.get(f"{URL}.{fmt}").status_code == 404


def test_a_round_without_questionnaire_has_no_export(client, db):
    Round.objects.create(number=3, instrument="NRI 2018", period="2018–2019")
    assert client.get("/en/code-reporting/rounds/3/export.csv").status_code == 404


def test_a_formula_in_an_answer_is_not_run_by_a_spreadsheet(client, db):
    round5 = round_with_questionnaire(5)
    report_in(round5, country="KE", answers={"comments": '=HYPERLINK("http://evil")'})
    row = csv_rows(client.get(f"{URL}.csv"))[0]
    assert row["comments"].startswith("'=")
