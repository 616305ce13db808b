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
    """Turns one answers object (a response's or a repeat block's) into cell values."""

    def __init__(self, definition: Definition, *, labels: bool, language: str):
        self.definition = definition
        self.labels = labels
        self.language = language
        self._labels: dict[tuple[str, str], str] = {}

    def choice(self, question: Question, name: str) -> str:
        if not self.labels:
            return name
        # Tens of thousands of rows repeat the same few choices: each label is looked up once.
        key = (question.name, name)
        label = self._labels.get(key)
        if label is None:
            label = choice_text(question, name, self.language, self.definition.default_language, labels=True)
            self._labels[key] = label
        return label

    def value(self, column: Column, answers: dict[str, Any]) -> Any:
        question = column.question
        value = answers.get(question.name)
        if column.part == "other":
            other = answers.get(question.other_name)
            return str(other) if other and OTHER in _listed(value) else ""
        if value is None or value == "" or value == [] or value == {}:
            return ""
        if column.part == "row":
            row_value = value.get(column.row) if isinstance(value, dict) else None
            return self.choice(question, str(row_value)) if row_value not in (None, "") else ""
        if question.type in SINGLE_TYPES:
            return self.choice(question, str(value))
        if question.type in LIST_TYPES:
            chosen = _listed(value)
            if not self.labels:
                return " ".join(chosen)
            return "; ".join(self.choice(question, name) for name in chosen)
        if question.type in NUMBER_TYPES:
            # A number stays a number in both modes; its unit belongs to the heading, not the cell.
            return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
        if question.type == QuestionType.REPEAT:
            return len(value) if isinstance(value, list) else 0
        return answer_text(self.definition, question, answers, language=self.language, labels=False)

    def row(self, columns: list[Column], answers: dict[str, Any]) -> list[Any]:
        return [self.value(column, answers) for column in columns]

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
    # The version's number without loading each version's definition with every response.
    return responses.annotate(export_version=F("version__number")).iterator(chunk_size=CHUNK)


def _base(response: Any, leading: Leading) -> list[Any]:
    submitted = response.submitted_at.isoformat(timespec="seconds") if response.submitted_at else ""
    return [response.pk, response.status, submitted, response.export_version] + [
        function(response) for _heading, function in leading
    ]


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
    lines = []
    for response in _rows(responses):
        row = _base(response, leading) + cells.row(columns, response.answers or {})
        lines.append(writer.writerow([safe_cell(value) for value in row]))
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
        base = _base(response, leading)
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
    repeats = [q for q in definition.top_questions() if q.type == QuestionType.REPEAT]
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    main = workbook.create_sheet(_sheet_title("responses", taken))
    main.append([*BASE_HEADINGS, *(h for h, _f in leading), *(c.heading for c in columns)])
    repeat_sheets = []
    for repeat in repeats:
        inner = columns_of(repeat.questions)
        sheet = workbook.create_sheet(_sheet_title(repeat.name, taken))
        sheet.append(["response_id", "block", *(c.heading for c in inner)])
        repeat_sheets.append((repeat, inner, sheet))
    for response in _rows(responses):
        answers = response.answers or {}
        main.append([_xlsx_cell(value) for value in _base(response, leading) + cells.row(columns, answers)])
        for repeat, inner, sheet in repeat_sheets:
            blocks = answers.get(repeat.name)
            if not isinstance(blocks, list):
                continue
            for number, block in enumerate((b for b in blocks if isinstance(b, dict)), start=1):
                sheet.append([response.pk, number, *(_xlsx_cell(v) for v in cells.row(inner, block))])
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
    cells = _Cells(definition, labels=labels, language=language)
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
