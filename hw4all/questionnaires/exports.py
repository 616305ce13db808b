"""Responses as CSV, XLSX and JSON files: one row per response, one column per question, answers
as labels or as codes. Every format is written while it is read from the database, a chunk of
responses at a time, so exporting 50,000 responses takes no more memory than exporting 500.

Columns follow the questionnaire's current version: responses to an older version export under
them (answers to questions since removed are left out). A matrix gives one column per row
("matrix/row"), a choice with "other (specify)" an extra "<name>_other" column, a repeated group
its number of blocks (and, in XLSX, a sheet of its own with one row per block)."""

import csv
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .definition import CHOICE_TYPES, NUMBER_TYPES, OTHER, Definition, Question, QuestionType
from .display import answer_text, choice_text

FORMATS = ("csv", "xlsx", "json")
CHUNK = 2000
# Spreadsheets run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
LIST_TYPES = {QuestionType.SELECT_MULTIPLE, QuestionType.COUNTRIES}
SINGLE_TYPES = {QuestionType.SELECT_ONE, QuestionType.YES_NO, QuestionType.COUNTRY}
BASE_HEADINGS = ("id", "status", "submitted_at", "version")

Leading = Sequence[tuple[str, Callable[[Any], str]]]


def safe_cell(value: Any) -> Any:
    """A text a spreadsheet will show, never run: one starting like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    heading: str
    question: Question
    # "answer", "other" (the other-specify text) or a matrix row's name.
    part: str = "answer"
    row: str = ""


def columns_of(questions: Iterable[Question]) -> list[Column]:
    """The columns of `questions` in reading order (notes give none)."""
    columns = []
    for question in questions:
        if question.type == QuestionType.NOTE:
            continue
        if question.type == QuestionType.MATRIX:
            columns += [
                Column(f"{question.name}/{row.name}", question, "row", row.name) for row in question.rows
            ]
            continue
        columns.append(Column(question.name, question))
        if question.other and question.type in CHOICE_TYPES:
            columns.append(Column(question.other_name, question, "other"))
    return columns


class _Cells:
    """Turns one answers object (a response's or a repeat block's) into cell values. Each column
    gets a function of its own, chosen once per export, so that a row is a plain loop. With
    `guard`, texts a spreadsheet would run as formulas are made inert (CSV, XLSX)."""

    def __init__(self, definition: Definition, *, labels: bool, language: str, guard: bool = False):
        self.definition = definition
        self.labels = labels
        self.language = language
        self.guard = guard
        self._labels: dict[tuple[str, str], str] = {}

    def choice(self, question: Question, name: str) -> str:
        # Tens of thousands of rows repeat the same few choices: each label is looked up once.
        key = (question.name, name)
        label = self._labels.get(key)
        if label is None:
            if self.labels:
                label = choice_text(
                    question, name, self.language, self.definition.default_language, labels=True
                )
            else:
                label = name
            label = safe_cell(label) if self.guard else label
            self._labels[key] = label
        return label

    def text(self, value: Any) -> str:
        text = str(value)
        return safe_cell(text) if self.guard else text

    def getters(self, columns: list[Column]) -> list[Callable[[dict[str, Any]], Any]]:
        return [self._getter(column) for column in columns]

    def _getter(self, column: Column) -> Callable[[dict[str, Any]], Any]:
        question = column.question
        name, kind = question.name, question.type
        choice, text = self.choice, self.text

        if column.part == "other":
            other_name = question.other_name

            def other(answers: dict[str, Any]) -> Any:
                given = answers.get(other_name)
                return text(given) if given and OTHER in _listed(answers.get(name)) else ""

            return other
        if column.part == "row":
            row = column.row

            def matrix_row(answers: dict[str, Any]) -> Any:
                value = answers.get(name)
                chosen = value.get(row) if isinstance(value, dict) else None
                return "" if chosen is None or chosen == "" else choice(question, str(chosen))

            return matrix_row
        if kind in SINGLE_TYPES:

            def single(answers: dict[str, Any]) -> Any:
                value = answers.get(name)
                return "" if value is None or value == "" else choice(question, str(value))

            return single
        if kind in LIST_TYPES:
            separator = "; " if self.labels else " "

            def several(answers: dict[str, Any]) -> Any:
                chosen = _listed(answers.get(name))
                return separator.join([choice(question, item) for item in chosen]) if chosen else ""

            return several
        if kind in NUMBER_TYPES:

            def number(answers: dict[str, Any]) -> Any:
                value = answers.get(name)
                if value is None or value == "":
                    return ""
                # A number stays a number in both modes; its unit belongs to the heading, not the cell.
                return (
                    value if isinstance(value, int | float) and not isinstance(value, bool) else text(value)
                )

            return number
        if kind == QuestionType.REPEAT:

            def blocks(answers: dict[str, Any]) -> Any:
                value = answers.get(name)
                return len(value) if isinstance(value, list) and value else ""

            return blocks
        if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.DATE):

            def plain(answers: dict[str, Any]) -> Any:
                value = answers.get(name)
                return "" if value is None else text(value)

            return plain
        definition, language = self.definition, self.language

        def rendered(answers: dict[str, Any]) -> Any:
            return text(answer_text(definition, question, answers, language=language, labels=False))

        return rendered

    def nested(self, questions: Iterable[Question], answers: dict[str, Any]) -> dict[str, Any]:
        """The answers as stored (codes), or with labels in place of codes, for JSON; keys of
        questions the definition no longer has are left out."""
        result: dict[str, Any] = {}
        for question in questions:
            if question.type == QuestionType.NOTE or question.name not in answers:
                continue
            value = answers[question.name]
            if question.type == QuestionType.REPEAT and isinstance(value, list):
                result[question.name] = [
                    self.nested(question.questions, block) for block in value if isinstance(block, dict)
                ]
            elif not self.labels or value is None:
                result[question.name] = value
            elif question.type in SINGLE_TYPES:
                result[question.name] = self.choice(question, str(value))
            elif question.type in LIST_TYPES:
                result[question.name] = [self.choice(question, name) for name in _listed(value)]
            elif question.type == QuestionType.MATRIX and isinstance(value, dict):
                result[question.name] = {
                    row: self.choice(question, str(choice)) for row, choice in value.items()
                }
            else:
                result[question.name] = value
            if question.other and question.other_name in answers:
                result[question.other_name] = answers[question.other_name]
        return result


def _listed(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [] if value in (None, "") else [str(value)]


def _rows(responses: QuerySet) -> Iterator[Any]:
    # The version's number without loading each version's definition with every response; the
    # merge bookkeeping is never exported.
    return (
        responses.annotate(export_version=F("version__number"))
        .defer("answer_revisions")
        .iterator(chunk_size=CHUNK)
    )


def _base(response: Any, leading: Leading, *, guard: bool) -> list[Any]:
    submitted = response.submitted_at.isoformat(timespec="seconds") if response.submitted_at else ""
    extra = [function(response) for _heading, function in leading]
    return [response.pk, response.status, submitted, response.export_version] + (
        [safe_cell(value) for value in extra] if guard else extra
    )


class _Echo:
    """A file whose write returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def _csv(responses: QuerySet, definition: Definition, cells: _Cells, leading: Leading) -> Iterator[str]:
    columns = columns_of(definition.top_questions())
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(
        [*BASE_HEADINGS, *(h for h, _f in leading), *(c.heading for c in columns)]
    )
    getters = cells.getters(columns)
    lines = []
    for response in _rows(responses):
        answers = response.answers or {}
        lines.append(
            writer.writerow(_base(response, leading, guard=True) + [get(answers) for get in getters])
        )
        if len(lines) >= 200:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _json(responses: QuerySet, definition: Definition, cells: _Cells, leading: Leading) -> Iterator[str]:
    questions = list(definition.top_questions())
    yield "["
    separator = "\n"
    for response in _rows(responses):
        base = _base(response, leading, guard=False)
        item = dict(zip([*BASE_HEADINGS, *(h for h, _f in leading)], base, strict=True))
        item["answers"] = cells.nested(questions, response.answers or {})
        yield separator + json.dumps(item, ensure_ascii=False, default=str)
        separator = ",\n"
    yield "\n]\n"


def _xlsx_cell(value: Any) -> Any:
    # XML cannot hold most control characters; a pasted text may carry them.
    if isinstance(value, str):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _sheet_title(name: str, taken: set[str]) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name; names must differ.
    title = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "sheet"
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f"_{number}"
        candidate, number = title[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _xlsx(responses: QuerySet, definition: Definition, cells: _Cells, leading: Leading) -> Any:
    """The workbook written into an anonymous temporary file (removed when closed), rewound."""
    columns = columns_of(definition.top_questions())
    getters = cells.getters(columns)
    repeats = [q for q in definition.top_questions() if q.type == QuestionType.REPEAT]
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    main = workbook.create_sheet(_sheet_title("responses", taken))
    main.append([*BASE_HEADINGS, *(h for h, _f in leading), *(c.heading for c in columns)])
    repeat_sheets = []
    for repeat in repeats:
        inner_columns = columns_of(repeat.questions)
        sheet = workbook.create_sheet(_sheet_title(repeat.name, taken))
        sheet.append(["response_id", "block", *(c.heading for c in inner_columns)])
        repeat_sheets.append((repeat, cells.getters(inner_columns), sheet))
    for response in _rows(responses):
        answers = response.answers or {}
        row = _base(response, leading, guard=False) + [get(answers) for get in getters]
        main.append([_xlsx_cell(value) for value in row])
        for repeat, inner, sheet in repeat_sheets:
            blocks = answers.get(repeat.name)
            if not isinstance(blocks, list):
                continue
            for number, block in enumerate((b for b in blocks if isinstance(b, dict)), start=1):
                sheet.append([response.pk, number, *(_xlsx_cell(get(block)) for get in inner)])
    # Closed by the FileResponse once sent.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_http_response(
    *,
    fmt: str,
    responses: QuerySet,
    definition: Definition,
    filename: str,
    labels: bool,
    language: str,
    leading: Leading = (),
) -> HttpResponseBase:
    """A download of `responses` in `fmt` (csv, xlsx or json; anything else is a ValueError).
    `leading` adds columns after the response's own (id, status, submitted_at, version): pairs
    of a heading and a function of the response giving the cell's text. `filename` gets the
    format's extension when it lacks it."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt}")
    if not filename.lower().endswith(f".{fmt}"):
        filename = f"{filename}.{fmt}"
    # XLSX cells are cleaned and guarded as they are written (see _xlsx_cell).
    cells = _Cells(definition, labels=labels, language=language, guard=fmt == "csv")
    if not responses.query.order_by:
        responses = responses.order_by("pk")
    if fmt == "xlsx":
        return FileResponse(
            _xlsx(responses, definition, cells, leading),
            as_attachment=True,
            filename=filename,
            content_type=CONTENT_TYPES["xlsx"],
        )
    writer = _csv if fmt == "csv" else _json
    response = StreamingHttpResponse(
        writer(responses, definition, cells, leading), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
