"""Citations read back by independent parsers: bibtexparser (with pylatexenc, its LaTeX decoder)
for BibTeX, rispy for RIS, and the CSL specification's variable names for CSL-JSON."""

import json

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from hypothesis import assume, given
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from hw4all.library.citations import bibtex, citation_text, csl_json, ris
from hw4all.library.records import KINDS, Author, InvalidRecord, ResourceRecord, text_clean

CODE = ResourceRecord(
    title="WHO Global Code of Practice on the International Recruitment of Health Personnel",
    kind="who-reference",
    summary="Adopted by the Sixty-third World Health Assembly in resolution WHA63.16.",
    authors=[Author(literal="World Health Organization")],
    publisher="World Health Organization",
    year=2010,
    month=5,
    day=21,
    languages=["en"],
    topics=["Code implementation", "recruitment"],
    url="https://apps.who.int/gb/ebwha/pdf_files/WHA63/A63_R16-en.pdf",
)
ANALYSIS = ResourceRecord(
    title="Resursele umane în sănătate: analiză la nivel național & recomandări (50% din personal)",
    kind="case-study",
    authors=[Author(family="Popescu", given="Ana-Maria"), Author(family="van der Berg", given="Jan")],
    publisher="Center for Health Policies and Services",
    year=2014,
    languages=["ro"],
    countries=["RO"],
    doi="https://doi.org/10.1234/HW4ALL.2014_01",
    isbn="978-3-16-148410-0",
)
CSL_VARIABLES = {
    "id", "type", "title", "genre", "author", "issued", "publisher", "abstract",
    "DOI", "ISBN", "URL", "language", "keyword",
}  # fmt: skip
CSL_TYPES = {"report", "document", "speech", "motion_picture", "dataset"}

# pylatexenc lacks LaTeX's text-mode brace commands.
latex_context = get_default_latex_context_db()
latex_context.add_context_category(
    "text-braces",
    macros=[MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}")],
    prepend=True,
)
latex = LatexNodes2Text(latex_context=latex_context)


def latex_text(value: str) -> str:
    # pylatexenc reads \textasciicircum as the modifier letter circumflex (U+02C6).
    return latex.latex_to_text(value).replace("\u02c6", "^")


def bibtex_parsed(text: str) -> dict:
    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    assert not library.failed_blocks
    [entry] = library.entries
    fields = {field.key: field.value for field in entry.fields}
    fields["entry_type"] = entry.entry_type
    fields["author"] = [
        (latex_text(" ".join(name.von + name.last)), latex_text(" ".join(name.first)))
        for name in fields.get("author", [])
    ]
    for name in ("title", "abstract", "institution"):
        if name in fields:
            fields[name] = latex_text(fields[name])
    return fields


def author_pairs(record: ResourceRecord) -> list[tuple[str, str]]:
    return [(author.literal or author.family, author.given) for author in record.authors]


@pytest.mark.parametrize("record", [CODE, ANALYSIS])
def test_bibtex_reads_back_with_the_records_title_authors_year_and_identifiers(record):
    parsed = bibtex_parsed(bibtex(record))
    assert parsed["title"] == record.title
    assert parsed["author"] == author_pairs(record)
    assert parsed["year"] == str(record.year)
    assert parsed.get("doi", "") == record.doi
    assert parsed.get("url", "") == record.url


def test_bibtex_entry_for_a_who_document():
    assert bibtex(CODE) == (
        "@techreport{who2010who,\n"
        "  author = {{World Health Organization}},\n"
        "  title = {{WHO Global Code of Practice on the International Recruitment of Health Personnel}},\n"
        "  type = {WHO reference document},\n"
        "  institution = {World Health Organization},\n"
        "  year = {2010},\n"
        "  month = may,\n"
        "  url = {https://apps.who.int/gb/ebwha/pdf_files/WHA63/A63_R16-en.pdf},\n"
        "  language = {en},\n"
        "  keywords = {Code implementation, recruitment},\n"
        "  abstract = {Adopted by the Sixty-third World Health Assembly in resolution WHA63.16.},\n"
        "}\n"
    )


def test_bibtex_escapes_latex_and_keeps_unicode():
    entry = bibtex(ANALYSIS, key="chps2014")
    assert entry.startswith("@techreport{chps2014,\n")
    assert (
        "{{Resursele umane în sănătate: analiză la nivel național \\& recomandări (50\\% din personal)}}"
        in entry
    )
    assert "author = {{Popescu}, Ana-Maria and {van der Berg}, Jan}" in entry
    assert "doi = {10.1234/hw4all.2014_01}" in entry


@pytest.mark.parametrize(
    ("kind", "entry_type", "marker"),
    [
        ("report", "techreport", None),
        ("policy-brief", "techreport", "type = {Policy brief}"),
        ("toolkit", "misc", "howpublished = {Toolkit}"),
        ("video", "misc", "howpublished = {Video}"),
        ("dataset", "misc", "howpublished = {Dataset}"),
    ],
)
def test_bibtex_entry_type_follows_the_kind(kind, entry_type, marker):
    entry = bibtex(ResourceRecord(title="Health workers for all", kind=kind, publisher="Wemos", year=2015))
    assert bibtex_parsed(entry)["entry_type"] == entry_type
    if marker:
        assert marker in entry


@pytest.mark.parametrize("record", [CODE, ANALYSIS])
def test_ris_reads_back_with_rispy(record):
    [entry] = rispy.loads(ris(record))
    assert entry["primary_title"] == record.title
    assert entry["authors"] == [str(author) for author in record.authors]
    assert entry["year"] == str(record.year)
    assert entry.get("doi", "") == record.doi
    assert entry.get("urls", [""]) == [record.url or ""]


def test_ris_entry_for_a_who_document():
    text = ris(CODE)
    assert text.startswith("TY  - GOVDOC\r\nAU  - World Health Organization\r\n")
    assert "DA  - 2010/05/21/\r\n" in text
    assert "M3  - WHO reference document\r\n" in text
    assert "KW  - Code implementation\r\nKW  - recruitment\r\n" in text
    assert text.endswith("ER  - \r\n")


@pytest.mark.parametrize("record", [CODE, ANALYSIS])
def test_csl_json_uses_csl_variables_and_reads_back(record):
    item = json.loads(json.dumps(csl_json(record)))
    assert set(item) <= CSL_VARIABLES
    assert item["type"] in CSL_TYPES
    assert item["title"] == record.title
    assert [(name.get("literal") or name["family"], name.get("given", "")) for name in item["author"]] == (
        author_pairs(record)
    )
    assert item["issued"]["date-parts"][0][0] == record.year
    assert item.get("DOI", "") == record.doi
    assert item.get("URL", "") == record.url


def test_csl_json_date_parts_stop_at_the_first_unknown_part():
    assert csl_json(CODE)["issued"] == {"date-parts": [[2010, 5, 21]]}
    assert csl_json(ANALYSIS)["issued"] == {"date-parts": [[2014]]}
    assert "issued" not in csl_json(ResourceRecord(title="Undated"))


def test_suggested_citation_leaves_out_a_publisher_that_is_the_author():
    assert citation_text(CODE) == (
        "World Health Organization. (2010). WHO Global Code of Practice on the International Recruitment of "
        "Health Personnel [WHO reference document]. https://apps.who.int/gb/ebwha/pdf_files/WHA63/A63_R16-en.pdf"
    )


def test_suggested_citation_lists_people_by_initials_and_links_the_doi():
    assert citation_text(ANALYSIS) == (
        "Popescu, A.-M., & van der Berg, J. (2014). Resursele umane în sănătate: analiză la nivel național "
        "& recomandări (50% din personal) [Case study]. Center for Health Policies and Services. "
        "https://doi.org/10.1234/hw4all.2014_01"
    )


def test_suggested_citation_without_authors_or_date_starts_with_the_title():
    record = ResourceRecord(title="Kampala Declaration and Agenda for Global Action", kind="statement")
    assert citation_text(record) == "Kampala Declaration and Agenda for Global Action [Statement]. (n.d.)."


def test_the_same_record_always_gives_the_same_citations():
    copy = ResourceRecord(**{name: getattr(ANALYSIS, name) for name in ANALYSIS.__dataclass_fields__})
    assert (bibtex(copy), ris(copy), csl_json(copy), citation_text(copy)) == (
        bibtex(ANALYSIS),
        ris(ANALYSIS),
        csl_json(ANALYSIS),
        citation_text(ANALYSIS),
    )


names = st.text(min_size=1, max_size=30)


@st.composite
def authors(draw):
    try:
        if draw(st.booleans()):
            return Author(literal=draw(names))
        return Author(family=draw(names), given=draw(st.one_of(st.just(""), names)))
    except InvalidRecord:
        assume(False)


@st.composite
def records(draw):
    title = draw(st.text(min_size=1, max_size=80))
    assume(text_clean(title))
    return ResourceRecord(
        title=title,
        kind=draw(st.sampled_from(KINDS)),
        authors=draw(st.lists(authors(), max_size=4)),
        year=draw(st.one_of(st.none(), st.integers(min_value=1000, max_value=9999))),
    )


@given(record=records())
def test_any_record_reads_back_from_bibtex(record):
    parsed = bibtex_parsed(bibtex(record))
    assert parsed["title"] == record.title
    assert parsed["author"] == author_pairs(record)


@given(record=records())
def test_any_record_reads_back_from_ris(record):
    [entry] = rispy.loads(ris(record))
    assert entry["primary_title"] == record.title
    assert entry.get("authors", []) == [str(author) for author in record.authors]
