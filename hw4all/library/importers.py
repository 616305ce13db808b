"""Many resources at once from a Zotero export: CSV, RIS or CSL-JSON.

Each importer returns the records it could read and, per row, what it could not: a bad row never
stops the others. Rows are numbered as a person counts them: the CSV's line, the RIS entry's
ordinal, the JSON item's position from 1; row 0 is the whole file.

The file must be UTF-8 (a byte-order mark is allowed) and no larger than ``max_bytes``.
Zotero, RIS and CSL types are mapped to the library's kinds (our own kind names and labels are
read too, so our exports come back as they went out). A type that maps to none is imported as
a report, with a warning, rather than refused: the secretariat corrects the kind afterwards. An
unknown language name is dropped with a warning; everything else that is wrong (no title, a bad
DOI, ISBN, address or date) refuses the row with an error.
"""

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.conf.locale import LANG_INFO
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .records import (
    KIND_LABELS,
    KINDS,
    LANGUAGE_PATTERN,
    Author,
    InvalidRecord,
    ResourceRecord,
    isbn_normalise,
    shown,
)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

ZOTERO_KINDS = {
    "report": "report",
    "document": "report",
    "book": "report",
    "booksection": "report",
    "journalarticle": "report",
    "thesis": "report",
    "manuscript": "report",
    "webpage": "report",
    "presentation": "presentation",
    "videorecording": "video",
    "film": "video",
    "dataset": "dataset",
}
RIS_KINDS = {
    "RPRT": "report",
    "GEN": "report",
    "BOOK": "report",
    "EBOOK": "report",
    "CHAP": "report",
    "ECHAP": "report",
    "JOUR": "report",
    "EJOUR": "report",
    "THES": "report",
    "UNPB": "report",
    "MANSCPT": "report",
    "ELEC": "report",
    "PAMP": "report",
    "GOVDOC": "who-reference",
    "SLIDE": "presentation",
    "VIDEO": "video",
    "MPCT": "video",
    "DATA": "dataset",
    "DBASE": "dataset",
}
CSL_KINDS = {
    "report": "report",
    "document": "report",
    "book": "report",
    "chapter": "report",
    "article": "report",
    "article-journal": "report",
    "thesis": "report",
    "manuscript": "report",
    "webpage": "report",
    "speech": "presentation",
    "motion_picture": "video",
    "broadcast": "video",
    "dataset": "dataset",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
LANGUAGE_NAMES = {
    name.casefold(): code
    for code, info in LANG_INFO.items()
    if "name" in info
    for name in (info["name"], info["name_local"])
}
RIS_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    records: list[ResourceRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


class Refused(Exception):
    """A file, or one item of it, that cannot be read; the message says why."""


def kind_of_label(value: str) -> str | None:
    """The kind named by one of our own kind names or labels ("policy-brief", "Policy brief")."""
    folded = re.sub(r"[\s_-]+", "", value.casefold())
    for kind in KINDS:
        if folded in (kind.replace("-", ""), KIND_LABELS[kind].casefold().replace(" ", "")):
            return kind
    return None


def text_read(data: bytes | str, max_bytes: int) -> str:
    """The file's text, or Refused with the reason."""
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise Refused(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)})
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(
                _("The file is not UTF-8 text. Export it again with the UTF-8 character set.")
            ) from None
    text = data.removeprefix("\ufeff")
    if not text.strip():
        raise Refused(_("The file is empty."))
    return text


def date_parse(value: str) -> tuple[int | None, int | None, int | None]:
    """Year, month and day from "2010-05-21", "2010/05/21/" (RIS), "21 May 2010", "May 2010" or
    anything holding a four-digit year; the parts not found are None."""
    value = value.strip()
    iso = re.match(r"(\d{4})(?:[-/](\d{0,2})(?:[-/](\d{0,2}))?)?(?!\d)", value)
    if iso:
        year, month, day = iso.groups()
        return int(year), int(month) if month else None, int(day) if day else None
    year = re.search(r"(?<!\d)\d{4}(?!\d)", value)
    if not year:
        return None, None, None
    month = next((MONTHS[word] for word in re.findall(r"[a-z]+", value.casefold()) if word in MONTHS), None)
    day = re.search(r"(?<!\d)\d{1,2}(?!\d)", value) if month else None
    return int(year.group()), month, int(day.group()) if day else None


def languages_parse(value: str, warn: Callable[[str], None]) -> list[str]:
    """Codes ("en", "pt-BR") or names in English or in the language itself ("Romanian", "Română")."""
    codes = []
    for token in filter(None, (part.strip() for part in re.split(r"[;,/]", value))):
        code = token.lower().replace("_", "-")
        if not LANGUAGE_PATTERN.fullmatch(code):
            code = LANGUAGE_NAMES.get(token.casefold(), "")
        if code:
            codes.append(code)
        else:
            warn(_("Unknown language “%(value)s” left out.") % {"value": shown(token)})
    return codes


def isbn_pick(value: str) -> str:
    """Zotero puts several ISBNs in one field, separated by spaces: the first is kept. A value
    that is no list of ISBNs is left whole, for the message to quote."""
    try:
        return isbn_normalise(value)
    except ValueError:
        tokens = value.split()
        return tokens[0] if len(tokens) > 1 and len(tokens[0].replace("-", "")) >= 10 else value


class Importer:
    """Collects the records and the per-row report of one import."""

    def __init__(self):
        self.result = ImportResult()

    def warn(self, row: int, message: str):
        self.result.warnings.append(RowError(row, message))

    def fail(self, row: int, message: str):
        self.result.errors.append(RowError(row, message))

    def kind(self, row: int, value: str, known: dict[str, str], label: str = "") -> str:
        """Our own label first (RIS's M3, CSL's genre), then the format's type; report if neither."""
        kind = kind_of_label(label) or kind_of_label(value) or known.get(value) or known.get(value.casefold())
        if kind:
            return kind
        if value:
            self.warn(row, _("Unknown type “%(value)s”: imported as a report.") % {"value": shown(value)})
        return "report"

    def add(self, row: int, fields: dict, date: str = ""):
        """The record from ``fields``, or the row's problems as errors."""
        problems = []
        if date:
            fields["year"], fields["month"], fields["day"] = date_parse(date)
            if fields["year"] is None:
                problems.append(_("The date “%(value)s” has no year.") % {"value": shown(date)})
        authors = []
        for name in fields.pop("author_names", []):
            try:
                authors.append(Author.parse(name) if isinstance(name, str) else Author(**name))
            except InvalidRecord as error:
                problems += error.problems
        try:
            record = ResourceRecord(authors=authors, **fields)
        except InvalidRecord as error:
            problems += error.problems
        for message in problems:
            self.fail(row, message)
        if not problems:
            self.result.records.append(record)


def file_import(data: bytes | str, max_bytes: int, read: Callable[[Importer, str], None]) -> ImportResult:
    importer = Importer()
    try:
        read(importer, text_read(data, max_bytes))
    except Refused as refusal:
        importer.fail(0, str(refusal))
    return importer.result


def import_csv(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportResult:
    """A Zotero CSV export: "Title" is required; "Item Type", "Type" (a report's type, where our
    kind labels are recognised), "Author" ("Family, Given; ..."), "Publication Year", "Date",
    "Abstract Note", "Publisher", "DOI", "ISBN", "Url", "Language", "Manual Tags" and "Rights"
    are read; other columns are ignored."""
    return file_import(data, max_bytes, csv_read)


def csv_read(importer: Importer, text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error:
        header = []
    columns = {name.strip().casefold(): position for position, name in enumerate(header)}
    if "title" not in columns:
        raise Refused(_("The first line has no “Title” column: this is not a Zotero CSV export."))
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            importer.fail(line, _("This line cannot be read as CSV (%(reason)s).") % {"reason": error})
            continue
        if not any(cell.strip() for cell in cells):
            continue

        def cell(name: str, cells=cells) -> str:
            position = columns.get(name.casefold())
            return cells[position] if position is not None and position < len(cells) else ""

        fields = {
            "title": cell("Title"),
            "kind": importer.kind(line, cell("Item Type").strip(), ZOTERO_KINDS, label=cell("Type")),
            "summary": cell("Abstract Note"),
            "author_names": [name for name in cell("Author").split(";") if name.strip()],
            "publisher": cell("Publisher"),
            "languages": languages_parse(cell("Language"), partial(importer.warn, line)),
            "topics": cell("Manual Tags").split(";"),
            "licence": cell("Rights"),
            "doi": cell("DOI"),
            "isbn": isbn_pick(cell("ISBN")),
            "url": cell("Url"),
        }
        importer.add(line, fields, date=cell("Date") or cell("Publication Year"))


def import_ris(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportResult:
    """A RIS file: entries from "TY" to "ER". The title is T1, TI or BT; authors AU and A1; the
    date DA, PY or Y1; SN counts as an ISBN only when it has an ISBN's length. A line without a
    tag continues the value before it, as in long abstracts."""
    return file_import(data, max_bytes, ris_read)


def ris_read(importer: Importer, text: str):
    entries: list[dict[str, list[str]]] = []
    entry: dict[str, list[str]] | None = None
    last_tag = ""
    for line in text.splitlines():
        match = RIS_LINE.fullmatch(line.rstrip())
        if not match:
            if entry is not None and last_tag and line.strip():
                entry[last_tag][-1] += " " + line.strip()
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if entry is not None:
                importer.fail(
                    len(entries), _("Entry %(number)s has no end line (ER).") % {"number": len(entries)}
                )
            entry = {"TY": [value]}
            entries.append(entry)
        elif tag == "ER":
            if entry is not None:
                ris_add(importer, len(entries), entry)
            entry = None
        elif entry is not None:
            entry.setdefault(tag, []).append(value)
        last_tag = tag
    if entry is not None:
        importer.fail(len(entries), _("This entry has no end line (ER): the file may be cut short."))
    if not entries:
        raise Refused(_("No RIS entry found: an entry starts with a “TY  - ” line."))


def ris_add(importer: Importer, row: int, entry: dict[str, list[str]]):
    def first(*tags: str) -> str:
        return next((value for tag in tags for value in entry.get(tag, []) if value), "")

    serial = re.sub(r"[\s-]", "", first("SN"))
    fields = {
        "title": first("T1", "TI", "BT"),
        "kind": importer.kind(row, first("TY"), RIS_KINDS, label=first("M3")),
        "summary": first("AB", "N2"),
        "author_names": entry.get("AU", []) + entry.get("A1", []),
        "publisher": first("PB"),
        "languages": languages_parse(first("LA"), partial(importer.warn, row)),
        "topics": entry.get("KW", []),
        "doi": first("DO"),
        "isbn": isbn_pick(first("SN")) if len(serial) != 8 else "",  # eight characters: an ISSN
        "url": first("UR", "L2"),
    }
    importer.add(row, fields, date=first("DA", "PY", "Y1"))


def import_csl_json(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportResult:
    """A CSL-JSON file: an array of items (Zotero's export), or one item alone. Authors are
    {"family", "given"} or {"literal"}; the date is "issued" as "date-parts" or "raw"."""
    return file_import(data, max_bytes, csl_json_read)


def csl_json_read(importer: Importer, text: str):
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise Refused(_("This is not valid JSON (line %(line)s).") % {"line": error.lineno}) from None
    except RecursionError:
        raise Refused(_("This JSON is nested too deeply to read.")) from None
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise Refused(_("This is not CSL-JSON: expected a list of items."))
    for row, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            importer.fail(row, _("This item is not a CSL-JSON object."))
            continue
        try:
            csl_json_add(importer, row, item)
        except Refused as problem:
            importer.fail(row, str(problem))


def csl_text(item: dict, name: str) -> str:
    """A field's text; numbers are read as text, other JSON values refused."""
    value = item.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Refused(_("The field “%(name)s” should be text.") % {"name": name})
    return str(value)


def csl_date(item: dict) -> str:
    issued = item.get("issued")
    if isinstance(issued, str):
        return issued
    if not isinstance(issued, dict):
        return ""
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [str(part) for part in parts[0][:3] if isinstance(part, int | str)]
        return "-".join(number.zfill(2) if position else number for position, number in enumerate(numbers))
    return csl_text(issued, "raw")


def csl_json_add(importer: Importer, row: int, item: dict):
    names = item.get("author") or []
    if not isinstance(names, list) or not all(isinstance(name, dict) for name in names):
        raise Refused(_("The authors should be a list of names."))
    author_names = [
        {"literal": csl_text(name, "literal")}
        if "literal" in name
        else {"family": csl_text(name, "family"), "given": csl_text(name, "given")}
        for name in names
    ]
    keywords = csl_text(item, "keyword")
    fields = {
        "title": csl_text(item, "title"),
        "kind": importer.kind(row, csl_text(item, "type"), CSL_KINDS, label=csl_text(item, "genre")),
        "summary": csl_text(item, "abstract"),
        "author_names": author_names,
        "publisher": csl_text(item, "publisher"),
        "languages": languages_parse(csl_text(item, "language"), partial(importer.warn, row)),
        "topics": re.split(r"[,;]", keywords) if keywords else [],
        "doi": csl_text(item, "DOI"),
        "isbn": isbn_pick(csl_text(item, "ISBN")),
        "url": csl_text(item, "URL"),
    }
    date = csl_date(item)
    if not date and "issued" in item:
        importer.fail(row, _("The date cannot be read."))
        return
    importer.add(row, fields, date=date)
