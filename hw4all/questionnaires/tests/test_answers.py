"""Answers read from a posted form, by type: good, malformed and hostile input, skip logic and
choice filters."""

import json

import pytest
from django.http import QueryDict

from hw4all.questionnaires import answers
from hw4all.questionnaires.tests.fill_data import form_definition

DEFINITION = form_definition()


def post(pairs: dict | list) -> QueryDict:
    data = QueryDict(mutable=True)
    items = pairs.items() if isinstance(pairs, dict) else pairs
    for key, value in items:
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data.appendlist(key, value)
    return data


def read(pairs) -> answers.Reading:
    return answers.read(DEFINITION, post(pairs))


def test_each_type_is_read_into_its_json_shape():
    reading = read(
        {
            "role": "  Head nurse ",
            "story": "Line one\r\nLine two",
            "profession": "other",
            "profession_other": "Pharmacist",
            "sectors": ["ngo", "public"],
            "migrated": "yes",
            "destination": "gb",
            "countries": ["KE", "GB", "KE"],
            "years": "12",
            "salary": "850,5",
            "started": "2012-03-01",
            "satisfaction.pay": "low",
            "satisfaction.hours": "high",
            "agreements.0._block": "1",
            "agreements.0.partner": "DE",
            "agreements.3._block": "1",
            "agreements.3.partner": "FR",
            "agreements.3.active": "no",
            "agreements.3.ended": "2020",
        }
    )
    assert reading.errors == {}
    values = reading.values
    assert values["role"] == "Head nurse"
    assert values["profession"] == "other" and values["profession_other"] == "Pharmacist"
    assert values["sectors"] == ["public", "ngo"]  # in the order of the choices
    assert values["destination"] == "GB"
    assert values["countries"] == ["GB", "KE"]  # by code, whatever the page's order
    assert values["years"] == 12 and values["salary"] == 850.5
    assert values["started"] == "2012-03-01"
    assert values["satisfaction"] == {"pay": "low", "hours": "high"}
    assert values["agreements"] == [{"partner": "DE"}, {"partner": "FR", "active": "no", "ended": 2020}]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("years", "twelve", "Enter a number"),
        ("years", "12.5", "Enter a whole number"),
        ("years", "101", "Enter a number between 0 and 100"),
        ("years", "-1", "Enter a number between 0 and 100"),
        ("salary", "NaN", "Enter a number"),
        ("salary", "1e400", "This number is too large."),
        ("started", "31/03/2024", "Enter a date as year-month-day"),
        ("started", "2024-02-30", "Enter a date as year-month-day"),
        ("started", "1850-01-01", "Enter a date between 1900-01-01 and 2100-12-31"),
        ("migrated", "maybe", "Choose one of the options listed."),
        ("profession", "<script>", "Choose one of the options listed."),
        ("sectors", "army", "Choose among the options listed."),
        ("destination", "XX", "Choose a country from the list."),
        ("countries", "ZZ", "Choose a country from the list."),
        ("satisfaction.pay", "medium", "Choose one of the options listed."),
    ],
)
def test_malformed_and_hostile_answers_are_refused_with_a_message(field, value, message):
    reading = read({field: value})
    path = field.split(".")[0]
    assert any(text.startswith(message) for text in reading.errors[path]), reading.errors
    assert path not in reading.values  # the stored answer stays


def test_text_over_its_limit_is_refused_with_its_length():
    reading = read({"role": "x" * 501, "story": "y" * 10_000})
    assert reading.errors["role"] == ["Keep this answer under 500 characters (it has 501)."]
    assert "role" not in reading.values
    assert len(reading.values["story"]) == 10_000
    assert "story" in read({"story": "y" * 10_001}).errors


def test_nul_and_control_characters_are_taken_out():
    reading = read({"role": "Nurse\x00\x07 in chief", "story": "a\tb\nc"})
    assert reading.values["role"] == "Nurse in chief"
    assert reading.values["story"] == "a\tb\nc"
    assert read({"story": "one\r\ntwo\rthree"}).values["story"] == "one\ntwo\nthree"


def test_ten_thousand_repeat_blocks_are_refused():
    pairs = [(f"agreements.{index}.partner", "KE") for index in range(10_000)]
    reading = read(pairs)
    assert "at most 50" in reading.errors["agreements"][0]
    assert "agreements" not in reading.values


def test_huge_block_indices_are_ignored():
    reading = read({"agreements.99999999999999.partner": "KE", "agreements.2._block": "1"})
    assert reading.values["agreements"] == [{}]


def test_an_unticked_box_empties_the_answer_when_the_form_was_complete():
    reading = read({"loaded": "{}", "role": "Nurse"})
    assert reading.values["sectors"] is None and reading.values["agreements"] is None
    # Without the form's record, only the fields posted are read.
    assert "sectors" not in read({"role": "Nurse"}).values


def test_notes_take_no_answer():
    assert "intro" not in read({"loaded": "{}", "intro": "hello"}).values


def test_hidden_answers_are_dropped():
    stored = {
        "role": "Nurse",
        "migrated": "no",
        "destination": "GB",
        "profession": "nurse",
        "profession_other": "left over",
        "agreements": [{"partner": "KE", "active": "yes", "ended": 2019}],
    }
    cleaned = answers.clean(DEFINITION, stored)
    assert "destination" not in cleaned  # asked only when migrated = yes
    assert "profession_other" not in cleaned
    assert cleaned["agreements"] == [{"partner": "KE", "active": "yes"}]  # same block's "active"


def test_a_hidden_section_drops_all_its_answers():
    cleaned = answers.clean(DEFINITION, {"role": "student", "years": 3, "salary": 10})
    assert cleaned == {"role": "student"}


def test_required_applies_only_to_shown_questions():
    assert answers.check(DEFINITION, {"role": "Nurse", "migrated": "no"}) == {}
    errors = answers.check(DEFINITION, {"role": "Nurse", "migrated": "yes"})
    assert errors == {"destination": ["Choose an option."]}
    errors = answers.check(DEFINITION, {"migrated": "no", "agreements": [{}, {"partner": "KE"}]})
    assert errors == {"role": ["Answer this question."], "agreements.0.partner": ["Choose an option."]}


def test_a_choice_the_filter_excludes_is_an_error():
    assert answers.check(DEFINITION, {"role": "N", "migrated": "no", "region": "afr", "city": "accra"}) == {}
    errors = answers.check(DEFINITION, {"role": "N", "migrated": "no", "region": "eur", "city": "accra"})
    assert "city" in errors


def test_the_record_of_what_was_loaded_is_a_fingerprint_per_answer():
    assert answers.digest(["a", "b"]) == answers.digest(["a", "b"]) != answers.digest(["b", "a"])
    assert answers.digest(None) == answers.digest("") == answers.digest([]) == ""
    assert json.dumps(answers.digests({"a": 1, "b": ""})).count(":") == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0....", "image/jpeg"),
        (b"Plain notes, caf\xc3\xa9", "text/plain"),
        (b"MZ\x90\x00\x03\x00\x00\x00", ""),
        (b"\x7fELF\x02\x01\x01", ""),
        (b"<!DOCTYPE html><html><script>alert(1)</script>", ""),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', ""),
        (b"<svg onload=alert(1)>", ""),
        (b"", ""),
    ],
)
def test_file_types_are_read_from_the_content(content, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert answers.file_type(SimpleUploadedFile("x.pdf", content)) == expected


def test_office_documents_are_recognised_by_their_members():
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    docx = SimpleUploadedFile("a.docx", buffer.getvalue())
    assert answers.file_type(docx).endswith("wordprocessingml.document")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    assert answers.file_type(SimpleUploadedFile("a.docx", buffer.getvalue())) == ""
