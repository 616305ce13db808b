"""The text of a library file, for full-text search: PDF, DOCX, ODT, HTML or plain text.

The format is read from the content (magic numbers, the members of a zip), never trusted from
the file's name or declared type; a file whose content is not what it claims is refused. The
file is read in a child process with a time and a memory cap (see ``sandbox``), so that no file
crashes, blocks or exhausts the caller. Whatever goes wrong becomes ``Extraction.problem``, a
short message for the person who uploaded the file, in the language active when
``extract_text`` is called; the child never translates (it has no Django set up), it names the
problem by a key of ``MESSAGES``.
"""

import codecs
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from xml.parsers import expat

import pypdfium2
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .records import LANGUAGE_PATTERN
from .sandbox import ChildFailed, NeededTooMuchMemory, TookTooLong, run_capped

logger = logging.getLogger(__name__)

MIME_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html", ".txt": "text"}
ODT_MIME_TYPE = b"application/vnd.oasis.opendocument.text"
FORMAT_NAMES = {
    "pdf": _("a PDF"),
    "docx": _("a Word document (DOCX)"),
    "odt": _("an OpenDocument text (ODT)"),
    "html": _("a web page (HTML)"),
    "text": _("plain text"),
    "": _("in a format the library cannot read"),
}
MESSAGES = {
    "too-large": _("The file is larger than %(limit)s."),
    "empty": _("The file is empty."),
    "not-claimed": _("This file is not %(claimed)s: its content is %(found)s."),
    "unknown-format": _(
        "The library cannot read text from this kind of file: it reads PDF, DOCX, ODT, HTML and plain text."
    ),
    "password": _(
        "This PDF is protected by a password. Upload a copy without a password so that its text can be searched."
    ),
    "encrypted": _(
        "This PDF is encrypted in a way the library cannot open. Upload a copy without encryption."
    ),
    "damaged-pdf": _(
        "This PDF is damaged and cannot be read. Save it again from the program that made it and upload the copy."
    ),
    "damaged-document": _(
        "This document is damaged and cannot be read. Save it again from the program that made it and upload the copy."
    ),
    "archive-bomb": _("This document unpacks to far more data than a document holds, so it was not read."),
    "no-text": _(
        "No text was found in this file (a scanned document holds only pictures of its pages), so only its description is searchable."
    ),
    "cut-short": _("Only the first %(count)s characters of this file’s text are searchable."),
    "too-long": _("Reading this file took too long, so its text is not searchable."),
    "too-much-memory": _("Reading this file needed too much memory, so its text is not searchable."),
    "failed": _("The text of this file could not be read."),
}

HEAD_BYTES = 8192
# An archive bomb is refused on what its directory declares, before any member is read: zipfile
# never unpacks a member beyond its declared size.
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024
XML_CHUNK = 64 * 1024

WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
DC_LANGUAGE = "http://purl.org/dc/elements/1.1/}language"

HTML_SNIFF = re.compile(rb"<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# Control characters but the line break and tab, lone surrogates and non-characters.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
WHITE_SPACE = re.compile(r"\s+")
BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Extraction:
    """``format`` is what the content is (pdf, docx, odt, html or text), "" when unknown or not
    looked at. ``text`` keeps line breaks, paragraphs and pages separated by a blank line."""

    format: str
    text: str = ""
    pages: int | None = None
    language_hint: str | None = None
    problem: str | None = None


class Unreadable(Exception):
    """Stops reading a file; the argument is a key of ``MESSAGES``."""


class TextFull(Exception):
    """Stops reading a file whose text has reached the most kept."""


def extract_text(
    path: str | Path,
    *,
    declared_type: str | None = None,
    time_limit: float = 60,
    memory_limit_mb: int = 512,
    max_chars: int = 5_000_000,
) -> Extraction:
    """The text of the file at ``path``. ``declared_type`` is the MIME type the upload gave (or
    a format name); without it, the file name's extension is what the file claims to be."""
    # Imported here, where messages are made: the child process reading the file needs neither.
    from django.template.defaultfilters import filesizeformat
    from django.utils.formats import number_format

    path = Path(path)
    max_bytes = getattr(settings, "LIBRARY_MAX_UPLOAD_MB", 50) * 1024 * 1024
    size = path.stat().st_size
    if size > max_bytes:
        return Extraction(format="", problem=MESSAGES["too-large"] % {"limit": filesizeformat(max_bytes)})
    if not size:
        return Extraction(format="", problem=str(MESSAGES["empty"]))
    claimed = claimed_format(path, declared_type)
    try:
        extraction, problem = run_capped(
            file_read, str(path), claimed, max_chars, time_limit=time_limit, memory_limit_mb=memory_limit_mb
        )
    except TookTooLong:
        return Extraction(format="", problem=str(MESSAGES["too-long"]))
    except NeededTooMuchMemory:
        return Extraction(format="", problem=str(MESSAGES["too-much-memory"]))
    except ChildFailed:
        logger.warning("Reading the text of %s failed", path, exc_info=True)
        return Extraction(format="", problem=str(MESSAGES["failed"]))
    message: str | None = None
    if problem == "not-claimed":
        message = MESSAGES[problem] % {
            "claimed": FORMAT_NAMES[claimed],
            "found": FORMAT_NAMES[extraction.format],
        }
    elif problem == "cut-short":
        message = MESSAGES[problem] % {"count": number_format(len(extraction.text), force_grouping=True)}
    elif problem:
        message = str(MESSAGES[problem])
    return replace(extraction, problem=message)


def claimed_format(path: Path, declared_type: str | None) -> str:
    """The format a file claims to be: its declared type's, else its extension's, else ""."""
    if declared_type:
        declared = declared_type.split(";")[0].strip().lower()
        if declared in MIME_TYPES.values():
            return declared
        if declared in MIME_TYPES:
            return MIME_TYPES[declared]
    return EXTENSIONS.get(path.suffix.lower(), "")


def file_read(path: str, claimed: str, max_chars: int) -> tuple[Extraction, str | None]:
    """Run in the child process: the extraction without its problem, and the problem's key."""
    with open(path, "rb") as file:
        head = file.read(HEAD_BYTES)
    found = format_detect(path, head, claimed)
    if claimed and found != claimed and {claimed, found} != {"html", "text"}:
        return Extraction(format=found), "not-claimed"
    if not found:
        return Extraction(format=found), "unknown-format"
    collector = Collector(max_chars)
    problem = None
    try:
        READERS[found](path, collector)
    except Unreadable as unreadable:
        return Extraction(format=found), unreadable.args[0]
    except TextFull:
        problem = "cut-short"
    text = text_normalise("".join(collector.parts))[:max_chars]
    if not text and not problem:
        problem = "no-text"
    extraction = Extraction(
        format=found, text=text, pages=collector.pages, language_hint=language_check(collector.language)
    )
    return extraction, problem


def format_detect(path: str, head: bytes, claimed: str) -> str:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return zip_format(path, claimed)
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = text_decode(head).encode("utf-8", "replace")
    elif b"\0" in head:
        return ""
    else:
        sample = head
    return "html" if HTML_SNIFF.search(sample) else "text"


def zip_format(path: str, claimed: str) -> str:
    """DOCX or ODT by their members; a zip that cannot be opened is what it claims to be, so
    that it is reported damaged."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            is_odt = (
                "mimetype" in names
                and archive.getinfo("mimetype").file_size <= len(ODT_MIME_TYPE) + 2
                and archive.read("mimetype").strip() == ODT_MIME_TYPE
            )
            return "odt" if is_odt else ""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return claimed if claimed in ("docx", "odt") else ""


class Collector:
    """The text read so far, in pieces; ``add`` stops the reading once it holds ``max_chars``."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.size = 0
        self.pages: int | None = None
        self.language: str | None = None

    def add(self, text: str):
        self.parts.append(text)
        self.size += len(text)
        if self.size > self.max_chars:
            raise TextFull


def text_normalise(text: str) -> str:
    """Unicode NFC; runs of spaces made one space; lines kept, blank lines made one."""
    text = unicodedata.normalize("NFC", text)
    text = UNPRINTABLE.sub(" ", LINE_BREAKS.sub("\n", text))
    text = HORIZONTAL_SPACE.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n")
    return BLANK_LINES.sub("\n\n", text).strip()


def text_decode(data: bytes) -> str:
    """UTF-8 (with or without its byte-order mark), UTF-16 with its byte-order mark, else Latin-1,
    which decodes any bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def language_check(value: str | None) -> str | None:
    code = (value or "").strip().lower().replace("_", "-")
    return code if LANGUAGE_PATTERN.fullmatch(code) else None


def pdf_read(path: str, collector: Collector):
    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise Unreadable("password") from None
        if error.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise Unreadable("encrypted") from None
        raise Unreadable("damaged-pdf") from None
    try:
        collector.pages = len(document)
        if not collector.pages:
            raise Unreadable("damaged-pdf")
        for number in range(collector.pages):
            page = document[number]
            text_page = page.get_textpage()
            collector.add(text_page.get_text_range())
            collector.add("\n\n")
            text_page.close()
            page.close()
    except pypdfium2.PdfiumError:
        raise Unreadable("damaged-pdf") from None
    finally:
        document.close()


def docx_read(path: str, collector: Collector):
    in_text = False

    def start(name: str, attributes: dict):
        nonlocal in_text
        if name == WORD + "t":
            in_text = True
        elif name == WORD + "tab":
            collector.add("\t")
        elif name in (WORD + "br", WORD + "cr"):
            collector.add("\n")

    def end(name: str):
        nonlocal in_text
        if name == WORD + "t":
            in_text = False
        elif name == WORD + "p":
            collector.add("\n")

    def data(text: str):
        if in_text:
            collector.add(text)

    with archive_open(path) as archive:
        collector.language = xml_language(archive, "docProps/core.xml")
        for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
            if name in archive.namelist():
                xml_parse(archive, name, start, end, data)


def odt_read(path: str, collector: Collector):
    # Text is read inside paragraphs and headings only: white space between elements is layout.
    paragraph_depth = 0

    def start(name: str, attributes: dict):
        nonlocal paragraph_depth
        if name in (ODF_TEXT + "p", ODF_TEXT + "h"):
            paragraph_depth += 1
        elif name == ODF_TEXT + "s":
            collector.add(" ")
        elif name == ODF_TEXT + "tab":
            collector.add("\t")
        elif name == ODF_TEXT + "line-break":
            collector.add("\n")

    def end(name: str):
        nonlocal paragraph_depth
        if name in (ODF_TEXT + "p", ODF_TEXT + "h"):
            paragraph_depth -= 1
            collector.add("\n")

    def data(text: str):
        if paragraph_depth:
            collector.add(text)

    with archive_open(path) as archive:
        collector.language = xml_language(archive, "meta.xml")
        xml_parse(archive, "content.xml", start, end, data)


def archive_open(path: str) -> zipfile.ZipFile:
    """The zip, refused as a bomb if it declares too many members or too much data."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Unreadable("damaged-document") from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        archive.close()
        raise Unreadable("archive-bomb")
    return archive


def xml_parse(
    archive: zipfile.ZipFile,
    name: str,
    start: Callable[[str, dict], None],
    end: Callable[[str], None],
    data: Callable[[str], None],
):
    """One member parsed as it is unpacked, its elements named "namespace}local"."""
    try:
        member = archive.getinfo(name)
    except KeyError:
        raise Unreadable("damaged-document") from None
    if member.file_size > RATIO_CHECKED_FROM and member.file_size > MAX_RATIO * member.compress_size:
        raise Unreadable("archive-bomb")
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    # Documents declare no entities; one that does may be an entity-expansion attack.
    parser.EntityDeclHandler = entity_refuse
    parser.buffer_text = True
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(XML_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Unreadable("damaged-document") from None


def entity_refuse(*args):
    raise Unreadable("damaged-document")


def xml_language(archive: zipfile.ZipFile, name: str) -> str | None:
    """The dc:language of a document's metadata member, if it has one."""
    if name not in archive.namelist():
        return None
    parts: list[str] = []
    in_language = False

    def start(element: str, attributes: dict):
        nonlocal in_language
        in_language = element == DC_LANGUAGE

    def end(element: str):
        nonlocal in_language
        in_language = False

    def data(text: str):
        if in_language:
            parts.append(text)

    xml_parse(archive, name, start, end, data)
    return "".join(parts) or None


class HtmlText(HTMLParser):
    """The text of a page: scripts, styles and templates left out, blocks on lines of their own."""

    SKIPPED = {"script", "style", "template"}
    BLOCKS = {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "table", "td", "th", "title", "tr", "ul",
    }  # fmt: skip

    def __init__(self, collector: Collector):
        super().__init__()
        self.collector = collector
        self.skipped_depth = 0
        self.at_line_start = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]):
        if tag == "html":
            self.collector.language = dict(attrs).get("lang")
        if tag in self.SKIPPED:
            self.skipped_depth += 1
        elif tag in self.BLOCKS:
            self.line_end()

    def handle_endtag(self, tag: str):
        if tag in self.SKIPPED:
            self.skipped_depth = max(self.skipped_depth - 1, 0)
        elif tag in self.BLOCKS:
            self.line_end()

    def handle_data(self, data: str):
        # As a browser shows it: white space, line breaks included, is one space.
        if not self.skipped_depth:
            self.collector.add(WHITE_SPACE.sub(" ", data))
            self.at_line_start = self.at_line_start and not data.strip()

    def line_end(self):
        if not self.at_line_start:
            self.collector.add("\n")
            self.at_line_start = True


def html_read(path: str, collector: Collector):
    parser = HtmlText(collector)
    parser.feed(text_decode(Path(path).read_bytes()))
    parser.close()


def text_read(path: str, collector: Collector):
    collector.add(text_decode(Path(path).read_bytes()))


READERS: dict[str, Callable[[str, Collector], None]] = {
    "pdf": pdf_read,
    "docx": docx_read,
    "odt": odt_read,
    "html": html_read,
    "text": text_read,
}
