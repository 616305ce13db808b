"""What the questionnaire templates show: the form of a response (`form_context` for the include
"questionnaires/fill/form.html") and its answers read-only (`answers_context` for
"questionnaires/fill/answers.html"). Everything a field needs is worked out here once, so the
templates only print."""

import json
import mimetypes
from collections.abc import Callable, Mapping
from functools import cached_property, lru_cache
from typing import Any

from django.http import FileResponse, Http404
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.core.countries import country_names

from . import answers as answers_module
from . import expressions, widgets
from .definition import OTHER, OTHER_SUFFIX, YES_NO_CHOICES, Definition, Question, QuestionType, Section
from .display import answer_text
from .models import Response, ResponseFile
from .services.responses import Conflict, SaveResult, loaded_of, loaded_record

DEFAULT_SUBMIT = object()
CHECKED = mark_safe(" checked")  # noqa: S308 - a constant
INDEX_PLACEHOLDER = "__index__"
# Minutes a respondent needs per question, for the landing page's estimate.
MINUTES_PER_QUESTION = 0.4


class Option:
    __slots__ = ("value", "label", "checked", "id", "columns")

    def __init__(self, value: str, label: str, checked: bool, id: str, columns: str = ""):
        self.value = value
        self.label = label
        self.checked = checked
        self.id = id
        self.columns = columns


class Row:
    __slots__ = ("name", "label", "path", "id", "options")

    def __init__(self, name: str, label: str, path: str, id: str, options: list[Option]):
        self.name = name
        self.label = label
        self.path = path
        self.id = id
        self.options = options


class Field:
    """One question as the form shows it. `path` is its field name, `id` its element's id."""

    def __init__(self, question: Question, path: str, label: str):
        self.question = question
        self.type = str(question.type)
        self.name = question.name
        self.path = path
        self.id = field_id(path)
        self.label = label
        self.hint = ""
        self.unit = ""
        self.required = question.required
        self.errors: list[str] = []
        self.conflict: Conflict | None = None
        self.value = ""
        self.options: list[Option] = []
        self.options_html = ""
        self.rows: list[Row] = []
        self.columns: list[str] = []
        self.minimum = ""
        self.maximum = ""
        self.step = ""
        self.maxlength = 0
        self.relevant = ""
        self.relevant_words = ""
        self.choice_filter = ""
        self.other = False
        self.other_path = ""
        self.other_value = ""
        self.other_shown = False
        self.file: dict[str, Any] | None = None
        self.blocks: list[Block] = []
        self.template: Block | None = None
        self.max_blocks = answers_module.REPEAT_MAX_BLOCKS
        self.is_group = question.type in GROUP_TYPES

    @cached_property
    def html(self) -> SafeString:
        return widgets.field_html(self)

    @cached_property
    def describedby(self) -> str:
        ids = []
        if self.hint or self.unit:
            ids.append(f"{self.id}-hint")
        if self.errors:
            ids.append(f"{self.id}-error")
        if self.conflict:
            ids.append(f"{self.id}-conflict")
        return " ".join(ids)


class Block:
    __slots__ = ("index", "number", "fields", "remove_value", "marker")

    def __init__(self, repeat: str, index: str, number: int | str, fields: list[Field]):
        self.index = index
        self.number = number
        self.fields = fields
        self.remove_value = f"{repeat}.{index}"
        self.marker = f"{repeat}.{index}.{answers_module.BLOCK_MARKER}"


class SectionView:
    __slots__ = ("name", "id", "title", "hint", "relevant", "relevant_words", "fields")

    def __init__(
        self, section: Section, title: str, hint: str, relevant: str, words: str, fields: list[Field]
    ):
        self.name = section.name
        self.id = f"section-{section.name}"
        self.title = title
        self.hint = hint
        self.relevant = relevant
        self.relevant_words = words
        self.fields = fields


GROUP_TYPES = {
    QuestionType.YES_NO,
    QuestionType.SELECT_ONE,
    QuestionType.SELECT_MULTIPLE,
    QuestionType.MATRIX,
    QuestionType.REPEAT,
    QuestionType.COUNTRIES,
}


def field_id(path: str) -> str:
    return "q-" + path.replace(".", "-")


@lru_cache(maxsize=16)
def _country_options_html(language: str) -> str:
    return "".join(
        format_html('<option value="{}">{}</option>', code, name)
        for code, name in country_names(language).items()
    )


def _choices_html(options: list[Option], input_type: str, path: str) -> SafeString:
    """Radios or boxes, built here rather than in a template loop: a long form has hundreds."""
    return format_html_join(
        "",
        '<div class="choice" data-choice="{}"{}><input type="{}" id="{}" name="{}" value="{}"{}>'
        '<label for="{}">{}</label></div>',
        (
            (
                option.value,
                format_html(' data-columns="{}"', option.columns) if option.columns else "",
                input_type,
                option.id,
                path,
                option.value,
                CHECKED if option.checked else "",
                option.id,
                option.label,
            )
            for option in options
        ),
    )


def _matrix_html(rows: list[Row]) -> SafeString:
    return format_html_join(
        "",
        '<tr><th scope="row" id="{}">{}</th>{}</tr>',
        (
            (
                row.id,
                row.label,
                format_html_join(
                    "",
                    '<td data-label="{}"><input type="radio" id="{}" name="{}" value="{}"{} '
                    'aria-labelledby="{} {}-label"><label id="{}-label" for="{}" '
                    'class="qmatrix__cell-label">{}</label></td>',
                    (
                        (
                            option.label,
                            option.id,
                            row.path,
                            option.value,
                            CHECKED if option.checked else "",
                            row.id,
                            option.id,
                            option.id,
                            option.id,
                            option.label,
                        )
                        for option in row.options
                    ),
                ),
            )
            for row in rows
        ),
    )


def country_options(language: str, chosen: list[str]) -> SafeString:
    """The <option>s of every country, those in `chosen` selected: escaped once per language and
    reused, since a form may hold several country questions of 250 options each."""
    options = _country_options_html(language)
    for code in chosen:
        if len(code) == 2 and code.isalpha():
            options = options.replace(f'<option value="{code}">', f'<option value="{code}" selected>', 1)
    return mark_safe(options)  # noqa: S308 - built with format_html above


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


# -- Stored answers as field values ----------------------------------------------------------------


def flatten(definition: Definition, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """The stored answers as the form posts them: field name -> values."""
    fields: dict[str, list[str]] = {}
    for question in definition.top_questions():
        if question.type == QuestionType.REPEAT:
            for index, block in enumerate(answers.get(question.name) or []):
                prefix = f"{question.name}.{index}."
                fields[prefix + answers_module.BLOCK_MARKER] = ["1"]
                if isinstance(block, dict):
                    for inner in question.questions:
                        _flatten_one(inner, prefix + inner.name, block, fields)
        else:
            _flatten_one(question, question.name, answers, fields)
    return fields


def _flatten_one(
    question: Question, path: str, answers: Mapping[str, Any], fields: dict[str, list[str]]
) -> None:
    value = answers.get(question.name)
    if question.other and answers.get(question.other_name):
        fields[path + OTHER_SUFFIX] = [str(answers[question.other_name])]
    if answers_module.is_empty(value):
        return
    if question.type == QuestionType.MATRIX and isinstance(value, dict):
        for row, chosen in value.items():
            fields[f"{path}.{row}"] = [str(chosen)]
    elif question.type == QuestionType.FILE and isinstance(value, dict):
        fields[path + answers_module.FILE_KEEP_SUFFIX] = [str(value.get("id", ""))]
    elif isinstance(value, list):
        fields[path] = [str(item) for item in value]
    else:
        fields[path] = [_number_text(value)]


def _posted_fields(posted) -> dict[str, list[str]]:
    if hasattr(posted, "lists"):
        return {key: [str(item) for item in values] for key, values in posted.lists()}
    return {
        key: (list(value) if isinstance(value, list | tuple) else [str(value)])
        for key, value in posted.items()
    }


def _rebased(
    definition: Definition, response: Response, posted, conflicts: list[Conflict]
) -> dict[str, list[str]]:
    """The values a re-shown form holds after a save: what the editor changed (saved or not, so
    nothing typed is lost), and the stored answer wherever the editor changed nothing or someone
    else's change was kept."""
    stored = flatten(definition, response.answers)
    posted_fields = _posted_fields(posted)
    loaded = loaded_of(posted, response.revision) or {}
    reading = answers_module.read(definition, posted, {}, stored_files=_file_answers(response))
    keep_stored = {conflict.path for conflict in conflicts}
    for question in definition.top_questions():
        for key in answers_module.answer_keys(question):
            unchanged = key in reading.values and (
                answers_module.digest(reading.values[key]) == loaded.get(key, ("", 0))[0]
            )
            if unchanged and key not in reading.errors:
                keep_stored.add(key)
    erroneous = {path.split(".", 1)[0] for path in reading.errors}
    result: dict[str, list[str]] = {}
    for key, values in posted_fields.items():
        top = key.split(".", 1)[0].removesuffix(answers_module.FILE_KEEP_SUFFIX)
        if top not in keep_stored or top in erroneous:
            result[key] = values
    for key, values in stored.items():
        top = key.split(".", 1)[0].removesuffix(answers_module.FILE_KEEP_SUFFIX)
        if top in keep_stored and top not in erroneous:
            result[key] = values
    return result


def _file_answers(response: Response) -> dict[int, dict[str, Any]]:
    return {
        item.pk: {"id": item.pk, "name": item.original_name, "size": item.size}
        for item in response.files.all()
    }


# -- Conditions in words --------------------------------------------------------------------------


def condition_words(node: list | None, definition: Definition, language: str, source: str = "") -> str:
    """A skip condition as a sentence ("Answer if “Q” is “Yes”"), for pages read without
    JavaScript; a condition too intricate to say is shown as written."""
    if node is None:
        return ""
    try:
        words = _words(node, definition, language)
    except _Unsayable:
        words = source
    return _("Answer if %(condition)s") % {"condition": words}


class _Unsayable(Exception):
    pass


def _label_of(name: str, definition: Definition, language: str) -> str:
    question = definition.question(name)
    if question is None:
        return name
    return question.label.get(language, definition.default_language) or name


def _value_words(question: Question | None, value: Any, definition: Definition, language: str) -> str:
    if question is None:
        return str(value)
    if question.type == QuestionType.YES_NO:
        return {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know")}.get(str(value), str(value))
    if question.choices:
        return question.choice_label(str(value), language, definition.default_language)
    if question.type in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
        return countries.name(str(value)) or str(value)
    return _number_text(value)


def _words(node: list, definition: Definition, language: str) -> str:
    kind = node[0]
    if kind in ("and", "or"):
        joiner = _(" and ") if kind == "and" else _(" or ")
        return _words(node[1], definition, language) + joiner + _words(node[2], definition, language)
    if kind == "call" and node[1] == "selected" and node[2][0] == "ref" and node[3][0] in ("str", "num"):
        question = definition.question(node[2][1])
        return _("“%(question)s” includes “%(value)s”") % {
            "question": _label_of(node[2][1], definition, language),
            "value": _value_words(question, node[3][1], definition, language),
        }
    if kind == "call" and node[1] == "not" and node[2][0] == "call" and node[2][1] == "selected":
        inner = node[2]
        if inner[2][0] == "ref" and inner[3][0] in ("str", "num"):
            question = definition.question(inner[2][1])
            return _("“%(question)s” does not include “%(value)s”") % {
                "question": _label_of(inner[2][1], definition, language),
                "value": _value_words(question, inner[3][1], definition, language),
            }
    if kind in ("=", "!=", "<", "<=", ">", ">=") and node[1][0] == "ref" and node[2][0] in ("str", "num"):
        name, value = node[1][1], node[2][1]
        question = definition.question(name)
        label = _label_of(name, definition, language)
        if kind == "!=" and value == "":
            return _("“%(question)s” is answered") % {"question": label}
        if kind == "=" and value == "":
            return _("“%(question)s” is not answered") % {"question": label}
        shown = _value_words(question, value, definition, language)
        phrases = {
            "=": _("“%(question)s” is “%(value)s”"),
            "!=": _("“%(question)s” is not “%(value)s”"),
            "<": _("“%(question)s” is less than %(value)s"),
            "<=": _("“%(question)s” is at most %(value)s"),
            ">": _("“%(question)s” is more than %(value)s"),
            ">=": _("“%(question)s” is at least %(value)s"),
        }
        return phrases[kind] % {"question": label, "value": shown}
    if kind == "call" and node[1] == "count-selected" and node[2][0] == "ref":
        raise _Unsayable
    raise _Unsayable


# -- The form ----------------------------------------------------------------------------------------


def form_context(
    *,
    response: Response,
    language: str,
    action_url: str,
    autosave_url: str,
    file_url: Callable[[ResponseFile], str] | Callable[[Any], str],
    errors: Mapping[str, list[str]] | None = None,
    conflicts: list[Conflict] | None = None,
    posted=None,
    submit_label: Any = DEFAULT_SUBMIT,
) -> dict[str, Any]:
    """The context of "questionnaires/fill/form.html" for `response`. After a save that came back
    with errors or conflicts, pass them and the `posted` data: the fields then show what the
    editor typed (nothing is lost) and the stored answer where someone else's change was kept.
    `submit_label=None` hides the Submit button (a using app submits through its own workflow)."""
    definition = response.version.definition
    errors = dict(errors or {})
    conflicts = list(conflicts or [])
    default = definition.default_language
    files = _file_answers(response) if _has_files(definition) else {}
    if posted is not None:
        values = _rebased(definition, response, posted, conflicts)
    else:
        values = flatten(definition, response.answers)
    builder = _Builder(definition, language, default, values, errors, files, file_url)
    by_path = {conflict.path: conflict for conflict in conflicts}
    sections = []
    for section in definition.sections:
        fields = [builder.field(question, question.name) for question in section.questions]
        for item in fields:
            item.conflict = by_path.get(item.path)
        sections.append(
            SectionView(
                section,
                section.label.get(language, default) or section.name,
                section.hint.get(language, default),
                json.dumps(section.relevant_node) if section.relevant_node else "",
                condition_words(section.relevant_node, definition, language, section.relevant),
                fields,
            )
        )
    summary = [
        {"href": f"#{_error_target(path)}", "message": message, "label": builder.labels.get(path, "")}
        for path in _ordered_paths(definition, errors)
        for message in errors[path]
    ]
    if submit_label is DEFAULT_SUBMIT:
        submit_label = _("Submit")
    return {
        "qform": {
            "response": response,
            "sections": sections,
            "title": definition.title.get(language, default),
            "action_url": action_url,
            "autosave_url": autosave_url,
            "revision": response.revision,
            "loaded": json.dumps(loaded_record(response), separators=(",", ":")),
            "error_summary": summary,
            "conflicts": conflicts,
            "submit_label": submit_label,
            "frozen": response.is_frozen,
            "language": language,
            "has_files": bool(_has_files(definition)),
            "show_toc": len(sections) > 1,
        }
    }


def _has_files(definition: Definition) -> bool:
    return any(question.type == QuestionType.FILE for question in definition.questions())


def _error_target(path: str) -> str:
    return field_id(path)


def _ordered_paths(definition: Definition, errors: Mapping[str, list[str]]) -> list[str]:
    order: dict[str, int] = {}
    for position, question in enumerate(definition.questions()):
        order.setdefault(question.name, position)
    repeat_names = {question.name for question in definition.top_questions()}

    def key(path: str) -> tuple[int, str]:
        parts = path.split(".")
        head = parts[0].removesuffix(OTHER_SUFFIX)
        if head in repeat_names and len(parts) >= 3 and parts[1].isdigit():
            return (order.get(head, 10**6), f"{int(parts[1]):06d}.{order.get(parts[2], 0):06d}")
        return (order.get(head, 10**6), path)

    return sorted(errors, key=key)


class _Builder:
    def __init__(self, definition, language, default, values, errors, files, file_url):
        self.definition = definition
        self.language = language
        self.default = default
        self.values = values
        self.errors = errors
        self.files = files
        self.file_url = file_url
        self.labels: dict[str, str] = {}

    def text(self, text) -> str:
        return text.get(self.language, self.default)

    def first(self, path: str) -> str:
        values = self.values.get(path)
        return values[0] if values else ""

    def field(self, question: Question, path: str, block_prefix: str = "") -> Field:
        label = self.text(question.label) or question.name
        item = Field(question, path, label)
        self.labels[path] = label
        item.hint = self.text(question.hint)
        item.unit = self.text(question.unit)
        item.errors = self.errors.get(path, [])
        if question.relevant_node is not None:
            item.relevant = json.dumps(question.relevant_node)
            item.relevant_words = condition_words(
                question.relevant_node, self.definition, self.language, question.relevant
            )
        if question.choice_filter_node is not None:
            item.choice_filter = json.dumps(question.choice_filter_node)
        kind = question.type
        if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
            item.value = self.first(path)
            item.maxlength = (
                answers_module.LONG_TEXT_MAX
                if kind == QuestionType.LONG_TEXT
                else answers_module.SHORT_TEXT_MAX
            )
        elif kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
            item.value = self.first(path)
            item.minimum = _number_text(question.minimum) if question.minimum not in (None, "") else ""
            item.maximum = _number_text(question.maximum) if question.maximum not in (None, "") else ""
            item.step = "1" if kind == QuestionType.INTEGER else "any"
        elif kind == QuestionType.DATE:
            item.value = self.first(path)
            low, high = answers_module.date_bounds(question)
            item.minimum, item.maximum = low.isoformat(), high.isoformat()
        elif kind == QuestionType.YES_NO:
            chosen = self.first(path)
            names = {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know")}
            item.options = [
                Option(name, names[name], name == chosen, f"{item.id}-{name}") for name in YES_NO_CHOICES
            ]
            item.options_html = _choices_html(item.options, "radio", path)
        elif kind in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE):
            chosen_values = set(self.values.get(path, []))
            item.options = [
                Option(
                    choice.name,
                    self.text(choice.label) or choice.name,
                    choice.name in chosen_values,
                    f"{item.id}-{index}",
                    json.dumps(choice.columns) if choice.columns and question.choice_filter else "",
                )
                for index, choice in enumerate(question.choices)
            ]
            input_type = "radio" if kind == QuestionType.SELECT_ONE else "checkbox"
            item.options_html = _choices_html(item.options, input_type, path)
        elif kind in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
            item.options_html = country_options(self.language, self.values.get(path, []))
        elif kind == QuestionType.MATRIX:
            item.columns = [self.text(choice.label) or choice.name for choice in question.choices]
            for row_index, row in enumerate(question.rows):
                row_path = f"{path}.{row.name}"
                chosen = self.first(row_path)
                row_id = f"{item.id}-r{row_index}"
                item.rows.append(
                    Row(
                        row.name,
                        self.text(row.label) or row.name,
                        row_path,
                        row_id,
                        [
                            Option(
                                choice.name,
                                self.text(choice.label) or choice.name,
                                chosen == choice.name,
                                f"{row_id}-{index}",
                            )
                            for index, choice in enumerate(question.choices)
                        ],
                    )
                )
            item.options_html = _matrix_html(item.rows)
        elif kind == QuestionType.FILE:
            kept = self.first(path + answers_module.FILE_KEEP_SUFFIX)
            if kept.isdigit() and int(kept) in self.files:
                current = dict(self.files[int(kept)])
                current["url"] = self.file_url(_FileRef(current["id"], current["name"]))
                item.file = current
        elif kind == QuestionType.REPEAT:
            item.blocks = self.blocks(question, path)
            item.template = Block(
                question.name,
                INDEX_PLACEHOLDER,
                INDEX_PLACEHOLDER,
                [
                    _Builder(self.definition, self.language, self.default, {}, {}, {}, self.file_url).field(
                        inner, f"{question.name}.{INDEX_PLACEHOLDER}.{inner.name}"
                    )
                    for inner in question.questions
                ],
            )
        if question.other:
            item.other = True
            item.other_path = path + OTHER_SUFFIX
            item.other_value = self.first(item.other_path)
            item.other_shown = OTHER in set(self.values.get(path, [])) or bool(
                self.errors.get(item.other_path)
            )
            if item.other_path in self.errors:
                item.errors = [*item.errors, *self.errors[item.other_path]]
        return item

    def blocks(self, question: Question, path: str) -> list[Block]:
        prefix = f"{path}."
        indices = sorted(
            {
                int(key[len(prefix) :].split(".", 1)[0])
                for key in self.values
                if key.startswith(prefix) and key[len(prefix) :].split(".", 1)[0].isdigit()
            }
        )
        return [
            Block(
                question.name,
                str(index),
                number,
                [self.field(inner, f"{path}.{index}.{inner.name}") for inner in question.questions],
            )
            for number, index in enumerate(indices, start=1)
        ]


class _FileRef:
    """Enough of a ResponseFile for `file_url` (its id and name), without a query per file."""

    def __init__(self, pk: int, name: str):
        self.pk = self.id = pk
        self.original_name = name


# -- Read-only answers ---------------------------------------------------------------------------------


def answers_context(
    *,
    definition: Definition,
    answers: Mapping[str, Any],
    language: str,
    file_url: Callable[[Any], str] | None = None,
) -> dict[str, Any]:
    """The context of "questionnaires/fill/answers.html": by section, each shown question with its
    answer as text (a repeat as its blocks, a file as a link when `file_url` is given). Sections
    and questions the skip logic hides are left out."""
    default = definition.default_language
    sections = []
    for section in definition.sections:
        if not answers_module.section_shown(section, answers):
            continue
        items = []
        for question in section.questions:
            if question.type == QuestionType.NOTE:
                continue
            if not expressions.is_true(question.relevant_node, answers_module.getter(answers)):
                continue
            items.append(_answer_item(definition, question, answers, language, file_url))
        sections.append({"title": section.label.get(language, default) or section.name, "items": items})
    return {"qanswers": {"sections": sections, "title": definition.title.get(language, default)}}


def _answer_item(definition, question, answers, language, file_url) -> dict[str, Any]:
    default = definition.default_language
    item: dict[str, Any] = {
        "label": question.label.get(language, default) or question.name,
        "tags": question.tags,
        "text": "",
        "url": "",
        "blocks": [],
        "rows": [],
    }
    value = answers.get(question.name)
    if question.type == QuestionType.REPEAT:
        for block in value or []:
            item["blocks"].append(
                [
                    _answer_item(definition, inner, block, language, file_url)
                    for inner in question.questions
                    if inner.type != QuestionType.NOTE
                    and expressions.is_true(
                        inner.relevant_node, answers_module.getter(answers, block, question)
                    )
                ]
            )
        return item
    if question.type == QuestionType.MATRIX and isinstance(value, dict):
        for row in question.rows:
            chosen = value.get(row.name)
            item["rows"].append(
                {
                    "label": row.label.get(language, default) or row.name,
                    "text": question.choice_label(str(chosen), language, default) if chosen else "",
                }
            )
        return item
    item["text"] = answer_text(definition, question, answers, language=language)
    if question.type == QuestionType.FILE and isinstance(value, dict) and file_url is not None:
        item["url"] = file_url(_FileRef(int(value.get("id", 0)), str(value.get("name", ""))))
    return item


# -- Autosave --------------------------------------------------------------------------------------------


def autosave_payload(result: SaveResult) -> dict[str, Any]:
    """The JSON an autosave answers with: the new revision, when it was saved, the conflicts and
    the errors, and the "loaded" entries the page merges into its record."""
    saved_at = timezone.localtime(result.response.updated_at)
    return {
        "revision": result.response.revision,
        "saved_at": formats.time_format(saved_at, "H:i"),
        "conflicts": [conflict.as_json() for conflict in result.conflicts],
        "errors": result.errors,
        "applied": result.applied,
    }


def file_download(item: ResponseFile) -> FileResponse:
    """A file given as an answer, always saved (never shown in the page), never sniffed."""
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type
        or mimetypes.guess_type(item.original_name)[0]
        or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def estimated_minutes(definition: Definition) -> int:
    count = sum(1 for question in definition.questions() if question.type != QuestionType.NOTE)
    return max(1, round(count * MINUTES_PER_QUESTION))


def question_count(definition: Definition) -> int:
    return sum(1 for question in definition.questions() if question.type != QuestionType.NOTE)
