"""What the responses to a questionnaire say, question by question: counts and percentages of
choices, the spread of numbers and dates, the texts given; and the filtering of responses by the
choices they made, in the database (SQLite and PostgreSQL alike).

Summaries read answers as plain dicts (the stored JSON), so the same code serves the Secretariat's
results, the public results page and the Code reporting dashboards. Answers of another version
that no longer fit a question (a removed choice, text where a number is now asked) are counted
under their stored code or left out, never an error."""

import datetime
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django_countries import countries

from .definition import (
    CHOICE_TYPES,
    NUMBER_TYPES,
    OTHER,
    Definition,
    Question,
    QuestionType,
)
from .display import choice_text

TEXT_LISTED = 200
HISTOGRAM_BINS = 10
# Single-valued counted answers; the others are lists (and a matrix, a dict of rows).
SINGLE_TYPES = {QuestionType.SELECT_ONE, QuestionType.YES_NO, QuestionType.COUNTRY}
LIST_TYPES = {QuestionType.SELECT_MULTIPLE, QuestionType.COUNTRIES}
TEXT_TYPES = {QuestionType.TEXT, QuestionType.LONG_TEXT}
# A matrix row is filtered as "<matrix>/<row>".
ROW_SEPARATOR = "/"


@dataclass
class ChoiceCount:
    name: str
    label: str
    count: int
    # Of the responses that answered the question, and of all the responses counted.
    percent: float
    percent_of_all: float


@dataclass
class RowSummary:
    name: str
    label: str
    answered: int
    counts: list[ChoiceCount]


@dataclass
class Bin:
    low: float
    high: float
    count: int
    # The last bin holds its upper bound too.
    last: bool = False


@dataclass
class NumberStats:
    count: int
    minimum: float
    maximum: float
    mean: float
    median: float
    # First and third quartiles.
    q1: float
    q3: float


@dataclass
class QuestionSummary:
    question: Question
    label: str
    # "counted", "matrix", "number", "date", "text", "file" or "repeat".
    kind: str
    # The responses (or, inside a repeat, the blocks) considered, and those that answered.
    total: int
    answered: int
    counts: list[ChoiceCount] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    rows: list[RowSummary] = field(default_factory=list)
    stats: NumberStats | None = None
    histogram: list[Bin] = field(default_factory=list)
    unit: str = ""
    first_date: str = ""
    last_date: str = ""
    years: list[tuple[int, int]] = field(default_factory=list)
    # Text answers: the first TEXT_LISTED; `answered` is how many there are in all.
    texts: list[str] = field(default_factory=list)
    blocks: int = 0
    inner: list["QuestionSummary"] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.question.name

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _listed(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value if not _is_empty(item)]
    return [] if _is_empty(value) else [str(value)]


def _choice_names(question: Question) -> list[str]:
    """The choices in the order the questionnaire gives them; countries have none (any code)."""
    if question.type == QuestionType.YES_NO:
        return ["yes", "no", "dont_know"]
    if question.type in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
        return []
    names = [choice.name for choice in question.choices]
    if question.other and OTHER not in names:
        names.append(OTHER)
    return names


def _label(question: Question, name: str, language: str, default_language: str) -> str:
    if name == OTHER and question.type in CHOICE_TYPES and all(c.name != OTHER for c in question.choices):
        return _("Other")
    return choice_text(question, name, language, default_language, labels=True)


def _counts(
    question: Question, counter: Counter, answered: int, total: int, definition: Definition, language: str
) -> list[ChoiceCount]:
    known = _choice_names(question)
    # Codes not (or no longer) in the list come after the known ones, the most frequent first.
    extra = sorted((name for name in counter if name not in known), key=lambda name: (-counter[name], name))
    if question.type in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
        extra.sort(key=lambda name: (-counter[name], countries.name(name) or name))
    result = []
    for name in [*known, *extra]:
        label = _label(question, name, language, definition.default_language)
        result.append(
            ChoiceCount(
                name=name,
                label=label,
                count=counter[name],
                percent=_percent(counter[name], answered),
                percent_of_all=_percent(counter[name], total),
            )
        )
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _histogram(values: list[float], *, integers: bool) -> list[Bin]:
    low, high = min(values), max(values)
    if low == high:
        return [Bin(low=low, high=high, count=len(values), last=True)]
    count = min(HISTOGRAM_BINS, math.ceil(math.log2(len(values))) + 1)
    width = (high - low) / count
    if integers:
        width = max(1, math.ceil(width))
        count = math.ceil((high - low + 1) / width)
    bins = [0] * count
    for value in values:
        index = int((value - low) // width)
        bins[min(index, count - 1)] += 1
    if integers:
        # Integer bins read as "10–14": the upper bound is the last whole number inside.
        return [
            Bin(low=low + i * width, high=low + (i + 1) * width - 1, count=n, last=True)
            for i, n in enumerate(bins)
        ]
    return [
        Bin(low=low + i * width, high=low + (i + 1) * width, count=n, last=i == count - 1)
        for i, n in enumerate(bins)
    ]


def _number_summary(summary: QuestionSummary, values: list[float]) -> None:
    summary.answered = len(values)
    if not values:
        return
    if len(values) > 1:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = median = q3 = values[0]
    summary.stats = NumberStats(
        count=len(values),
        minimum=min(values),
        maximum=max(values),
        mean=statistics.fmean(values),
        median=median,
        q1=q1,
        q3=q3,
    )
    integers = summary.question.type == QuestionType.INTEGER and all(float(v).is_integer() for v in values)
    summary.histogram = _histogram(values, integers=integers)


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


class _Tally:
    """One question's summary, built one answers object (a response's, or a repeat block's) at a
    time: the answers are read once, in a stream, and never all held in memory (only the
    numbers and dates, and the first TEXT_LISTED texts)."""

    def __init__(self, definition: Definition, question: Question, language: str):
        self.definition = definition
        self.question = question
        self.language = language
        self.answered = 0
        self.counter: Counter = Counter()
        self.rows: dict[str, Counter] = {row.name: Counter() for row in question.rows}
        self.values: list[float] = []
        self.dates: list[str] = []
        self.texts: list[str] = []
        self.others: list[str] = []
        self.blocks = 0
        self.inner = [
            _Tally(definition, inner, language)
            for inner in question.questions
            if inner.type != QuestionType.NOTE
        ]

        kind = question.type
        self.name = question.name
        # The adder fitting the question's type, chosen once: rows are counted in a plain loop.
        if kind in SINGLE_TYPES or kind in LIST_TYPES:
            self.add = self._add_choice
        elif kind == QuestionType.MATRIX:
            self.add = self._add_matrix
        elif kind in NUMBER_TYPES:
            self.add = self._add_number
        elif kind == QuestionType.DATE:
            self.add = self._add_date
        elif kind in TEXT_TYPES:
            self.add = self._add_text
        elif kind == QuestionType.FILE:
            self.add = self._add_file
        elif kind == QuestionType.REPEAT:
            self.add = self._add_repeat
        else:
            self.add = self._add_nothing

    def _add_choice(self, value: Any, answers: dict) -> None:
        chosen = _listed(value)
        if not chosen:
            return
        self.answered += 1
        if self.question.type in LIST_TYPES:
            # A stored list is read as a set: a code given twice counts once.
            self.counter.update(dict.fromkeys(chosen, 1))
        else:
            self.counter[chosen[0]] += 1
        if self.question.other and OTHER in chosen:
            other = str(answers.get(self.question.other_name) or "").strip()
            if other:
                self.others.append(other)

    def _add_matrix(self, value: Any, answers: dict) -> None:
        if not isinstance(value, dict):
            return
        self.answered += 1
        for row, counter in self.rows.items():
            chosen = value.get(row)
            if not _is_empty(chosen):
                counter[str(chosen)] += 1

    def _add_number(self, value: Any, answers: dict) -> None:
        number = _number(value)
        if number is not None:
            self.values.append(number)

    def _add_date(self, value: Any, answers: dict) -> None:
        date = _date(value)
        if date is not None:
            self.dates.append(date)

    def _add_text(self, value: Any, answers: dict) -> None:
        text = str(value).strip()
        if text:
            self.answered += 1
            if len(self.texts) < TEXT_LISTED:
                self.texts.append(text)

    def _add_file(self, value: Any, answers: dict) -> None:
        self.answered += isinstance(value, dict)

    def _add_repeat(self, value: Any, answers: dict) -> None:
        if not isinstance(value, list):
            return
        self.answered += 1
        for block in value:
            if isinstance(block, dict):
                self.blocks += 1
                _feed(self.inner, block)

    def _add_nothing(self, value: Any, answers: dict) -> None:
        pass

    def summary(self, total: int) -> QuestionSummary:
        definition, question, language = self.definition, self.question, self.language
        default = definition.default_language
        kind = question.type
        summary = QuestionSummary(
            question=question,
            label=question.label.get(language, default) or question.name,
            kind="counted",
            total=total,
            answered=self.answered,
        )
        if kind in SINGLE_TYPES or kind in LIST_TYPES:
            summary.counts = _counts(question, self.counter, self.answered, total, definition, language)
            summary.others = self.others[:TEXT_LISTED]
        elif kind == QuestionType.MATRIX:
            summary.kind = "matrix"
            for row in question.rows:
                counter = self.rows[row.name]
                answered = sum(counter.values())
                summary.rows.append(
                    RowSummary(
                        name=row.name,
                        label=row.label.get(language, default) or row.name,
                        answered=answered,
                        counts=_counts(question, counter, answered, total, definition, language),
                    )
                )
        elif kind in NUMBER_TYPES:
            summary.kind = "number"
            summary.unit = question.unit.get(language, default)
            _number_summary(summary, self.values)
        elif kind == QuestionType.DATE:
            summary.kind = "date"
            summary.answered = len(self.dates)
            if self.dates:
                summary.first_date, summary.last_date = min(self.dates), max(self.dates)
                summary.years = sorted(Counter(int(d[:4]) for d in self.dates).items())
        elif kind in TEXT_TYPES:
            summary.kind = "text"
            summary.texts = self.texts
        elif kind == QuestionType.FILE:
            summary.kind = "file"
        elif kind == QuestionType.REPEAT:
            summary.kind = "repeat"
            summary.blocks = self.blocks
            summary.inner = [inner.summary(self.blocks) for inner in self.inner]
        return summary


def question_summaries(
    definition: Definition, answers: Iterable[dict], *, language: str
) -> list[QuestionSummary]:
    """One summary per question of `definition` (notes aside, repeats holding their inner
    questions' summaries across all their blocks), in reading order. `answers` is read once,
    as a stream."""
    tallies = [
        _Tally(definition, question, language)
        for question in definition.top_questions()
        if question.type != QuestionType.NOTE
    ]
    total = 0
    for answer in answers:
        total += 1
        if isinstance(answer, dict):
            _feed(tallies, answer)
    return [tally.summary(total) for tally in tallies]


def _feed(tallies: list[_Tally], answers: dict) -> None:
    for tally in tallies:
        value = answers.get(tally.name)
        if value is None or value == "" or value == [] or value == {}:
            continue
        tally.add(value, answers)


# Filters.


@dataclass(frozen=True)
class FilterField:
    """A question (or a matrix's row) responses can be filtered by, with its choices."""

    key: str
    label: str
    choices: list[tuple[str, str]]


def filter_fields(definition: Definition, *, language: str) -> list[FilterField]:
    """Every single or multiple choice of the questionnaire (matrix rows included), in reading
    order, for the results' filter form. Questions inside repeats are not filters: a response
    holds several blocks."""
    default = definition.default_language
    fields: list[FilterField] = []
    for question in definition.top_questions():
        label = question.label.get(language, default) or question.name
        if question.type in SINGLE_TYPES or question.type in LIST_TYPES:
            names = _choice_names(question)
            if not names:
                names = [code for code, _name in countries]
            fields.append(
                FilterField(
                    key=question.name,
                    label=label,
                    choices=[(name, _label(question, name, language, default)) for name in names],
                )
            )
        elif question.type == QuestionType.MATRIX:
            scale = [(name, _label(question, name, language, default)) for name in _choice_names(question)]
            for row in question.rows:
                fields.append(
                    FilterField(
                        key=f"{question.name}{ROW_SEPARATOR}{row.name}",
                        label=f"{label}: {row.label.get(language, default) or row.name}",
                        choices=scale,
                    )
                )
    return fields


def valid_filters(definition: Definition, filters: dict[str, str]) -> dict[str, str]:
    """The filters that name a filterable question and a non-empty choice; others are dropped
    (a link from an older version, a hand-edited address)."""
    result = {}
    for key, choice in filters.items():
        if not choice or not isinstance(choice, str):
            continue
        name, _sep, row = key.partition(ROW_SEPARATOR)
        question = definition.question(name)
        if question is None or definition.repeat_of(name) is not None:
            continue
        if row:
            if question.type == QuestionType.MATRIX and any(r.name == row for r in question.rows):
                result[key] = choice
        elif question.type in SINGLE_TYPES or question.type in LIST_TYPES:
            result[key] = choice
    return result


def _path(*keys: str) -> str:
    """A JSON path for SQLite, each key quoted so names with dots or dashes are read whole."""
    return "$" + "".join('."{}"'.format(key.replace('"', "")) for key in keys)


def _answered(responses: QuerySet, keys: tuple[str, ...], choice: str, *, in_list: bool) -> QuerySet:
    """Responses whose answer at `keys` (a question, or a matrix and its row) is `choice`, or
    with `in_list`, is a list holding `choice`."""
    if connections[responses.db].vendor == "postgresql":
        # jsonb containment: {"q": "a"} matches the answer "a", {"q": ["a"]} a list holding "a".
        wanted: Any = [choice] if in_list else choice
        for key in reversed(keys):
            wanted = {key: wanted}
        return responses.filter(answers__contains=wanted)
    table = responses.model._meta.db_table
    if in_list:
        sql = f'EXISTS (SELECT 1 FROM json_each("{table}"."answers", %s) WHERE json_each.value = %s)'  # noqa: S608
    else:
        sql = f'json_extract("{table}"."answers", %s) = %s'  # noqa: S608
    # The table name comes from the model and every value is a parameter.
    condition = RawSQL(sql, (_path(*keys), choice), output_field=BooleanField())  # noqa: S611
    return responses.filter(condition)


def filter_responses(responses: QuerySet, definition: Definition, filters: dict[str, str]) -> QuerySet:
    """The responses that gave every choice in `filters` ({question name: choice name}; a matrix
    row as "<matrix>/<row>"). Several filters combine with AND; unknown ones are ignored. Works
    in the database on SQLite (JSON1) and PostgreSQL (jsonb)."""
    for key, choice in valid_filters(definition, filters).items():
        name, _sep, row = key.partition(ROW_SEPARATOR)
        question = definition.question(name)
        if question is None:
            continue
        keys = (name, row) if row else (name,)
        responses = _answered(responses, keys, choice, in_list=not row and question.type in LIST_TYPES)
    return responses


def answers_of(responses: QuerySet, chunk_size: int = 2000) -> Iterator[dict]:
    """The answers of `responses`, read in chunks without building model instances."""
    return responses.values_list("answers", flat=True).iterator(chunk_size=chunk_size)
