"""Text extraction from library files: each format read, text in any script kept, and every kind
of bad file answered with the message the person who uploaded it sees, never an exception.
The sample files are made here, in the test's own folder."""

import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fpdf import FPDF

from hw4all.library.extract import extract_text
from hw4all.library.sandbox import NeededTooMuchMemory, TookTooLong, run_capped

MIB = 1024 * 1024
FRENCH = "Recrutement éthique des agents de santé : ça coûte cher à l’hôpital."
ROMANIAN = "Codul global de practică privind recrutarea internațională a personalului din sănătate."
GREEK = "Κώδικας πρακτικής για τη διεθνή πρόσληψη υγειονομικού προσωπικού."


def font_covering(text: str, path: Path) -> Path:
    """A TrueType font with a plain box for each character of ``text``: enough for fpdf2 to embed
    the text with its Unicode mapping, which is all extraction reads."""
    characters = sorted(set(text) - {" "})
    names = [".notdef", "space", *(f"uni{ord(character):04X}" for character in characters)]
    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((450, 700))
    pen.lineTo((450, 0))
    pen.closePath()
    box = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({32: "space", **{ord(ch): f"uni{ord(ch):04X}" for ch in characters}})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() if name == "space" else box for name in names})
    builder.setupHorizontalMetrics({name: (500, 0 if name == "space" else 50) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Boxes", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return path


def pdf_write(path: Path, pages: list[list[str]], *, font: Path | None = None, password: str = "") -> Path:
    """A PDF with one line of text per string, each inner list a page."""
    pdf = FPDF()
    if font:
        pdf.add_font("Boxes", fname=str(font))
        pdf.set_font("Boxes", size=10)
    else:
        pdf.set_font("helvetica", size=10)
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def hundred_pages(path: Path) -> Path:
    lines = ["Health workers for all and all for health workers, in every country."] * 40
    return pdf_write(path, [[f"Page {number}.", *lines] for number in range(1, 101)])


def zip_write(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return path


def test_a_pdf_gives_its_text_and_page_count(tmp_path):
    path = pdf_write(tmp_path / "report.pdf", [["Health Workers for All: final report", "Second line."]])
    extraction = extract_text(path, declared_type="application/pdf")
    assert extraction.problem is None
    assert (extraction.format, extraction.pages) == ("pdf", 1)
    assert extraction.text == "Health Workers for All: final report\nSecond line."


def test_a_hundred_page_pdf_is_read_in_under_five_seconds(tmp_path):
    path = hundred_pages(tmp_path / "analysis.pdf")
    started = time.perf_counter()
    extraction = extract_text(path)
    assert time.perf_counter() - started < 5
    assert (extraction.pages, extraction.problem) == (100, None)
    assert "Page 100." in extraction.text
    assert extraction.text.count("in every country.") == 4000


def test_accents_and_other_scripts_are_kept(tmp_path):
    font = font_covering(FRENCH + ROMANIAN + GREEK, tmp_path / "boxes.ttf")
    path = pdf_write(tmp_path / "translations.pdf", [[FRENCH, ROMANIAN], [GREEK]], font=font)
    extraction = extract_text(path)
    assert extraction.problem is None
    assert extraction.text == f"{FRENCH}\n{ROMANIAN}\n\n{GREEK}"


def test_a_pdf_with_a_password_is_refused(tmp_path):
    path = pdf_write(tmp_path / "locked.pdf", [["Confidential"]], password="reader")
    assert extract_text(path).problem == (
        "This PDF is protected by a password. Upload a copy without a password so that its text can be searched."
    )


def test_a_truncated_pdf_is_damaged(tmp_path):
    whole = pdf_write(tmp_path / "whole.pdf", [["One"], ["Two"], ["Three"]]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    extraction = extract_text(path)
    assert extraction.format == "pdf"
    assert extraction.problem == (
        "This PDF is damaged and cannot be read. Save it again from the program that made it and upload the copy."
    )


@pytest.mark.parametrize("declared_type", [None, "application/pdf"])
def test_a_file_that_only_claims_to_be_a_pdf_is_refused(tmp_path, declared_type):
    path = tmp_path / "report.pdf"
    path.write_text("Just a few words, not a PDF at all.")
    extraction = extract_text(path, declared_type=declared_type)
    assert (extraction.format, extraction.text) == ("text", "")
    assert extraction.problem == "This file is not a PDF: its content is plain text."


def test_a_docx_gives_its_paragraphs_but_not_deleted_text(tmp_path):
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    path = zip_write(
        tmp_path / "guide.docx",
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "word/document.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <w:document xmlns:w="{word}"><w:body>
                  <w:p><w:r><w:t>Recrutement</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">éthique des </w:t></w:r><w:r><w:t>agents</w:t></w:r></w:p>
                  <w:p><w:del><w:r><w:delText>withdrawn words</w:delText></w:r></w:del></w:p>
                  <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Tableau : coûts</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
                </w:body></w:document>""",
            "docProps/core.xml": """<cp:coreProperties
                xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
                xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:language>fr-FR</dc:language></cp:coreProperties>""",
        },
    )
    extraction = extract_text(path)
    assert (extraction.format, extraction.problem, extraction.language_hint) == ("docx", None, "fr-fr")
    assert extraction.text == "Recrutement éthique des agents\n\nTableau : coûts"


def test_an_odt_gives_its_headings_and_paragraphs(tmp_path):
    path = zip_write(
        tmp_path / "ghid.odt",
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": """<?xml version="1.0" encoding="UTF-8"?>
                <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
                  <office:body><office:text>
                    <text:h text:outline-level="1">Ghidul utilizatorului</text:h>
                    <text:p>Recrutarea <text:span>internațională</text:span><text:s text:c="2"/>a personalului<text:line-break/>din sănătate</text:p>
                  </office:text></office:body>
                </office:document-content>""",
            "meta.xml": """<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:language>ro</dc:language></office:meta></office:document-meta>""",
        },
    )
    extraction = extract_text(path)
    assert (extraction.format, extraction.problem, extraction.language_hint) == ("odt", None, "ro")
    assert extraction.text == "Ghidul utilizatorului\nRecrutarea internațională a personalului\ndin sănătate"


def test_a_document_declaring_entities_is_refused(tmp_path):
    laughs = '<!DOCTYPE d [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    path = zip_write(
        tmp_path / "laughs.docx",
        {"word/document.xml": f'<?xml version="1.0"?>{laughs}<w:document xmlns:w="w">&lol2;</w:document>'},
    )
    assert extract_text(path).problem == (
        "This document is damaged and cannot be read. Save it again from the program that made it and upload the copy."
    )


def test_a_zip_bomb_named_docx_is_refused_without_unpacking(tmp_path):
    # Two gigabytes of zeros in about two megabytes: after a full flush, deflate gives the same
    # bytes for each mebibyte of zeros, so the block is repeated rather than compressed again.
    # The CRC is left at zero: the bomb must be refused before anything checks it.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * 2048 + compressor.flush()
    name = b"word/document.xml"
    unpacked = 2048 * MIB
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(data), unpacked, len(name), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, len(data), unpacked, len(name), 0, 0, 0, 0, 0, 0
    )
    directory_offset = len(local) + len(name) + len(data)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), directory_offset, 0)
    path = tmp_path / "bomb.docx"
    path.write_bytes(local + name + data + central + name + end)
    assert path.stat().st_size < 3 * MIB
    extraction = extract_text(path)
    assert extraction.format == "docx"
    assert (
        extraction.problem
        == "This document unpacks to far more data than a document holds, so it was not read."
    )


def test_html_loses_its_tags_scripts_and_styles(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        """<!DOCTYPE html><html lang="pt"><head><title>Recrutamento ético</title>
        <style>p { color: red }</style><script>const secret = "<p>not text</p>";</script></head>
        <body><p>Profissionais de <b>saúde</b> &amp; migração</p><template><p>hidden</p></template>
        <ul><li>Um</li><li>Dois</li></ul></body></html>""",
        encoding="utf-8",
    )
    extraction = extract_text(path, declared_type="text/html; charset=utf-8")
    assert (extraction.format, extraction.problem, extraction.language_hint) == ("html", None, "pt")
    assert extraction.text == "Recrutamento ético\nProfissionais de saúde & migração\nUm\nDois"


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("Ελληνικά, кириллица, العربية\r\nça va".encode("utf-16"), "Ελληνικά, кириллица, العربية\nça va"),
        ("\ufeffRecrutarea internațională".encode(), "Recrutarea internațională"),
        (b"Recrutement \xe9thique\tdes   agents", "Recrutement éthique des agents"),
    ],
    ids=["utf-16", "utf-8 with a byte-order mark", "latin-1"],
)
def test_plain_text_is_decoded_whatever_its_encoding(tmp_path, content, text):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    extraction = extract_text(path)
    assert (extraction.format, extraction.text, extraction.problem) == ("text", text, None)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.pdf"
    path.touch()
    assert extract_text(path).problem == "The file is empty."


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    path = tmp_path / "large.txt"
    path.write_bytes(b"a" * (MIB + 1))
    assert extract_text(path).problem == "The file is larger than 1.0\xa0MB."


def test_an_unknown_binary_format_is_refused(tmp_path):
    path = tmp_path / "photo"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(64))
    assert extract_text(path).problem == (
        "The library cannot read text from this kind of file: it reads PDF, DOCX, ODT, HTML and plain text."
    )


def test_a_scanned_pdf_without_text_says_so(tmp_path):
    path = pdf_write(tmp_path / "scan.pdf", [[]])
    extraction = extract_text(path)
    assert (extraction.pages, extraction.text) == (1, "")
    assert extraction.problem == (
        "No text was found in this file (a scanned document holds only pictures of its pages), "
        "so only its description is searchable."
    )


def test_text_beyond_the_most_kept_is_cut(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 10_000)
    extraction = extract_text(path, max_chars=1000)
    assert len(extraction.text) == 1000
    assert extraction.problem == "Only the first 1,000 characters of this file’s text are searchable."


def test_reading_past_the_time_limit_is_stopped(tmp_path):
    path = hundred_pages(tmp_path / "analysis.pdf")
    started = time.perf_counter()
    extraction = extract_text(path, time_limit=0.01)
    assert time.perf_counter() - started < 2
    assert extraction.problem == "Reading this file took too long, so its text is not searchable."


def test_reading_past_the_memory_limit_is_stopped(tmp_path):
    path = tmp_path / "large.txt"
    path.write_bytes(b"health workers " * (40 * MIB // 15))
    extraction = extract_text(path, memory_limit_mb=64)
    assert extraction.problem == "Reading this file needed too much memory, so its text is not searchable."


def test_the_sandbox_reports_each_way_a_child_can_fail():
    with pytest.raises(NeededTooMuchMemory):
        run_capped(bytes, 1024 * MIB, time_limit=30, memory_limit_mb=256)
    with pytest.raises(TookTooLong):
        run_capped(time.sleep, 30, time_limit=1, memory_limit_mb=256)
    assert run_capped(sorted, "hw4all", time_limit=30, memory_limit_mb=256) == list("4ahllw")
