"""Answers as people read them: one plain-text rendering shared by the pages, the exports, the
dashboards and the PDFs, so an answer reads the same everywhere."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hw4all.core.countries import country_names

from .definition import OTHER, Definition, Question, QuestionType


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def choice_text(question: Question, name: str, language: str, default_language: str, *, labels: bool) -> str:
    if not labels:
        return name
    if question.type == QuestionType.YES_NO:
        return {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know")}.get(name, name)
    if question.type in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
        return country_names(get_language()).get(name, name)
    if name == OTHER and question.other and all(choice.name != OTHER for choice in question.choices):
        return _("Other")
    return question.choice_label(name, language, default_language)


def answer_text(
    definition: Definition,
    question: Question,
    answers: dict[str, Any],
    *,
    language: str,
    labels: bool = True,
) -> str:
    """The answer to `question` in `answers` (the response's, or one block of a repeat) as text:
    choice labels (or codes when `labels` is false), numbers with their unit, matrix rows as
    "row: choice; …", files by name, a repeat as its number of blocks. Empty when unanswered."""
    value = answers.get(question.name)
    default = definition.default_language
    kind = question.type
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if kind in (QuestionType.SELECT_ONE, QuestionType.YES_NO, QuestionType.COUNTRY):
        text = choice_text(question, str(value), language, default, labels=labels)
        if question.other and value == OTHER and answers.get(question.other_name):
            text = f"{text}: {answers[question.other_name]}"
        return text
    if kind in (QuestionType.SELECT_MULTIPLE, QuestionType.COUNTRIES):
        chosen = [str(item) for item in value] if isinstance(value, list) else [str(value)]
        if not labels:
            return " ".join(chosen)
        parts = [choice_text(question, name, language, default, labels=True) for name in chosen]
        if question.other and OTHER in chosen and answers.get(question.other_name):
            parts[chosen.index(OTHER)] += f": {answers[question.other_name]}"
        return "; ".join(parts)
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
        unit = question.unit.get(language, default)
        return f"{_number(value)} {unit}".strip() if labels else _number(value)
    if kind == QuestionType.MATRIX and isinstance(value, dict):
        parts = []
        for row in question.rows:
            if row.name in value:
                cell = choice_text(question, str(value[row.name]), language, default, labels=labels)
                heading = row.label.get(language, default) if labels else row.name
                parts.append(f"{heading}: {cell}")
        return "; ".join(parts)
    if kind == QuestionType.FILE and isinstance(value, dict):
        return str(value.get("name", ""))
    if kind == QuestionType.REPEAT and isinstance(value, list):
        return str(len(value))
    return str(value)
