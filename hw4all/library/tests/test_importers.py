"""Imports of Zotero exports (CSV, RIS, CSL-JSON): the sample files, our own exports read back,
every kind of bad input answered with the message a person sees, and no input that raises."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hw4all.library.citations import csl_json, ris
from hw4all.library.importers import RowError, import_csl_json, import_csv, import_ris
from hw4all.library.records import Author, InvalidRecord, ResourceRecord, doi_normalise, isbn_normalise

SAMPLES = Path(__file__).parent / "samples"
CODE_URL = "https://apps.who.int/gb/ebwha/pdf_files/WHA63/A63_R16-en.pdf"
IMPORTERS = [import_csv, import_ris, import_csl_json]


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.mark.parametrize(
    ("importer", "name"),
    [(import_csv, "zotero-export.csv"), (import_ris, "library.ris"), (import_csl_json, "library.json")],
)
def test_a_zotero_export_imports_whole(importer, name):
    result = importer(sample(name))
    assert not result.errors
    assert len(result.records) == 6
    code = result.records[0]
    assert code.title == "WHO Global Code of Practice on the International Recruitment of Health Personnel"
    assert code.kind == "who-reference"
    assert code.authors == (Author(literal="World Health Organization"),)
    assert (code.year, code.month, code.day) == (2010, 5, 21)
    assert code.languages == ("en",)
    assert code.import_key() == CODE_URL
    kampala = result.records[1]
    assert (kampala.kind, kampala.year, kampala.import_key()) == ("statement", 2008, None)


def test_csv_reads_zotero_columns_and_language_names():
    records = import_csv(sample("zotero-export.csv")).records
    guide, translation, final_report, side_event = records[2:]
    assert guide.kind == "toolkit"
    assert guide.summary.startswith("Explains, article by article")
    assert translation.languages == ("ro",)
    assert translation.topics == ("Code implementation", "recruitment")
    assert (final_report.year, final_report.month, final_report.day) == (2016, 4, None)
    assert side_event.kind == "presentation"


def test_ris_joins_continued_lines_and_maps_types():
    records = import_ris(sample("library.ris")).records
    assert records[3].summary.endswith(
        "on keeping the human resources crisis and migration on national and international agendas."
    )
    assert [record.kind for record in records[3:]] == ["report", "presentation", "video"]


def test_csl_json_reads_date_parts_raw_dates_and_people():
    result = import_csl_json(sample("library.json"))
    assert result.records[2].year == 2013
    assert result.records[5].authors == (Author(family="Fox", given="Katie"),)
    assert result.warnings == [RowError(6, "Unknown type “post-weblog”: imported as a report.")]


def test_bad_csv_rows_are_reported_by_line_and_the_others_imported():
    result = import_csv(sample("zotero-export-bad.csv"))
    assert [record.title for record in result.records] == [
        "Human resources for health in Romania: a national analysis",
        "Invest in the Health Workforce: That is how we keep the UHC promise",
    ]
    # The first row's abstract spans lines 2 to 4.
    assert result.errors == [
        RowError(5, "The title is missing."),
        RowError(6, "The DOI “10.12/not-a-doi” is not valid."),
        RowError(7, "The ISBN “978-3-16-148410-1” is not valid."),
        RowError(8, "The link “ftp://ftp.example.org/report.pdf” is not a web address (http or https)."),
        RowError(9, "The date “sometime” has no year."),
    ]
    assert result.warnings == [
        RowError(9, "Unknown type “statute”: imported as a report."),
        RowError(9, "Unknown language “Klingon” left out."),
        RowError(10, "Unknown type “blogPost”: imported as a report."),
        RowError(10, "Unknown language “Klingon” left out."),
    ]


def test_bad_ris_entries_are_reported_by_ordinal_and_the_others_imported():
    result = import_ris(sample("library-bad.ris"))
    assert [record.title for record in result.records] == [
        "Public hearing on the relevance and effectiveness of the Code",
        "Journal article with an ISSN",
    ]
    assert result.records[1].isbn == ""
    assert result.errors == [
        RowError(1, "The title is missing."),
        RowError(2, "The DOI “doi:10.12/not-a-doi” is not valid."),
        RowError(3, "The ISBN “978-3-16-148410-1” is not valid."),
        RowError(6, "This entry has no end line (ER): the file may be cut short."),
    ]
    assert result.warnings == [
        RowError(4, "Unknown type “HEAR”: imported as a report."),
        RowError(4, "Unknown language “Klingon” left out."),
    ]


def test_bad_csl_json_items_are_reported_by_position_and_the_others_imported():
    result = import_csl_json(sample("library-bad.json"))
    assert [record.title for record in result.records] == ["Law on the health professions"]
    assert result.errors == [
        RowError(1, "This item is not a CSL-JSON object."),
        RowError(2, "The title is missing."),
        RowError(3, "The authors should be a list of names."),
        RowError(4, "The link “www.who.int/hrh” is not a web address (http or https)."),
        RowError(6, "The field “title” should be text."),
        RowError(7, "The date 2014-13 is not a valid date."),
    ]
    assert result.warnings == [RowError(5, "Unknown type “legislation”: imported as a report.")]


@pytest.mark.parametrize("importer", IMPORTERS)
@pytest.mark.parametrize("data", [b"", b"  \n\r\n", "\ufeff"])
def test_an_empty_file_is_refused(importer, data):
    assert importer(data).errors == [RowError(0, "The file is empty.")]


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_file_in_another_encoding_is_refused(importer):
    latin1 = "Title\nCodul global al Organizaţiei Mondiale a Sănătăţii, ediţia în limba română\n".encode(
        "cp1250"
    )
    assert importer(latin1).errors == [
        RowError(0, "The file is not UTF-8 text. Export it again with the UTF-8 character set.")
    ]
    assert importer("Title\nRésumé".encode("utf-16")).errors == importer(latin1).errors


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_file_above_the_size_limit_is_refused(importer):
    assert importer(b"x" * 2049, max_bytes=2048).errors == [RowError(0, "The file is larger than 2.0\xa0KB.")]


def test_a_byte_order_mark_is_accepted():
    assert (
        import_csv(sample("zotero-export.csv")).records == import_csv(sample("zotero-export.csv")[3:]).records
    )
    assert sample("zotero-export.csv").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("importer", "text", "message"),
    [
        (
            import_csv,
            "Author,Year\nWHO,2010\n",
            "The first line has no “Title” column: this is not a Zotero CSV export.",
        ),
        (import_ris, "Title: WHO Code\n", "No RIS entry found: an entry starts with a “TY  - ” line."),
        (import_csl_json, '[{"title": "WHO Code"', "This is not valid JSON (line 1)."),
        (import_csl_json, '"WHO Code"', "This is not CSL-JSON: expected a list of items."),
        (import_csl_json, "[" * 100_000, "This JSON is nested too deeply to read."),
    ],
)
def test_a_file_in_the_wrong_format_is_refused_with_the_reason(importer, text, message):
    assert importer(text).errors == [RowError(0, message)]


EXPORTED = [
    ResourceRecord(
        title="Resursele umane în sănătate: analiză la nivel național",
        kind="case-study",
        summary="Studiu bazat pe o anchetă națională.\n\nRecomandări pentru politici coerente.",
        authors=[
            Author(family="Popescu", given="Ana-Maria"),
            Author(literal="Center for Health Policies and Services"),
        ],
        publisher="Center for Health Policies and Services",
        year=2014,
        month=3,
        languages=["ro"],
        topics=["retention", "migration"],
        doi="10.1234/hw4all.2014.01",
        isbn="9783161484100",
    ),
    ResourceRecord(
        title="Invest in health workers", kind="policy-brief", year=2020, url="https://example.org/brief"
    ),
    ResourceRecord(title="Health workforce density by country", kind="dataset", year=2023, month=1, day=9),
]


@pytest.mark.parametrize("record", EXPORTED)
def test_our_ris_export_imports_back_to_the_same_record(record):
    result = import_ris(ris(record))
    assert not result.errors
    assert result.records == [
        record.__class__(**{**vars(record), "summary": " ".join(record.summary.split())})
    ]


@pytest.mark.parametrize("record", EXPORTED)
def test_our_csl_json_export_imports_back_to_the_same_record(record):
    result = import_csl_json(json.dumps([csl_json(record)]))
    assert not result.errors
    assert result.records == [record]


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("https://doi.org/10.1136/BMJGH-2022-000001", "10.1136/bmjgh-2022-000001"),
        ("doi: 10.1000/ABC", "10.1000/abc"),
        ("http://dx.doi.org/10.1000/a%2Fb", "10.1000/a/b"),
    ],
)
def test_dois_lose_their_prefix_and_case(typed, normalised):
    assert doi_normalise(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("978-3-16-148410-0", "9783161484100"),
        ("ISBN 0-306-40615-2", "0306406152"),
        ("0-8044-2957-x", "080442957X"),
    ],
)
def test_isbns_with_valid_check_digits_are_kept_compact(typed, compact):
    assert isbn_normalise(typed) == compact


def test_import_key_is_the_doi_else_the_normalised_address():
    assert ResourceRecord(title="A", doi="doi:10.1000/X", url="https://a.org/").import_key() == "10.1000/x"
    assert (
        ResourceRecord(title="A", url="HTTPS://WWW.WHO.INT:443/hrh/#top").import_key()
        == "https://www.who.int/hrh"
    )
    assert ResourceRecord(title="A").import_key() is None


def test_a_record_reports_all_its_problems_at_once():
    with pytest.raises(InvalidRecord) as raised:
        ResourceRecord(title=" ", kind="poster", year=2010, day=3, countries=["XX"], languages=["English"])
    assert raised.value.problems == [
        "The title is missing.",
        "The kind “poster” is not one the library knows.",
        "A day is given without a month.",
        "“english” is not a language code.",
        "“XX” is not a country code.",
    ]


@pytest.mark.parametrize("importer", IMPORTERS)
@given(text=st.text(max_size=300))
def test_no_text_makes_an_importer_raise(importer, text):
    result = importer(text)
    assert result.records or result.errors or result.warnings or not text.strip()


@pytest.mark.parametrize("importer", IMPORTERS)
@given(data=st.binary(max_size=300))
def test_no_bytes_make_an_importer_raise(importer, data):
    importer(data)


@given(
    title=st.text(max_size=40),
    author=st.text(max_size=40),
    date=st.text(max_size=20),
    doi=st.text(max_size=20),
    language=st.text(max_size=10),
)
def test_no_csv_cells_make_the_csv_importer_raise(title, author, date, doi, language):
    row = [title, author, date, doi, language]
    quoted = ",".join('"' + cell.replace('"', '""') + '"' for cell in row)
    result = import_csv("Title,Author,Date,DOI,Language\n" + quoted + "\n")
    assert len(result.records) + len({error.row for error in result.errors}) <= 1
