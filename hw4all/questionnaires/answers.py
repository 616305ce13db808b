"""Answers from a posted form: read by question type, checked on the server with messages a
respondent understands, and cleaned of what skip logic hides.

Field names: a question's name; inside a repeat "<repeat>.<index>.<name>" (each block also posts
"<repeat>.<index>._block" so an empty block still counts); matrix rows "<matrix>.<row>"; the
"other" text "<name>_other"; a file question posts its upload under its name, the id of the file
it already holds under "<path>__file" and a "<path>__remove" box. Errors are keyed by the same
paths (a matrix's by the matrix's path)."""

import datetime
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from . import expressions
from .definition import OTHER, YES_NO_CHOICES, Definition, Question, QuestionType, Section

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000
REPEAT_MAX_BLOCKS = 50
FILE_MAX_BYTES = 20 * 1024 * 1024
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
# Beyond this a number is not a count anyone reports, and JSON readers lose precision.
NUMBER_LIMIT = Decimal(10) ** 15
BLOCK_MARKER = "_block"
FILE_KEEP_SUFFIX = "__file"
FILE_REMOVE_SUFFIX = "__remove"
LOADED_FIELD = "loaded"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters other than tab and line breaks (NUL first) never belong in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Upload:
    """A file posted for a question, not yet stored; the service stores it and puts its
    {"id", "name", "size"} in its place."""

    def __init__(self, path: str, file: UploadedFile, content_type: str):
        self.path = path
        self.file = file
        self.content_type = content_type


@dataclass
class Reading:
    """What a posted form says: `values` holds, for each top-level answer key the form carried,
    its new value (None when emptied); keys whose field was malformed are left out (the stored
    answer stays) and their messages are in `errors`."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    uploads: list[Upload] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def digest(value: Any) -> str:
    """A short fingerprint of an answer, so a save can tell which answers its editor changed."""
    if is_empty(value):
        return ""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def digests(answers: Mapping[str, Any]) -> dict[str, str]:
    return {key: digest(value) for key, value in answers.items() if not is_empty(value)}


def answer_keys(question: Question) -> list[str]:
    keys = [question.name]
    if question.other:
        keys.append(question.other_name)
    return keys


# -- Skip logic and choice filters -------------------------------------------------------------


def getter(
    answers: Mapping[str, Any], block: Mapping[str, Any] | None = None, repeat: Question | None = None
):
    """`answer(name)` for expressions: inside a repeat, a name of the repeat's own questions is
    this block's answer, any other name the top-level answer."""
    inner = {question.name for question in repeat.questions} if repeat is not None else set()

    def answer(name: str) -> Any:
        if block is not None and name in inner:
            return block.get(name)
        return answers.get(name)

    return answer


def choice_allowed(question: Question, answer: Callable[[str], Any]) -> set[str] | None:
    """The names of the choices the filter leaves, or None when every choice is offered."""
    node = question.choice_filter_node
    if node is None:
        return None
    return {
        choice.name
        for choice in question.choices
        if expressions.is_true(node, answer, column=lambda column, choice=choice: choice.columns.get(column))
    }


def clean(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without those of hidden questions (skip logic false, in reading order so that a
    chain of conditions settles in one pass), without "other" texts whose "other" is not chosen,
    and without empty values."""
    result: dict[str, Any] = {}
    for section in definition.sections:
        section_shown = expressions.is_true(section.relevant_node, getter(result))
        for question in section.questions:
            if not section_shown or question.type == QuestionType.NOTE:
                continue
            if not expressions.is_true(question.relevant_node, getter(result)):
                continue
            value = answers.get(question.name)
            if question.type == QuestionType.REPEAT and isinstance(value, list):
                value = [_block_clean(question, result, block) for block in value if isinstance(block, dict)]
            if not is_empty(value):
                result[question.name] = value
            if question.other and _has_other(value) and not is_empty(answers.get(question.other_name)):
                result[question.other_name] = answers[question.other_name]
    return result


def _block_clean(repeat: Question, answers: Mapping[str, Any], block: Mapping[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for question in repeat.questions:
        if question.type == QuestionType.NOTE:
            continue
        if not expressions.is_true(question.relevant_node, getter(answers, kept, repeat)):
            continue
        value = block.get(question.name)
        if not is_empty(value):
            kept[question.name] = value
        if question.other and _has_other(value) and not is_empty(block.get(question.other_name)):
            kept[question.other_name] = block[question.other_name]
    return kept


def _has_other(value: Any) -> bool:
    return value == OTHER or (isinstance(value, list) and OTHER in value)


# -- Complete validation (on submit) -------------------------------------------------------------


def check(
    definition: Definition, answers: Mapping[str, Any], *, complete: bool = True
) -> dict[str, list[str]]:
    """Every error of stored (already cleaned) answers: required questions left empty (when
    `complete`) and choices a filter does not offer. Only questions the skip logic shows are
    looked at."""
    errors: dict[str, list[str]] = {}
    for section in definition.sections:
        if not expressions.is_true(section.relevant_node, getter(answers)):
            continue
        for question in section.questions:
            if not expressions.is_true(question.relevant_node, getter(answers)):
                continue
            _check_one(question, question.name, answers, getter(answers), errors, complete)
            if question.type == QuestionType.REPEAT:
                for index, block in enumerate(answers.get(question.name) or []):
                    block_answer = getter(answers, block, question)
                    for inner in question.questions:
                        if expressions.is_true(inner.relevant_node, block_answer):
                            path = f"{question.name}.{index}.{inner.name}"
                            _check_one(inner, path, block, block_answer, errors, complete)
    return errors


def _check_one(
    question: Question,
    path: str,
    answers: Mapping[str, Any],
    answer: Callable[[str], Any],
    errors: dict[str, list[str]],
    complete: bool,
) -> None:
    value = answers.get(question.name)
    if question.type == QuestionType.NOTE:
        return
    if complete and question.required:
        if is_empty(value):
            errors.setdefault(path, []).append(_required_message(question))
            return
        if question.type == QuestionType.MATRIX and isinstance(value, dict):
            missing = [row for row in question.rows if row.name not in value]
            if missing:
                errors.setdefault(path, []).append(_("Answer every row."))
        if question.other and _has_other(value) and is_empty(answers.get(question.other_name)):
            errors.setdefault(f"{path}{question.other_name[len(question.name) :]}", []).append(
                _("Say what “other” is.")
            )
    allowed = choice_allowed(question, answer)
    if allowed is not None and not is_empty(value):
        chosen = value if isinstance(value, list) else [value]
        if any(str(item) not in allowed for item in chosen):
            errors.setdefault(path, []).append(
                _("This choice does not fit your earlier answers: choose again.")
            )


def check_filters(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    """The paths of answers holding a choice their filter does not offer."""
    return list(check(definition, answers, complete=False))


def _required_message(question: Question) -> str:
    if question.type in (QuestionType.SELECT_MULTIPLE, QuestionType.COUNTRIES):
        return _("Choose at least one option.")
    if question.type in (QuestionType.SELECT_ONE, QuestionType.YES_NO, QuestionType.COUNTRY):
        return _("Choose an option.")
    if question.type == QuestionType.FILE:
        return _("Choose a file.")
    if question.type == QuestionType.REPEAT:
        return _("Add at least one.")
    return _("Answer this question.")


# -- Reading a posted form -------------------------------------------------------------------------


def read(
    definition: Definition,
    data: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
    *,
    stored_files: Mapping[int, dict[str, Any]] | None = None,
    remove_block: str = "",
) -> Reading:
    """The answers a posted form carries. `data` is a QueryDict (multiple values through
    `getlist`); `stored_files` maps the ids of the response's files to their answers, so a
    posted "__file" id is honoured only for the response's own files. `remove_block`
    ("<repeat>.<index>") drops that block."""
    reading = Reading()
    context = _Context(data, files or {}, stored_files or {}, reading)
    for section in definition.sections:
        for question in section.questions:
            if question.type == QuestionType.NOTE:
                continue
            if question.type == QuestionType.REPEAT:
                _read_repeat(question, context, remove_block)
                continue
            if not _carried(question, question.name, context):
                continue
            ok, value, other = _read_one(question, question.name, context)
            if ok:
                reading.values[question.name] = value
            if question.other:
                reading.values[question.other_name] = other
    return reading


class _Context:
    def __init__(self, data, files, stored_files, reading: Reading):
        self.data = data
        self.files = files
        self.stored_files = stored_files
        self.reading = reading

    def get(self, key: str) -> str | None:
        value = self.data.get(key)
        return None if value is None else str(value)

    def getlist(self, key: str) -> list[str]:
        if hasattr(self.data, "getlist"):
            return [str(item) for item in self.data.getlist(key)]
        value = self.data.get(key)
        if value is None:
            return []
        return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def _carried(question: Question, path: str, context: _Context) -> bool:
    """Whether the form had this question's fields (a form posts every field, but an unticked box
    posts nothing: the hidden "loaded" fingerprints say the form was complete)."""
    if LOADED_FIELD in context.data:
        return True
    if question.type == QuestionType.MATRIX:
        return any(f"{path}.{row.name}" in context.data for row in question.rows)
    if question.type == QuestionType.FILE:
        return any(key in context.data or key in context.files for key in (path, path + FILE_KEEP_SUFFIX))
    return path in context.data


def _read_repeat(question: Question, context: _Context, remove_block: str) -> None:
    prefix = f"{question.name}."
    indices: set[int] = set()
    for key in context.data:
        if key.startswith(prefix):
            index = key[len(prefix) :].split(".", 1)[0]
            if index.isdigit() and len(index) <= 6:
                indices.add(int(index))
    for key in context.files:
        if key.startswith(prefix):
            index = key[len(prefix) :].split(".", 1)[0]
            if index.isdigit() and len(index) <= 6:
                indices.add(int(index))
    if not indices and LOADED_FIELD not in context.data:
        return
    removed = remove_block.split(".", 1)[1] if remove_block.startswith(prefix) else ""
    ordered = [index for index in sorted(indices) if str(index) != removed]
    if len(ordered) > REPEAT_MAX_BLOCKS:
        context.reading.error(
            question.name,
            _("You can add at most %(max)s of these; remove some to save.") % {"max": REPEAT_MAX_BLOCKS},
        )
        return
    blocks = []
    for index in ordered:
        block: dict[str, Any] = {}
        for inner in question.questions:
            if inner.type == QuestionType.NOTE:
                continue
            path = f"{question.name}.{index}.{inner.name}"
            ok, value, other = _read_one(inner, path, context)
            if ok and not is_empty(value):
                block[inner.name] = value
            if inner.other and not is_empty(other):
                block[inner.other_name] = other
        blocks.append(block)
    context.reading.values[question.name] = blocks or None


def _read_one(question: Question, path: str, context: _Context) -> tuple[bool, Any, str | None]:
    """(well formed, value, "other" text) of one question's fields."""
    reading = context.reading
    kind = question.type
    other: str | None = None
    if question.other:
        other_path = path + question.other_name[len(question.name) :]
        other = _text(context.get(other_path) or "", SHORT_TEXT_MAX, other_path, reading) or None
    try:
        if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
            limit = LONG_TEXT_MAX if kind == QuestionType.LONG_TEXT else SHORT_TEXT_MAX
            text = _text(context.get(path) or "", limit, path, reading)
            if text is None:
                return False, None, other
            return True, text or None, other
        if kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
            return True, _number_read(question, context.get(path) or ""), other
        if kind == QuestionType.DATE:
            return True, _date_read(question, context.get(path) or ""), other
        if kind == QuestionType.YES_NO:
            return True, _one_of(context.get(path) or "", set(YES_NO_CHOICES)), other
        if kind == QuestionType.SELECT_ONE:
            return True, _one_of(context.get(path) or "", {choice.name for choice in question.choices}), other
        if kind == QuestionType.SELECT_MULTIPLE:
            names = [choice.name for choice in question.choices]
            chosen = set(_many_of(context.getlist(path), set(names)))
            return True, [name for name in names if name in chosen] or None, other
        if kind == QuestionType.COUNTRY:
            return True, _country(context.get(path) or ""), other
        if kind == QuestionType.COUNTRIES:
            codes = [_country(code) for code in context.getlist(path) if code.strip()]
            # By code, so the stored list does not depend on the language the page listed names in.
            return True, sorted({code for code in codes if code}) or None, other
        if kind == QuestionType.MATRIX:
            scale = {choice.name for choice in question.choices}
            cells = {}
            for row in question.rows:
                value = _one_of(context.get(f"{path}.{row.name}") or "", scale)
                if value is not None:
                    cells[row.name] = value
            return True, cells or None, other
        if kind == QuestionType.FILE:
            return (*_file_read(path, context), None)
    except _Invalid as invalid:
        reading.error(path, str(invalid))
        return False, None, other
    return False, None, other


class _Invalid(ValueError):
    pass


def _text(raw: str, limit: int, path: str, reading: Reading) -> str | None:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip()
    if len(text) > limit:
        reading.error(
            path,
            ngettext(
                "Keep this answer under %(limit)s character (it has %(count)s).",
                "Keep this answer under %(limit)s characters (it has %(count)s).",
                limit,
            )
            % {"limit": f"{limit:,}", "count": f"{len(text):,}"},
        )
        return None
    return text


def _number_text(value: float | str | None) -> str:
    if value is None:
        return ""
    number = Decimal(str(value))
    return f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"


def bounds_message(question: Question) -> str:
    low, high = _number_text(_bound(question.minimum)), _number_text(_bound(question.maximum))
    if low and high:
        return _("Enter a number between %(low)s and %(high)s") % {"low": low, "high": high}
    if low:
        return _("Enter a number of at least %(low)s") % {"low": low}
    return _("Enter a number of at most %(high)s") % {"high": high}


def _bound(value: float | str | None) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def _number_read(question: Question, raw: str) -> int | float | None:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    if len(text) > 40:
        raise _Invalid(_("Enter a number"))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Invalid(_("Enter a number")) from None
    if not number.is_finite():
        raise _Invalid(_("Enter a number"))
    if abs(number) >= NUMBER_LIMIT:
        raise _Invalid(_("This number is too large."))
    if question.type == QuestionType.INTEGER and number != number.to_integral_value():
        raise _Invalid(_("Enter a whole number"))
    low, high = _bound(question.minimum), _bound(question.maximum)
    if (low is not None and number < Decimal(str(low))) or (high is not None and number > Decimal(str(high))):
        raise _Invalid(bounds_message(question))
    if question.type == QuestionType.INTEGER:
        return int(number)
    value = float(number)
    return int(value) if value.is_integer() and math.isfinite(value) else value


def _date_bound(value: float | str | None, fallback: datetime.date) -> datetime.date:
    if isinstance(value, str) and _DATE.match(value):
        try:
            return min(max(datetime.date.fromisoformat(value), DATE_MIN), DATE_MAX)
        except ValueError:
            return fallback
    return fallback


def date_bounds(question: Question) -> tuple[datetime.date, datetime.date]:
    return _date_bound(question.minimum, DATE_MIN), _date_bound(question.maximum, DATE_MAX)


def _date_read(question: Question, raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise _Invalid(_("Enter a date as year-month-day, for example 2024-03-31")) from None
    low, high = date_bounds(question)
    if not low <= day <= high:
        raise _Invalid(
            _("Enter a date between %(low)s and %(high)s")
            % {"low": low.isoformat(), "high": high.isoformat()}
        )
    return day.isoformat()


def _one_of(raw: str, allowed: set[str]) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if value not in allowed:
        raise _Invalid(_("Choose one of the options listed."))
    return value


def _many_of(raw: Iterable[str], allowed: set[str]) -> list[str]:
    values = [value.strip() for value in raw if value.strip()]
    if any(value not in allowed for value in values):
        raise _Invalid(_("Choose among the options listed."))
    return values


def _country(raw: str) -> str | None:
    code = raw.strip().upper()
    if not code:
        return None
    if code not in countries:
        raise _Invalid(_("Choose a country from the list."))
    return code


def _file_read(path: str, context: _Context) -> tuple[bool, Any]:
    upload = context.files.get(path) if hasattr(context.files, "get") else None
    if upload is not None and upload.name:
        content_type = file_type(upload)
        if upload.size is None or upload.size > FILE_MAX_BYTES:
            raise _Invalid(_("The file is larger than %(mb)s MB.") % {"mb": FILE_MAX_BYTES // (1024 * 1024)})
        if not content_type:
            raise _Invalid(
                _(
                    "This kind of file cannot be given: send a PDF, a picture, an office document or plain text."
                )
            )
        context.reading.uploads.append(Upload(path, upload, content_type))
        return True, {"upload": path}
    if context.get(path + FILE_REMOVE_SUFFIX):
        return True, None
    kept = context.get(path + FILE_KEEP_SUFFIX) or ""
    if kept.isdigit() and int(kept) in context.stored_files:
        return True, dict(context.stored_files[int(kept)])
    return True, None


# -- File types by content -------------------------------------------------------------------------

_OFFICE_ZIP = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    # Word, Excel and PowerPoint before 2007 (OLE compound files).
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/vnd.ms-office"),
)
# Bytes that never occur in plain text (executables and other binaries hold them early on).
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|\?xml)", re.IGNORECASE)


def file_type(upload: UploadedFile) -> str:
    """The content type read from the file's first bytes, or "" for anything not accepted
    (executables, web pages, SVG, archives that are not office documents)."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not head:
        return ""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    if _BINARY.search(head) or _MARKUP.search(head):
        return ""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a character; anything else is not text.
        if error.start < len(head) - 4:
            return ""
    return "text/plain"


def _zip_type(upload: UploadedFile) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
            for prefix, content_type in _OFFICE_ZIP.items():
                if any(name.startswith(prefix) for name in names):
                    return content_type
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ""
    finally:
        upload.seek(0)
    return ""


def section_shown(section: Section, answers: Mapping[str, Any]) -> bool:
    return expressions.is_true(section.relevant_node, getter(answers))
