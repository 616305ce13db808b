"""What everyone reads of Code reporting: the rounds, a round's dashboard (a map and a table of
the countries reported on, and every report's answer to one chosen question side by side), the
round's exports, and a country's reports across rounds. Only published reports appear here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models.fields.json import KeyTransform
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_safe
from django_countries import countries

from hw4all.core.map import choropleth_svg
from hw4all.questionnaires.analysis import QuestionSummary, question_summaries
from hw4all.questionnaires.charts import bar_chart
from hw4all.questionnaires.definition import Definition, Question, QuestionType, Section
from hw4all.questionnaires.display import answer_text, choice_text, country_names
from hw4all.questionnaires.models import QuestionnaireVersion

from .. import queries
from ..models import Report, Round

COMPARISON_ID = "codereports-comparison"
EXPORT_FORMATS = ("csv", "xlsx", "json")
CHART_BARS = 25


def _url_maker(name: str, key: str, placeholder: str) -> Callable[[object], str]:
    """The address of `name` for any value of its one argument `key`: reversed once with a
    placeholder, then filled in (a dashboard links some 400 reports and countries, and reverse()
    took a fifth of its time)."""
    prefix, suffix = reverse(name, kwargs={key: placeholder}).split(placeholder)
    return lambda value: f"{prefix}{value}{suffix}"


def _country_name(code: str) -> str:
    return country_names(get_language() or "").get(code, code)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    rounds = list(queries.rounds_with_counts())
    current = next((item for item in rounds if item.is_current), None)
    return render(request, "codereports/public/index.html", {"rounds": rounds, "current": current})


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

    @property
    def empty(self) -> bool:
        return not (self.text or self.blocks or any(self.cells))


@dataclass(frozen=True)
class CountryRow:
    name: str
    code: str
    url: str
    # Each report with the address of its page.
    reports: list[tuple[Report, str]]


@dataclass(frozen=True)
class Row:
    report: Report
    country_name: str
    url: str
    cosigners: list
    answer: Answer


@dataclass
class Comparison:
    question: Question
    label: str
    section: str
    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    summary: QuestionSummary | None = None
    chart: str = ""
    # A matrix: its scale, and how many reports chose each point for each row.
    scale: list[str] = field(default_factory=list)
    matrix_counts: list[tuple[str, list[int]]] = field(default_factory=list)


def _label(question: Question, definition: Definition, language: str) -> str:
    return question.label.get(language, definition.default_language) or question.name


def _answer(definition: Definition, name: str, answers: dict[str, Any], language: str) -> Answer:
    question = definition.question(name)
    if question is None:
        return Answer(asked=False)
    if question.type == QuestionType.MATRIX:
        value = answers.get(name)
        chosen = value if isinstance(value, dict) else {}
        return Answer(
            cells=tuple(
                choice_text(
                    question, str(chosen[row.name]), language, definition.default_language, labels=True
                )
                if row.name in chosen
                else ""
                for row in question.rows
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


def _choices(definition: Definition, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
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


def _summary(
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


def _answer_keys(definition: Definition, question: Question) -> list[str]:
    """The keys of a response's answers the comparison of `question` reads: its own (with its
    other-specify text), or its repeated group's."""
    top = definition.repeat_of(question.name) or question
    return [top.name, top.other_name] if top.other else [top.name]


def _definitions(reports: list[Report], current: QuestionnaireVersion) -> dict[int, Definition]:
    """The definition of each version the reports answered, read once each (the current one is
    already read)."""
    ids = {report.response.version_id for report in reports} - {current.pk}
    definitions = {
        version.pk: version.definition for version in QuestionnaireVersion.objects.filter(pk__in=ids)
    }
    return {current.pk: current.definition, **definitions}


def _comparison(
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
        question=question,
        label=_label(question, current, language),
        section=section.label.get(language, current.default_language) if section else "",
        kind=str(question.type),
        columns=[row.label.get(language, current.default_language) or row.name for row in question.rows]
        if question.type == QuestionType.MATRIX
        else [],
    )
    for report in reports:
        definition = definitions.get(report.response.version_id, current)
        comparison.rows.append(
            Row(
                report=report,
                country_name=_country_name(report.country.code),
                url=report_url(report.pk),
                cosigners=queries.cosigners_of(report),
                answer=_answer(definition, question.name, answers[report.pk], language),
            )
        )
    summary = _summary(current, question, [answers[report.pk] for report in reports], language)
    if summary is not None and summary.answered:
        comparison.summary = summary
        # A chart of more bars than this is no longer read at a glance; the table holds them all.
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


def _map_label(name: str, count: int) -> str:
    return ngettext(
        "%(country)s: %(count)s published report", "%(country)s: %(count)s published reports", count
    ) % {"country": name, "count": count}


@require_safe
def round_dashboard(request: HttpRequest, number: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.select_related("questionnaire__current_version"), number=number)
    language = get_language() or "en"
    version = round.questionnaire.current_version if round.questionnaire else None
    current = version.definition if version else None
    chosen = request.GET.get("question", "")[:100]
    question = current.question(chosen) if chosen and current is not None else None
    problem = ""
    if chosen and (question is None or question.type == QuestionType.NOTE):
        question = None
        problem = gettext("This questionnaire has no question “%(name)s”. Choose one from the list.") % {
            "name": chosen
        }
    # Only what the page shows of each report, and of its answers only those to the chosen
    # question, read inside the database: hundreds of reports are read at once.
    keys = _answer_keys(current, question) if current is not None and question is not None else []
    reports = list(
        queries.published_reports(round)
        .only("country", "organisation__name", "response__version")
        .annotate(
            **{f"answer_{index}": KeyTransform(key, "response__answers") for index, key in enumerate(keys)}
        )
    )
    answers = {
        report.pk: {
            key: value
            for index, key in enumerate(keys)
            if (value := getattr(report, f"answer_{index}")) is not None
        }
        for report in reports
    }
    report_url = _url_maker("codereports:report", "pk", "987654321")
    country_url = _url_maker("codereports:country", "code", "QQ")
    by_country: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_country[report.country.code].append(report)
    countries_rows = sorted(
        (
            CountryRow(
                name=_country_name(code),
                code=code,
                url=country_url(code),
                reports=[(report, report_url(report.pk)) for report in items],
            )
            for code, items in by_country.items()
        ),
        key=lambda row: row.name.casefold(),
    )
    country_filter = request.GET.get("country", "")[:2].upper()
    if country_filter not in by_country:
        country_filter = ""
    comparison = None
    if question is not None and version is not None and current is not None:
        compared = by_country[country_filter] if country_filter else reports
        comparison = _comparison(
            current, question, compared, _definitions(compared, version), answers, language, report_url
        )
    path = reverse("codereports:round", kwargs={"number": round.number})
    context = {
        "round": round,
        "reports_count": len(reports),
        "countries_rows": countries_rows,
        "map_svg": choropleth_svg(
            [(row.code, len(row.reports)) for row in countries_rows],
            label=_map_label,
            link=country_url,
            css_class="codereports-map",
        ),
        "choices": _choices(current, language) if current else [],
        "chosen": chosen if comparison else "",
        "country_filter": country_filter,
        "comparison": comparison,
        "problem": problem,
        "comparison_id": COMPARISON_ID,
        "path": path,
        "exports": [
            (
                fmt.upper(),
                reverse("codereports:round_export", kwargs={"number": round.number, "fmt": fmt}),
            )
            for fmt in EXPORT_FORMATS
        ],
        "permalink": f"{path}?{urlencode({'question': chosen, **({'country': country_filter} if country_filter else {})})}"
        if comparison
        else "",
    }
    fragment = request.htmx and request.htmx.target == COMPARISON_ID
    template = "codereports/public/includes/comparison.html" if fragment else "codereports/public/round.html"
    response = render(request, template, context, status=404 if problem else 200)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _leading() -> list[tuple[str, Any]]:
    """The columns that say whose report each row is, before its answers."""

    def cosigners(response) -> str:
        return "; ".join(organisation.name for organisation in queries.cosigners_of(response.code_report))

    return [
        ("country", lambda response: response.code_report.country.code),
        ("country_name", lambda response: _country_name(response.code_report.country.code)),
        ("organisation", lambda response: response.code_report.organisation.name),
        ("cosigners", cosigners),
        ("published_at", lambda response: response.code_report.published_at.isoformat()),
    ]


@require_safe
def round_export(request: HttpRequest, number: int, fmt: str) -> HttpResponseBase:
    from hw4all.questionnaires.exports import export_http_response

    if fmt not in EXPORT_FORMATS:
        raise Http404
    round = get_object_or_404(Round.objects.select_related("questionnaire__current_version"), number=number)
    if round.questionnaire is None or round.questionnaire.current_version is None:
        raise Http404
    return export_http_response(
        fmt=fmt,
        responses=queries.published_responses(round),
        definition=round.questionnaire.current_version.definition,
        filename=f"code-reports-round-{round.number}",
        labels=request.GET.get("labels", "1") != "0",
        language=get_language() or "en",
        leading=_leading(),
    )


@require_safe
def country(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if len(code) != 2 or code not in countries:
        raise Http404
    reports = list(queries.published_reports_of_country(code))
    by_round: dict[Round, list[Report]] = {}
    for report in reports:
        by_round.setdefault(report.round, []).append(report)
    return render(
        request,
        "codereports/public/country.html",
        {
            "code": code,
            "country_name": _country_name(code),
            "by_round": [
                (round, [(report, queries.cosigners_of(report)) for report in items])
                for round, items in by_round.items()
            ],
        },
    )
