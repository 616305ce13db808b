"""A round's answers to one question, report by report, as the dashboard compares them: each
report's answer read with the questionnaire version it answered, and the question's summary
from the questionnaires' analysis."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext

from hw4all.core.countries import country_names
from hw4all.questionnaires.analysis import QuestionSummary, question_summaries
from hw4all.questionnaires.charts import bar_chart
from hw4all.questionnaires.definition import Definition, Question, QuestionType, Section
from hw4all.questionnaires.display import answer_text, choice_text
from hw4all.questionnaires.models import QuestionnaireVersion

from . import queries
from .models import Report

# A chart of more bars than this is no longer read at a glance; the table holds them all.
CHART_BARS = 25


def country_name(code: str) -> str:
    return country_names(get_language()).get(code, code)


@dataclass(frozen=True)
class Answer:
    """One report's answer to the chosen question, as the comparison shows it."""

    text: str = ""
    # A repeated group: one text per block; a question inside one: its answer in each block.
    blocks: tuple[str, ...] = ()
    # A matrix: the scale point chosen for each of its rows.
    cells: tuple[str, ...] = ()
    # False when the report answered a version of the questionnaire without this question.
    asked: bool = True


@dataclass(frozen=True)
class Row:
    report: Report
    country_name: str
    url: str
    cosigners: list
    answer: Answer


@dataclass
class Comparison:
    label: str
    section: str
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    summary: QuestionSummary | None = None
    chart: str = ""
    # A matrix: its scale, and how many reports chose each point for each row.
    scale: list[str] = field(default_factory=list)
    matrix_counts: list[tuple[str, list[int]]] = field(default_factory=list)


def _label(question: Question, definition: Definition, language: str) -> str:
    return question.label.get(language, definition.default_language) or question.name


def answer_of(
    definition: Definition, name: str, answers: dict[str, Any], language: str, rows: list[str]
) -> Answer:
    """The answer to `name` in `answers`, read with the version the report answered; a matrix's
    cells follow `rows`, the current version's rows (the table's columns)."""
    question = definition.question(name)
    if question is None:
        return Answer(asked=False)
    if question.type == QuestionType.MATRIX:
        value = answers.get(name)
        chosen = value if isinstance(value, dict) else {}
        return Answer(
            cells=tuple(
                choice_text(question, str(chosen[row]), language, definition.default_language, labels=True)
                if row in chosen
                else ""
                for row in rows
            )
        )
    if question.type == QuestionType.REPEAT:
        blocks = [block for block in answers.get(name) or [] if isinstance(block, dict)]
        return Answer(
            blocks=tuple(
                "; ".join(
                    f"{_label(inner, definition, language)}: {text}"
                    for inner in question.questions
                    if (text := answer_text(definition, inner, block, language=language))
                )
                for block in blocks
            )
        )
    repeat = definition.repeat_of(name)
    if repeat is not None:
        blocks = [block for block in answers.get(repeat.name) or [] if isinstance(block, dict)]
        return Answer(
            blocks=tuple(answer_text(definition, question, block, language=language) for block in blocks)
        )
    return Answer(text=answer_text(definition, question, answers, language=language))


def question_choices(definition: Definition, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The chooser's options, grouped by section: every question but notes, those inside a
    repeated group named with it."""
    groups = []
    for section in definition.sections:
        options = []
        for question in section.questions:
            if question.type == QuestionType.NOTE:
                continue
            label = _label(question, definition, language)
            options.append((question.name, label))
            options.extend(
                (
                    inner.name,
                    gettext("%(group)s: %(question)s")
                    % {"group": label, "question": _label(inner, definition, language)},
                )
                for inner in question.questions
                if inner.type != QuestionType.NOTE
            )
        if options:
            groups.append((section.label.get(language, definition.default_language) or section.name, options))
    return groups


def summary_of(
    definition: Definition, question: Question, answers: list[dict[str, Any]], language: str
) -> QuestionSummary | None:
    """The analysis of the chosen question over the reports (inside a repeated group, over all
    their blocks), read against the current version."""
    top = definition.repeat_of(question.name) or question
    only = Definition(
        title=definition.title,
        sections=[Section(name="chosen", questions=[top])],
        languages=definition.languages,
        default_language=definition.default_language,
    )
    summaries = question_summaries(only, answers, language=language)
    if not summaries:
        return None
    summary = summaries[0]
    if top is question:
        return summary
    return next((inner for inner in summary.inner if inner.name == question.name), None)


def answer_keys(definition: Definition, question: Question) -> list[str]:
    """The keys of a response's answers the comparison of `question` reads: its own (with its
    other-specify text), or its repeated group's."""
    top = definition.repeat_of(question.name) or question
    return [top.name, top.other_name] if top.other else [top.name]


def definitions_of(reports: list[Report], current: QuestionnaireVersion) -> dict[int, Definition]:
    """The definition of each version the reports answered, read once each (the current one is
    already read)."""
    ids = {report.response.version_id for report in reports} - {current.pk}
    definitions = {
        version.pk: version.definition for version in QuestionnaireVersion.objects.filter(pk__in=ids)
    }
    return {current.pk: current.definition, **definitions}


def comparison_build(
    current: Definition,
    question: Question,
    reports: list[Report],
    definitions: dict[int, Definition],
    answers: dict[int, dict[str, Any]],
    language: str,
    report_url: Callable[[object], str],
) -> Comparison:
    section = current.section_of(question.name)
    comparison = Comparison(
        label=_label(question, current, language),
        section=section.label.get(language, current.default_language) if section else "",
        columns=[row.label.get(language, current.default_language) or row.name for row in question.rows]
        if question.type == QuestionType.MATRIX
        else [],
    )
    row_names = [row.name for row in question.rows]
    for report in reports:
        definition = definitions.get(report.response.version_id, current)
        comparison.rows.append(
            Row(
                report=report,
                country_name=country_name(report.country.code),  # type: ignore[attr-defined]
                url=report_url(report.pk),
                cosigners=queries.cosigners_of(report),
                answer=answer_of(definition, question.name, answers[report.pk], language, row_names),
            )
        )
    summary = summary_of(current, question, [answers[report.pk] for report in reports], language)
    if summary is not None and summary.answered:
        comparison.summary = summary
        if summary.kind == "counted" and len(summary.counts) <= CHART_BARS:
            comparison.chart = bar_chart(summary.counts, chart_id="codereports-chart", title=comparison.label)
        elif summary.kind == "matrix":
            comparison.scale = [
                choice.label.get(language, current.default_language) or choice.name
                for choice in question.choices
            ]
            comparison.matrix_counts = [
                (
                    row.label,
                    [
                        next((c.count for c in row.counts if c.name == choice.name), 0)
                        for choice in question.choices
                    ],
                )
                for row in summary.rows
            ]
    return comparison
