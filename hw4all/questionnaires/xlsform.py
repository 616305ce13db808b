"""XLSForm (the survey/choices/settings spreadsheets of ODK and KoBoToolbox) to a questionnaire
definition and back.

The import reads the workbook itself, to name the sheet and row of every problem, and also has
pyxform build the form, so that what pyxform refuses (and ODK would) is refused here too. Every
problem is collected and reported at once; the import raises XLSFormError and never anything
else. What the questionnaire engine cannot represent is reported as not supported rather than
silently dropped, so an editor never loses part of a form without being told.
"""

import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any

from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import xlsx_value_to_str
from pyxform.xls2xform import convert

from . import expressions
from .definition import (
    YES_NO_CHOICES,
    Choice,
    Definition,
    Question,
    QuestionType,
    Section,
    Text,
)

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An .xlsx is a zip: a small file that unpacks to gigabytes is refused before it is opened.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_COLUMNS = 200
SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
SHEET_ORDER = {"": 0, SURVEY: 1, CHOICES: 2, SETTINGS: 3}
TITLE_TRANSLATION = "form_title_translation"
YES_NO_LIST = "yes_no_dk"
COUNTRY_LIST = "country"
# Columns whose values are texts in each language ("label::Français (fr)").
TRANSLATED = ("label", "hint", "unit", "constraint_message", "required_message")
# Columns of the survey sheet that carry features the questionnaire engine does not have.
UNSUPPORTED_COLUMNS = {
    "calculation": "calculations",
    "repeat_count": "a fixed number of repeats (repeat_count)",
    "default": "default answers",
    "read_only": "read-only questions",
    "trigger": "triggers",
    "image": "images",
    "audio": "audio",
    "video": "video",
    "media": "media",
    "big-image": "images",
    "guidance_hint": "guidance hints",
    "save_to": "entities (save_to)",
}
SUPPORTED_TYPES = {
    "text": QuestionType.TEXT,
    "string": QuestionType.TEXT,
    "integer": QuestionType.INTEGER,
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "date": QuestionType.DATE,
    "file": QuestionType.FILE,
    "note": QuestionType.NOTE,
}
STRUCTURE = {
    "begin group": "begin group",
    "begin_group": "begin group",
    "end group": "end group",
    "end_group": "end group",
    "begin repeat": "begin repeat",
    "begin_repeat": "begin repeat",
    "end repeat": "end repeat",
    "end_repeat": "end repeat",
}
SELECT = re.compile(
    r"^(?P<kind>select_one|select one|select_multiple|select multiple|select all that apply)"
    r"(?:\s+(?P<list>[^\s]+))?(?P<other>\s+or_other)?$"
)
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
LANGUAGE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)$")
BOUND = r"(?:-?\d+(?:\.\d+)?|date\(\s*'\d{4}-\d{2}-\d{2}'\s*\)|'\d{4}-\d{2}-\d{2}')"
CONSTRAINT = re.compile(
    rf"^\.\s*(?P<op1>>=|<=)\s*(?P<v1>{BOUND})(?:\s+and\s+\.\s*(?P<op2>>=|<=)\s*(?P<v2>{BOUND}))?$"
)
TRUE_WORDS = {"yes", "true", "true()", "1"}
FALSE_WORDS = {"", "no", "false", "false()", "0"}


@dataclass(frozen=True)
class XLSFormProblem:
    """One problem of a form: the sheet and spreadsheet row it is on (row None: the whole
    sheet; sheet "": the whole file) and what to do about it."""

    sheet: str
    row: int | None
    message: str

    def sort_key(self) -> tuple[int, str, int, str]:
        return (SHEET_ORDER.get(self.sheet, 9), self.sheet, self.row or 0, self.message)

    def __str__(self) -> str:
        if self.sheet and self.row:
            return _("%(sheet)s, row %(row)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        if self.sheet:
            return f"{self.sheet}: {self.message}"
        return self.message


class XLSFormError(ValueError):
    def __init__(self, problems: list[XLSFormProblem]):
        self.problems = sorted(problems, key=XLSFormProblem.sort_key)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass
class Sheet:
    name: str
    headers: list[str]
    # (spreadsheet row number, {header: text}), empty rows left out.
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # Every row in order, empty ones as {}, as pyxform expects them.
    raw: list[dict[str, str]] = field(default_factory=list)


# Reading the workbook


def _bytes_of(file: Any) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(MAX_BYTES + 1)


def _open(data: bytes) -> Workbook:
    """The workbook, once it is known to be a reasonable .xlsx; XLSFormError otherwise."""
    if len(data) > MAX_BYTES:
        raise XLSFormError(
            [XLSFormProblem("", None, _("The file is larger than 5 MB; an XLSForm is far smaller."))]
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise XLSFormError(
            [
                XLSFormProblem(
                    "", None, _("This is an old Excel .xls file: save it as .xlsx and upload it again.")
                )
            ]
        )
    not_xlsx = XLSFormProblem(
        "", None, _("This file is not an .xlsx spreadsheet. Save the XLSForm as an Excel .xlsx workbook.")
    )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise XLSFormError([not_xlsx]) from None
    if "xl/workbook.xml" not in names:
        raise XLSFormError([not_xlsx])
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise XLSFormError(
            [
                XLSFormProblem(
                    "", None, _("The spreadsheet unpacks to more than 60 MB; an XLSForm is far smaller.")
                )
            ]
        )
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged workbook
        logger.info("An uploaded XLSForm could not be opened", exc_info=True)
        raise XLSFormError(
            [
                XLSFormProblem(
                    "", None, _("The spreadsheet is damaged and cannot be read. Save it again as .xlsx.")
                )
            ]
        ) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return xlsx_value_to_str(value).strip()


def _header(value: str) -> str:
    """A column header as the rest of this module reads it: the part before "::" in lower case
    with single underscores or spaces as XLSForm writes them, the language part as written."""
    base, separator, language = re.sub(r"\s+", " ", value.strip()).partition("::")
    base = base.strip().lower()
    base = {"list name": "list_name"}.get(base, base)
    return f"{base}::{language.strip()}" if separator else base


def _sheet(worksheet: Any, name: str, counted: list[int]) -> Sheet:
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    headers = [_header(_cell(value)) for value in next(rows, ())]
    sheet = Sheet(name=name, headers=headers)
    empty_run = 0
    for number, values in enumerate(rows, start=2):
        row = {
            header: text
            for header, value in zip(headers, values, strict=False)
            if header and (text := _cell(value))
        }
        if not row:
            # Like pyxform, a long run of empty rows ends the sheet.
            empty_run += 1
            if empty_run > 60:
                break
            sheet.raw.append({})
            continue
        empty_run = 0
        counted[0] += 1
        if counted[0] > MAX_ROWS:
            raise XLSFormError(
                [
                    XLSFormProblem(
                        name,
                        number,
                        _("The form has more than %(limit)s rows; split it into smaller questionnaires.")
                        % {"limit": MAX_ROWS},
                    )
                ]
            )
        sheet.raw.append(row)
        sheet.rows.append((number, row))
    while sheet.raw and not sheet.raw[-1]:
        sheet.raw.pop()
    return sheet


def _read(data: bytes) -> tuple[dict[str, Sheet], list[str]]:
    workbook = _open(data)
    try:
        counted = [0]
        sheets: dict[str, Sheet] = {}
        for title in workbook.sheetnames:
            key = title.strip().lower()
            if key in (SURVEY, CHOICES, SETTINGS):
                sheets[key] = _sheet(workbook[title], key, counted)
        return sheets, list(workbook.sheetnames)
    except XLSFormError:
        raise
    except Exception:  # a damaged sheet part (bad XML, bad styles)
        logger.info("An uploaded XLSForm could not be read", exc_info=True)
        raise XLSFormError(
            [
                XLSFormProblem(
                    "", None, _("The spreadsheet is damaged and cannot be read. Save it again as .xlsx.")
                )
            ]
        ) from None
    finally:
        workbook.close()


# Languages


def language_code(text: str) -> str | None:
    """The language code of "Français (fr)", "fr" or "French"; None when it cannot be told."""
    text = text.strip()
    match = LANGUAGE.match(text)
    if match:
        return match.group("code").lower().replace("_", "-")
    lowered = text.lower()
    if lowered in LANG_INFO:
        return lowered
    for code, info in LANG_INFO.items():
        if lowered in (str(info.get("name", "")).lower(), str(info.get("name_local", "")).lower()):
            return code
    return None


def language_header(code: str) -> str:
    """The way XLSForm names a language in column headers: "Français (fr)"."""
    info = LANG_INFO.get(code, {})
    name = str(info.get("name_local") or info.get("name") or code)
    return f"{name[:1].upper()}{name[1:]} ({code})"


class _Languages:
    def __init__(self, default: str):
        self.default = default
        self.found: list[str] = [default]

    def text(self, row: dict[str, str], base: str) -> Text:
        values: dict[str, str] = {}
        plain = row.get(base, "")
        if plain:
            values[self.default] = plain
        for header, value in row.items():
            head, separator, language = header.partition("::")
            if separator and head == base and value:
                code = language_code(language)
                if code:
                    values[code] = value
        return Text(values)

    def note_columns(self, sheet: Sheet, problems: list[XLSFormProblem]) -> None:
        for header in sheet.headers:
            head, separator, language = header.partition("::")
            if not separator or head not in TRANSLATED:
                continue
            code = language_code(language)
            if code is None:
                problems.append(
                    XLSFormProblem(
                        sheet.name,
                        1,
                        _(
                            "The column “%(column)s” names a language without its code: write it as "
                            "“%(base)s::%(language)s (xx)” with the two-letter code."
                        )
                        % {"column": header, "base": head, "language": language},
                    )
                )
            elif code not in self.found:
                self.found.append(code)


# The survey's structure


@dataclass
class _Frame:
    kind: str  # "root", "section", "repeat", "table", "ignored"
    row: int
    name: str = ""
    data: dict[str, str] = field(default_factory=dict)
    items: list[Any] = field(
        default_factory=list
    )  # Questions, Sections (root), or (row, Question) for tables


@dataclass
class _Choices:
    rows: dict[str, list[tuple[int, Choice]]]
    first_row: dict[str, int]


class _Importer:
    def __init__(self, sheets: dict[str, Sheet], sheet_names: list[str]):
        self.sheets = sheets
        self.sheet_names = sheet_names
        self.problems: list[XLSFormProblem] = []
        self.rows_of: dict[str, int] = {}
        self.expressions: list[tuple[int, str, str, bool]] = []

    def problem(self, sheet: str, row: int | None, message: str) -> None:
        self.problems.append(XLSFormProblem(sheet, row, message))

    def unsupported(self, row: int, feature: str) -> None:
        self.problem(
            SURVEY, row, _("%(feature)s: not supported by the questionnaires here.") % {"feature": feature}
        )

    # Settings and languages

    def settings(self) -> dict[str, str]:
        sheet = self.sheets.get(SETTINGS)
        return dict(sheet.rows[0][1]) if sheet and sheet.rows else {}

    def languages(self, settings: dict[str, str]) -> _Languages:
        default = "en"
        if settings.get("default_language"):
            code = language_code(settings["default_language"])
            if code is None:
                self.problem(
                    SETTINGS,
                    2,
                    _(
                        "The default language “%(language)s” does not say its code: write it as "
                        "“English (en)” or “Français (fr)”."
                    )
                    % {"language": settings["default_language"]},
                )
            else:
                default = code
        languages = _Languages(default)
        for name in (SURVEY, CHOICES, SETTINGS):
            if name in self.sheets:
                languages.note_columns(self.sheets[name], self.problems)
        return languages

    # Choices

    def choices(self, languages: _Languages) -> _Choices:
        found = _Choices(rows={}, first_row={})
        sheet = self.sheets.get(CHOICES)
        if sheet is None:
            return found
        for column in ("list_name", "name"):
            if column not in sheet.headers:
                self.problem(
                    CHOICES, 1, _("The choices sheet has no “%(column)s” column.") % {"column": column}
                )
        if "list_name" not in sheet.headers or "name" not in sheet.headers:
            return found
        standard = {"list_name", "name", "label"}
        for number, row in sheet.rows:
            list_name = row.get("list_name", "")
            if not list_name:
                self.problem(CHOICES, number, _("This choice has no list_name."))
                continue
            found.first_row.setdefault(list_name, number)
            name = row.get("name", "")
            if not name:
                self.problem(
                    CHOICES,
                    number,
                    _("This choice of the list “%(list)s” has no name.") % {"list": list_name},
                )
                continue
            for header, value in row.items():
                base = header.partition("::")[0]
                if base in ("image", "audio", "video", "media", "big-image") and value:
                    self.problem(
                        CHOICES,
                        number,
                        _("Choice images and media: not supported by the questionnaires here."),
                    )
            columns = {
                header: value
                for header, value in row.items()
                if header.partition("::")[0] not in standard | set(TRANSLATED) | set(UNSUPPORTED_COLUMNS)
            }
            found.rows.setdefault(list_name, [])
            if any(choice.name == name for _row, choice in found.rows[list_name]):
                first = next(row for row, choice in found.rows[list_name] if choice.name == name)
                self.problem(
                    CHOICES,
                    number,
                    _("The choice “%(name)s” is listed twice in “%(list)s” (rows %(first)s and %(row)s).")
                    % {"name": name, "list": list_name, "first": first, "row": number},
                )
                continue
            found.rows[list_name].append((number, Choice(name, languages.text(row, "label"), columns)))
        return found

    # Survey

    def survey(self, languages: _Languages, choices: _Choices) -> list[Section]:
        sheet = self.sheets[SURVEY]
        missing = [column for column in ("type", "name") if column not in sheet.headers]
        for column in missing:
            self.problem(SURVEY, 1, _("The survey sheet has no “%(column)s” column.") % {"column": column})
        if missing:
            return []
        stack = [_Frame("root", 1)]
        for number, row in sheet.rows:
            self.row(number, row, stack, languages, choices)
        while len(stack) > 1:
            frame = stack.pop()
            self.problem(
                SURVEY,
                frame.row,
                (
                    _("The repeated group “%(name)s” begun here is never closed: add an “end repeat” row.")
                    if frame.kind == "repeat"
                    else _("The group “%(name)s” begun here is never closed: add an “end group” row.")
                )
                % {"name": frame.name},
            )
        return self.sections(stack[0].items)

    def sections(self, items: list[Any]) -> list[Section]:
        """Top-level groups are sections; questions outside any group make sections of their own."""
        sections: list[Section] = []
        loose: list[Question] = []
        taken = set(self.rows_of)

        def close_loose() -> None:
            if loose:
                number = len(sections) + 1
                name = f"section_{number}"
                while name in taken:
                    number += 1
                    name = f"section_{number}"
                taken.add(name)
                sections.append(Section(name=name, questions=list(loose)))
                loose.clear()

        for item in items:
            if isinstance(item, Section):
                close_loose()
                sections.append(item)
            else:
                loose.append(item)
        close_loose()
        return sections

    def name(self, number: int, row: dict[str, str]) -> str:
        name = row.get("name", "")
        if not name:
            self.problem(SURVEY, number, _("This row has no name; every question and group needs one."))
            return ""
        if not NAME.match(name):
            self.problem(
                SURVEY,
                number,
                _(
                    "The name “%(name)s” is not valid: use letters, digits and underscores, starting "
                    "with a letter."
                )
                % {"name": name},
            )
        if name in self.rows_of:
            self.problem(
                SURVEY,
                number,
                _("The name “%(name)s” is used twice (rows %(first)s and %(row)s).")
                % {"name": name, "first": self.rows_of[name], "row": number},
            )
        else:
            self.rows_of[name] = number
        return name

    def common(self, number: int, row: dict[str, str], owner: str) -> dict[str, Any]:
        for header, value in row.items():
            base = header.partition("::")[0]
            if base in UNSUPPORTED_COLUMNS and value:
                self.unsupported(number, UNSUPPORTED_COLUMNS[base].capitalize())
        relevant = row.get("relevant", "")
        if relevant:
            self.expressions.append((number, owner, relevant, False))
        required = row.get("required", "").lower()
        if required not in TRUE_WORDS | FALSE_WORDS:
            self.unsupported(
                number, _("A condition in “required” (“%(value)s”)") % {"value": row["required"]}
            )
        tags = row.get("tags", "").split()
        return {"relevant": relevant, "required": required in TRUE_WORDS, "tags": tags}

    def row(
        self, number: int, row: dict[str, str], stack: list[_Frame], languages: _Languages, choices: _Choices
    ) -> None:
        kind = re.sub(r"\s+", " ", row.get("type", "")).strip()
        lowered = kind.lower()
        frame = stack[-1]
        if not kind:
            self.problem(SURVEY, number, _("This row has no type."))
            return
        structure = STRUCTURE.get(lowered)
        if structure == "begin group" or structure == "begin repeat":
            name = self.name(number, row)
            table = "table-list" in row.get("appearance", "").lower()
            if structure == "begin repeat":
                if any(outer.kind == "repeat" for outer in stack):
                    self.unsupported(number, _("A repeat inside a repeat"))
                new = _Frame("repeat", number, name, row)
            elif table:
                new = _Frame("table", number, name, row)
            elif frame.kind == "root":
                new = _Frame("section", number, name, row)
            else:
                self.unsupported(number, _("A group inside a group (other than a table-list matrix)"))
                new = _Frame("ignored", number, name, row)
            stack.append(new)
            return
        if structure in ("end group", "end repeat"):
            expected = "repeat" if structure == "end repeat" else "group"
            if len(stack) == 1:
                self.problem(
                    SURVEY,
                    number,
                    _("This “%(type)s” closes nothing: there is no “begin %(kind)s” before it.")
                    % {"type": kind, "kind": expected},
                )
                return
            opened = "repeat" if frame.kind == "repeat" else "group"
            if opened != expected:
                self.problem(
                    SURVEY,
                    number,
                    _("This “%(type)s” closes the %(kind)s “%(name)s” begun at row %(row)s.")
                    % {"type": kind, "kind": opened, "name": frame.name, "row": frame.row},
                )
            stack.pop()
            self.close(frame, stack[-1], languages)
            return
        question = self.question(number, row, kind, lowered, languages, choices)
        if question is None:
            return
        if frame.kind == "table":
            frame.items.append((number, row, question))
        else:
            frame.items.append(question)

    def close(self, frame: _Frame, parent: _Frame, languages: _Languages) -> None:
        data = frame.data
        label, hint = languages.text(data, "label"), languages.text(data, "hint")
        common = self.common(frame.row, data, frame.name)
        if frame.kind == "table":
            matrix = self.matrix(frame, label, hint, common)
            if matrix is not None:
                self.place(parent, matrix)
                return
            if parent.kind == "root":
                frame.kind = "section"
                frame.items = [question for _number, _row, question in frame.items]
            else:
                self.unsupported(
                    frame.row,
                    _("A table-list group that is not a matrix (select_one questions of one choice list)"),
                )
                for _number, _row, question in frame.items:
                    self.place(parent, question)
                return
        if frame.kind == "section":
            parent.items.append(
                Section(
                    name=frame.name,
                    label=label,
                    hint=hint,
                    relevant=common["relevant"],
                    questions=frame.items,
                )
            )
        elif frame.kind == "repeat":
            repeat = Question(
                name=frame.name,
                type=QuestionType.REPEAT,
                label=label,
                hint=hint,
                relevant=common["relevant"],
                tags=common["tags"],
                questions=frame.items,
            )
            if not frame.items:
                self.problem(
                    SURVEY, frame.row, _("The repeat “%(name)s” holds no questions.") % {"name": frame.name}
                )
            self.place(parent, repeat)
        else:
            for item in frame.items:
                self.place(parent, item)

    def place(self, parent: _Frame, question: Question) -> None:
        if parent.kind == "table":
            parent.items.append((0, {}, question))
        else:
            parent.items.append(question)

    def matrix(self, frame: _Frame, label: Text, hint: Text, common: dict[str, Any]) -> Question | None:
        questions = [question for _number, _row, question in frame.items]
        lists = {question.list_name for question in questions}
        if (
            not questions
            or len(lists) != 1
            or any(question.type != QuestionType.SELECT_ONE for question in questions)
        ):
            return None
        for number, row, question in frame.items:
            if question.relevant or question.other or question.choice_filter or question.hint:
                self.problem(
                    SURVEY,
                    number,
                    _(
                        "A row of the matrix “%(matrix)s” takes only a name, a label and required: put "
                        "hints and skip logic on the group."
                    )
                    % {"matrix": frame.name},
                )
            if row.get("relevant"):
                # Its condition was queued with the row; the matrix owns the only one.
                self.expressions = [item for item in self.expressions if item[0] != number]
        return Question(
            name=frame.name,
            type=QuestionType.MATRIX,
            label=label,
            hint=hint,
            relevant=common["relevant"],
            required=common["required"] or any(question.required for question in questions),
            tags=common["tags"],
            choices=questions[0].choices,
            list_name=questions[0].list_name,
            rows=[Choice(question.name, question.label) for question in questions],
        )

    def question(
        self,
        number: int,
        row: dict[str, str],
        kind: str,
        lowered: str,
        languages: _Languages,
        choices: _Choices,
    ) -> Question | None:
        select = SELECT.match(lowered)
        if lowered not in SUPPORTED_TYPES and select is None:
            self.unsupported(number, _("The question type “%(type)s”") % {"type": kind})
            return None
        name = self.name(number, row)
        common = self.common(number, row, name)
        question = Question(
            name=name or f"row_{number}",
            type=SUPPORTED_TYPES.get(lowered, QuestionType.SELECT_ONE),
            label=languages.text(row, "label"),
            hint=languages.text(row, "hint"),
            required=common["required"],
            relevant=common["relevant"],
            tags=common["tags"],
        )
        if not question.label and question.type != QuestionType.NOTE:
            self.problem(SURVEY, number, _("The question “%(name)s” has no label.") % {"name": name})
        appearance = row.get("appearance", "").lower().split()
        if question.type == QuestionType.TEXT and "multiline" in appearance:
            question.type = QuestionType.LONG_TEXT
        if question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
            question.unit = languages.text(row, "unit")
        constraint = row.get("constraint", "")
        if constraint:
            self.bounds(number, question, constraint)
        choice_filter = row.get("choice_filter", "")
        if select is not None:
            self.select(number, question, select, choice_filter, choices)
        elif choice_filter:
            self.unsupported(number, _("A choice_filter on a question that is not a select"))
        return question

    def bounds(self, number: int, question: Question, constraint: str) -> None:
        match = CONSTRAINT.match(constraint.strip())
        kinds = {QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.DATE}
        if match is None or question.type not in kinds:
            self.unsupported(
                number,
                _(
                    "The constraint “%(constraint)s” (only bounds of numbers and dates, such as "
                    "“. >= 0 and . <= 100”, are)"
                )
                % {"constraint": constraint},
            )
            return
        for operator, raw in (
            (match.group("op1"), match.group("v1")),
            (match.group("op2"), match.group("v2")),
        ):
            if operator is None:
                continue
            date = re.search(r"\d{4}-\d{2}-\d{2}", raw)
            if (date is not None) != (question.type == QuestionType.DATE):
                self.unsupported(
                    number,
                    _("The constraint “%(constraint)s” (its bound is not a %(kind)s)")
                    % {
                        "constraint": constraint,
                        "kind": _("date") if question.type == QuestionType.DATE else _("number"),
                    },
                )
                return
            value: float | str = date.group(0) if date else _number(raw)
            if operator == ">=":
                question.minimum = value
            else:
                question.maximum = value

    def select(
        self, number: int, question: Question, select: re.Match[str], choice_filter: str, choices: _Choices
    ) -> None:
        multiple = select.group("kind") not in ("select_one", "select one")
        list_name = select.group("list") or ""
        question.type = QuestionType.SELECT_MULTIPLE if multiple else QuestionType.SELECT_ONE
        question.list_name = list_name
        question.other = bool(select.group("other"))
        question.choice_filter = choice_filter
        if choice_filter:
            self.expressions.append((number, question.name, choice_filter, True))
        if not list_name:
            self.problem(
                SURVEY,
                number,
                _("This select names no choice list: write “%(type)s list_name”.")
                % {"type": select.group("kind")},
            )
            return
        if CHOICES not in self.sheets:
            return  # reported once, for the whole sheet
        listed = choices.rows.get(list_name)
        if listed is None:
            if list_name in choices.first_row:
                self.problem(
                    SURVEY, number, _("The choice list “%(list)s” has no choices.") % {"list": list_name}
                )
            else:
                self.problem(
                    SURVEY,
                    number,
                    _("The choice list “%(list)s” does not exist in the choices sheet.")
                    % {"list": list_name},
                )
            return
        names = [choice.name for _row, choice in listed]
        plain = not question.other and not choice_filter
        if plain and list_name == YES_NO_LIST and sorted(names) == sorted(YES_NO_CHOICES) and not multiple:
            question.type, question.list_name = QuestionType.YES_NO, ""
            return
        if plain and list_name == COUNTRY_LIST and all(name.upper() in countries for name in names):
            question.type = QuestionType.COUNTRIES if multiple else QuestionType.COUNTRY
            question.list_name = ""
            return
        question.choices = [choice for _row, choice in listed]

    # Expressions

    def check_expressions(self) -> None:
        names = set(self.rows_of)
        for number, owner, text, is_filter in self.expressions:
            try:
                node = expressions.parse(text)
            except expressions.ExpressionError as error:
                column = "choice_filter" if is_filter else "relevant"
                self.problem(
                    SURVEY,
                    number,
                    _("The %(column)s “%(text)s” of “%(owner)s” cannot be read: %(error)s.")
                    % {"column": column, "text": text, "owner": owner, "error": error},
                )
                continue
            for unknown in sorted(expressions.references(node) - names):
                self.problem(
                    SURVEY,
                    number,
                    _("“%(owner)s” refers to ${%(name)s}, which is not a question of this form.")
                    % {"owner": owner, "name": unknown},
                )

    # pyxform

    def pyxform(self) -> list[XLSFormProblem]:
        """What pyxform itself refuses in the form, its row located where its message gives it."""
        data: dict[str, Any] = {"sheet_names": self.sheet_names, "fallback_form_name": "data"}
        for name, sheet in self.sheets.items():
            headers = [header for header in sheet.headers if header]
            data[name] = sheet.raw
            data[f"{name}_header"] = [dict.fromkeys(headers)] if headers else []
        try:
            convert(xlsform=data)
        except PyXFormError as error:
            return [_pyxform_problem(str(error))]
        except Exception as error:  # pyxform's own failures must not become a server error
            logger.warning("pyxform failed on an uploaded XLSForm", exc_info=True)
            return [
                XLSFormProblem("", None, _("pyxform cannot convert this form: %(error)s") % {"error": error})
            ]
        return []


def _number(raw: str) -> float:
    value = float(raw)
    return int(value) if value.is_integer() else value


PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
PYXFORM_SHEET = re.compile(r"'(survey|choices|settings)' sheet", re.IGNORECASE)


def _pyxform_problem(message: str) -> XLSFormProblem:
    row = PYXFORM_ROW.search(message)
    sheet = PYXFORM_SHEET.search(message)
    text = PYXFORM_ROW.sub("", message).strip()
    return XLSFormProblem(
        sheet.group(1).lower() if sheet else (SURVEY if row else ""),
        int(row.group(1)) if row else None,
        _("pyxform: %(message)s") % {"message": text},
    )


def definition_from_xlsform(file: IO[bytes] | bytes) -> Definition:
    """The questionnaire an XLSForm .xlsx describes (a file object or its bytes). Raises
    XLSFormError with every problem found, by sheet and row."""
    sheets, sheet_names = _read(_bytes_of(file))
    importer = _Importer(sheets, sheet_names)
    if SURVEY not in sheets:
        close = [
            name for name in sheet_names if SURVEY in name.lower() or name.lower() in ("form", "questions")
        ]
        hint = _(" (is it “%(name)s”?)") % {"name": close[0]} if close else ""
        raise XLSFormError(
            [
                XLSFormProblem(
                    SURVEY, None, _("The workbook has no sheet named “survey”%(hint)s.") % {"hint": hint}
                )
            ]
        )
    settings = importer.settings()
    languages = importer.languages(settings)
    choices = importer.choices(languages)
    sections = importer.survey(languages, choices)
    uses_lists = any(
        SELECT.match(re.sub(r"\s+", " ", row.get("type", "")).strip().lower())
        for _number, row in sheets[SURVEY].rows
    )
    if uses_lists and CHOICES not in sheets:
        importer.problem(
            CHOICES, None, _("The workbook has no sheet named “choices”, which its select questions need.")
        )
    importer.check_expressions()
    # pyxform takes one form_title; the other languages' titles have a column of their own.
    title = dict(languages.text(settings, TITLE_TRANSLATION).values)
    if settings.get("form_title"):
        title[languages.default] = settings["form_title"]
    definition = Definition(
        title=Text(title),
        description=languages.text(settings, "description"),
        sections=sections,
        languages=languages.found,
        default_language=languages.default,
        form_id=settings.get("form_id", ""),
    )
    if not sections and not importer.problems:
        importer.problem(SURVEY, None, _("The survey sheet holds no questions."))
    # pyxform stops at its first error, often one already reported here in more precise words:
    # its message is added when it is about another row, or when nothing else was found.
    own = {(problem.sheet, problem.row) for problem in importer.problems}
    for problem in importer.pyxform():
        if not own or (problem.row is not None and (problem.sheet, problem.row) not in own):
            importer.problems.append(problem)
    if not importer.problems:
        for message in definition.problems():
            importer.problem(SURVEY, None, message)
    if importer.problems:
        raise XLSFormError(importer.problems)
    return definition


# Export


def _bound(value: float | str | None, date: bool) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"date('{value}')" if date else str(value)


def _constraint(question: Question) -> str:
    date = question.type == QuestionType.DATE
    parts = []
    if question.minimum not in (None, ""):
        parts.append(f". >= {_bound(question.minimum, date)}")
    if question.maximum not in (None, ""):
        parts.append(f". <= {_bound(question.maximum, date)}")
    return " and ".join(parts)


class _Exporter:
    def __init__(self, definition: Definition):
        self.definition = definition
        self.languages = list(definition.languages) or [definition.default_language]
        for text in self.texts():
            for code in text.values:
                if code and code not in self.languages:
                    self.languages.append(code)
        self.headers = {code: language_header(code) for code in self.languages}
        self.lists: dict[str, list[Choice]] = {}
        self.columns: list[str] = []
        self.reserved = {
            YES_NO_LIST: any(question.type == QuestionType.YES_NO for question in definition.questions()),
            COUNTRY_LIST: any(
                question.type in (QuestionType.COUNTRY, QuestionType.COUNTRIES)
                for question in definition.questions()
            ),
        }

    def texts(self) -> Iterator[Text]:
        yield self.definition.title
        yield self.definition.description
        for section in self.definition.sections:
            yield section.label
            yield section.hint
        for question in self.definition.questions():
            yield from (question.label, question.hint, question.unit)
            yield from (choice.label for choice in question.choices)
            yield from (row.label for row in question.rows)

    def translated(self, text: Text) -> list[str]:
        default = self.definition.default_language
        return [
            text.values.get(code, "") or (text.values.get("", "") if code == default else "")
            for code in self.languages
        ]

    def survey_header(self) -> list[str]:
        def each(base: str) -> list[str]:
            return [f"{base}::{self.headers[code]}" for code in self.languages]

        return [
            "type",
            "name",
            *each("label"),
            *each("hint"),
            "required",
            "relevant",
            "appearance",
            "constraint",
            "choice_filter",
            *each("unit"),
            "tags",
        ]

    def survey_row(
        self,
        kind: str,
        name: str = "",
        label: Text | None = None,
        hint: Text | None = None,
        *,
        required: bool = False,
        relevant: str = "",
        appearance: str = "",
        constraint: str = "",
        choice_filter: str = "",
        unit: Text | None = None,
        tags: Iterable[str] = (),
    ) -> list[str]:
        return [
            kind,
            name,
            *self.translated(label or Text()),
            *self.translated(hint or Text()),
            "yes" if required else "",
            relevant,
            appearance,
            constraint,
            choice_filter,
            *self.translated(unit or Text()),
            " ".join(tags),
        ]

    def list_for(self, question: Question, choices: list[Choice]) -> str:
        """The list name the question's choices are written under; a clash (two questions with one
        list name and different choices, or a list named like a generated one) gets a new name."""
        name = question.list_name or question.name
        candidate, number = name, 1
        while True:
            if self.reserved.get(candidate):
                pass
            elif candidate not in self.lists:
                self.lists[candidate] = choices
                return candidate
            elif self.lists[candidate] == choices:
                return candidate
            number += 1
            candidate = f"{name}_{number}"

    def question_rows(self, question: Question) -> Iterator[list[str]]:
        kind = question.type
        common: dict[str, Any] = {
            "required": question.required,
            "relevant": question.relevant,
            "tags": question.tags,
        }
        if kind == QuestionType.MATRIX:
            yield self.survey_row(
                "begin group",
                question.name,
                question.label,
                question.hint,
                relevant=question.relevant,
                appearance="table-list",
                tags=question.tags,
            )
            list_name = self.list_for(question, question.choices)
            for row in question.rows:
                yield self.survey_row(
                    f"select_one {list_name}", row.name, row.label, required=question.required
                )
            yield self.survey_row("end group")
            return
        if kind == QuestionType.REPEAT:
            yield self.survey_row("begin repeat", question.name, question.label, question.hint, **common)
            for inner in question.questions:
                yield from self.question_rows(inner)
            yield self.survey_row("end repeat")
            return
        appearance, constraint, choice_filter = "", _constraint(question), question.choice_filter
        other = " or_other" if question.other else ""
        if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
            type_text = "text"
            appearance = "multiline" if kind == QuestionType.LONG_TEXT else ""
        elif kind == QuestionType.YES_NO:
            type_text = f"select_one {YES_NO_LIST}"
        elif kind in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
            type_text = (
                f"{'select_one' if kind == QuestionType.COUNTRY else 'select_multiple'} {COUNTRY_LIST}"
            )
        elif kind in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE):
            type_text = f"{kind} {self.list_for(question, question.choices)}{other}"
        else:
            type_text = str(kind)
        yield self.survey_row(
            type_text,
            question.name,
            question.label,
            question.hint,
            appearance=appearance,
            constraint=constraint,
            choice_filter=choice_filter,
            unit=question.unit if kind in (QuestionType.INTEGER, QuestionType.DECIMAL) else None,
            **common,
        )

    def survey(self) -> list[list[str]]:
        rows = [self.survey_header()]
        for section in self.definition.sections:
            rows.append(
                self.survey_row(
                    "begin group", section.name, section.label, section.hint, relevant=section.relevant
                )
            )
            for question in section.questions:
                rows.extend(self.question_rows(question))
            rows.append(self.survey_row("end group"))
        return rows

    def choices(self) -> list[list[str]]:
        extra: list[str] = []
        for listed in self.lists.values():
            for choice in listed:
                extra.extend(column for column in choice.columns if column not in extra)
        header = ["list_name", "name", *(f"label::{self.headers[code]}" for code in self.languages), *extra]
        rows = [header]
        for list_name, listed in self.lists.items():
            for choice in listed:
                rows.append(
                    [
                        list_name,
                        choice.name,
                        *self.translated(choice.label),
                        *(choice.columns.get(c, "") for c in extra),
                    ]
                )
        blanks = [""] * len(extra)
        if self.reserved[YES_NO_LIST]:
            labels = {}
            for code in self.languages:
                with translation.override(code):
                    labels[code] = {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know")}
            for name in YES_NO_CHOICES:
                rows.append([YES_NO_LIST, name, *(labels[code][name] for code in self.languages), *blanks])
        if self.reserved[COUNTRY_LIST]:
            names = {}
            for code in self.languages:
                with translation.override(code):
                    names[code] = {country: str(name) for country, name in countries}
            for country in names[self.languages[0]]:
                rows.append(
                    [COUNTRY_LIST, country, *(names[code][country] for code in self.languages), *blanks]
                )
        return rows

    def settings(self, version: str) -> list[list[str]]:
        definition = self.definition
        default = definition.default_language
        titles = [code for code in self.languages if code != default and code in definition.title.values]
        descriptions = self.languages if definition.description else []
        return [
            [
                "form_title",
                "form_id",
                "default_language",
                "version",
                *(f"{TITLE_TRANSLATION}::{self.headers[code]}" for code in titles),
                *(f"description::{self.headers[code]}" for code in descriptions),
            ],
            [
                definition.title.get(default, default),
                definition.form_id or "questionnaire",
                self.headers.get(default, language_header(default)),
                version,
                *(definition.title.values[code] for code in titles),
                *(self.translated(definition.description) if descriptions else []),
            ],
        ]


def definition_to_xlsform(definition: Definition, *, version: str = "") -> bytes:
    """The definition as an XLSForm .xlsx, which `definition_from_xlsform` reads back to the same
    definition and pyxform converts to an ODK XForm."""
    exporter = _Exporter(definition)
    survey = exporter.survey()  # first, as it gathers the choice lists
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in (
        (SURVEY, survey),
        (CHOICES, exporter.choices()),
        (SETTINGS, exporter.settings(version)),
    ):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
