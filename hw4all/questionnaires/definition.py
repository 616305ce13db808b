"""A questionnaire version's content: sections of questions, read from and written to the JSON a
`QuestionnaireVersion` stores. Every reader (the form, the answers' validation, the analysis, the
exports, XLSForm) works on these typed objects, never on the raw JSON.

Answers are one JSON object per response, keyed by question name:

| type | answer |
| --- | --- |
| text, long_text | a string |
| integer / decimal | a JSON number |
| date | "YYYY-MM-DD" |
| yes_no | "yes", "no" or "dont_know" |
| select_one | a choice name; with `other`, "other" and the text under "<name>_other" |
| select_multiple | a list of choice names; with `other`, as above |
| country / countries | an ISO 3166-1 alpha-2 code / a list of them |
| matrix | {row name: choice name of the scale} |
| file | {"id": ResponseFile id, "name": original file name, "size": bytes} |
| repeat | a list of objects, one per block, keyed by the names of the questions inside |
| note | nothing (a text shown to the respondent) |

Texts (labels, hints, titles) are {language code: text}; `Text.get` falls back to the
questionnaire's default language.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from . import expressions

OTHER = "other"
OTHER_SUFFIX = "_other"
YES_NO_CHOICES = ("yes", "no", "dont_know")


class QuestionType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    YES_NO = "yes_no"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    COUNTRY = "country"
    COUNTRIES = "countries"
    MATRIX = "matrix"
    FILE = "file"
    REPEAT = "repeat"
    NOTE = "note"


CHOICE_TYPES = {QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE}
# Types whose answers the analysis counts (a yes/no is a choice among three).
COUNTED_TYPES = CHOICE_TYPES | {
    QuestionType.YES_NO,
    QuestionType.COUNTRY,
    QuestionType.COUNTRIES,
    QuestionType.MATRIX,
}
NUMBER_TYPES = {QuestionType.INTEGER, QuestionType.DECIMAL}


class DefinitionError(ValueError):
    """The stored JSON is not a questionnaire; the messages say what is wrong."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Text:
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, raw: Any) -> "Text":
        if isinstance(raw, str):
            return cls({"": raw}) if raw else cls()
        if isinstance(raw, dict):
            return cls({str(key): str(value) for key, value in raw.items() if value})
        return cls()

    def get(self, language: str, default_language: str = "") -> str:
        """The text in `language`, else the default language's, else any."""
        for key in (language, default_language, ""):
            if key in self.values:
                return self.values[key]
        return next(iter(self.values.values()), "")

    def __bool__(self) -> bool:
        return bool(self.values)

    def as_json(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text
    # Further columns of the choices sheet, read by choice filters (e.g. {"region": "afr"}).
    columns: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "label": self.label.as_json()}
        if self.columns:
            data["columns"] = dict(self.columns)
        return data


@dataclass
class Question:
    name: str
    type: QuestionType
    label: Text = field(default_factory=Text)
    hint: Text = field(default_factory=Text)
    required: bool = False
    relevant: str = ""
    # select_one / select_multiple: the choices and the list they come from; matrix: the scale.
    choices: list[Choice] = field(default_factory=list)
    list_name: str = ""
    other: bool = False
    choice_filter: str = ""
    # Numbers: unit and inclusive bounds; dates: bounds as "YYYY-MM-DD".
    unit: Text = field(default_factory=Text)
    minimum: float | str | None = None
    maximum: float | str | None = None
    # matrix: its rows (name + label); repeat: the questions of one block.
    rows: list[Choice] = field(default_factory=list)
    questions: list["Question"] = field(default_factory=list)
    # Free labels a using app reads (codereports: the WHO Code articles, "art-5").
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.relevant_node = _parsed(self.relevant)
        self.choice_filter_node = _parsed(self.choice_filter)

    @property
    def other_name(self) -> str:
        return f"{self.name}{OTHER_SUFFIX}"

    def choice_label(self, name: str, language: str, default_language: str = "") -> str:
        for choice in self.choices:
            if choice.name == name:
                return choice.label.get(language, default_language) or name
        return name

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Question":
        return cls(
            name=str(data["name"]),
            type=QuestionType(data["type"]),
            label=Text.of(data.get("label")),
            hint=Text.of(data.get("hint")),
            required=bool(data.get("required", False)),
            relevant=str(data.get("relevant", "")),
            choices=[_choice(item) for item in data.get("choices", [])],
            list_name=str(data.get("list_name", "")),
            other=bool(data.get("other", False)),
            choice_filter=str(data.get("choice_filter", "")),
            unit=Text.of(data.get("unit")),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            rows=[_choice(item) for item in data.get("rows", [])],
            questions=[cls.from_json(item) for item in data.get("questions", [])],
            tags=[str(tag) for tag in data.get("tags", [])],
        )

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "type": str(self.type), "label": self.label.as_json()}
        optional = {
            "hint": self.hint.as_json(),
            "required": self.required,
            "relevant": self.relevant,
            "choices": [choice.as_json() for choice in self.choices],
            "list_name": self.list_name,
            "other": self.other,
            "choice_filter": self.choice_filter,
            "unit": self.unit.as_json(),
            "minimum": self.minimum,
            "maximum": self.maximum,
            "rows": [row.as_json() for row in self.rows],
            "questions": [question.as_json() for question in self.questions],
            "tags": list(self.tags),
        }
        # A bound of 0 is kept: only absent values are left out (0 == False in Python).
        data.update(
            {
                key: value
                for key, value in optional.items()
                if value is not None and value is not False and value not in ("", [], {})
            }
        )
        return data


def _parsed(text: str) -> expressions.Node | None:
    """The tree of a condition; one that cannot be read is reported by `Definition.problems`
    (and a definition with problems is never stored), so it is taken as "always" here."""
    try:
        return expressions.parse(text)
    except expressions.ExpressionError:
        return None


def _choice(data: dict[str, Any]) -> Choice:
    return Choice(
        name=str(data["name"]),
        label=Text.of(data.get("label")),
        columns={str(key): str(value) for key, value in data.get("columns", {}).items()},
    )


@dataclass
class Section:
    name: str
    label: Text = field(default_factory=Text)
    hint: Text = field(default_factory=Text)
    relevant: str = ""
    questions: list[Question] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.relevant_node = _parsed(self.relevant)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Section":
        return cls(
            name=str(data["name"]),
            label=Text.of(data.get("label")),
            hint=Text.of(data.get("hint")),
            relevant=str(data.get("relevant", "")),
            questions=[Question.from_json(item) for item in data.get("questions", [])],
        )

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "label": self.label.as_json()}
        if self.hint:
            data["hint"] = self.hint.as_json()
        if self.relevant:
            data["relevant"] = self.relevant
        data["questions"] = [question.as_json() for question in self.questions]
        return data


@dataclass
class Definition:
    title: Text
    sections: list[Section]
    description: Text = field(default_factory=Text)
    languages: list[str] = field(default_factory=lambda: ["en"])
    default_language: str = "en"
    # XLSForm's form_id and version, kept so an exported form names itself as it was imported.
    form_id: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Definition":
        """Read stored JSON; raises DefinitionError (every problem listed) when it does not hold
        together."""
        try:
            definition = cls(
                title=Text.of(data.get("title")),
                description=Text.of(data.get("description")),
                languages=[str(language) for language in data.get("languages", ["en"])] or ["en"],
                default_language=str(data.get("default_language", "en")),
                form_id=str(data.get("form_id", "")),
                sections=[Section.from_json(item) for item in data.get("sections", [])],
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise DefinitionError([f"malformed questionnaire: {error}"]) from error
        problems = definition.problems()
        if problems:
            raise DefinitionError(problems)
        return definition

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title.as_json(),
            "languages": list(self.languages),
            "default_language": self.default_language,
            "sections": [section.as_json() for section in self.sections],
        }
        if self.description:
            data["description"] = self.description.as_json()
        if self.form_id:
            data["form_id"] = self.form_id
        return data

    def questions(self) -> Iterator[Question]:
        """Every question in reading order, those inside repeats (after their repeat) included."""
        for section in self.sections:
            for question in section.questions:
                yield question
                yield from question.questions

    def top_questions(self) -> Iterator[Question]:
        """The questions whose answers are keys of the response's answers object."""
        for section in self.sections:
            yield from section.questions

    def question(self, name: str) -> Question | None:
        return self._index().get(name)

    def section_of(self, name: str) -> Section | None:
        for section in self.sections:
            for question in section.questions:
                if question.name == name or any(inner.name == name for inner in question.questions):
                    return section
        return None

    def repeat_of(self, name: str) -> Question | None:
        """The repeat a question is inside, if any."""
        for question in self.top_questions():
            if any(inner.name == name for inner in question.questions):
                return question
        return None

    def _index(self) -> dict[str, Question]:
        if not hasattr(self, "_by_name"):
            self._by_name = {question.name: question for question in self.questions()}
        return self._by_name

    def problems(self) -> list[str]:
        """What makes this definition unusable, in words an editor can act on."""
        problems: list[str] = []
        seen: set[str] = set()
        for section in self.sections:
            if section.name in seen:
                problems.append(f"the name “{section.name}” is used twice")
            seen.add(section.name)
        for question in self.questions():
            if question.name in seen:
                problems.append(f"the name “{question.name}” is used twice")
            seen.add(question.name)
        names = set(self._index())
        for owner, text, is_filter in self._expressions():
            try:
                node = expressions.parse(text)
            except expressions.ExpressionError as error:
                problems.append(f"“{owner}”: the condition “{text}” cannot be read ({error})")
                continue
            # A bare name reads a column of the choices: in skip logic it is a forgotten ${…}, which
            # would silently never hold.
            if not is_filter:
                for column in sorted(expressions.columns(node)):
                    problems.append(
                        f"“{owner}”: the condition “{text}” names “{column}” without ${{…}}; "
                        f"write ${{{column}}} to read that answer"
                    )
            for unknown in sorted(expressions.references(node) - names):
                problems.append(
                    f"“{owner}”: the condition “{text}” refers to “{unknown}”, which is not a question"
                )
        for question in self.questions():
            if question.type in CHOICE_TYPES and not question.choices:
                problems.append(f"“{question.name}” has no choices")
            for kind, items in (("choice", question.choices), ("row", question.rows)):
                listed = [item.name for item in items]
                for name in sorted({name for name in listed if listed.count(name) > 1}):
                    problems.append(f"“{question.name}”: the {kind} “{name}” is listed twice")
            if question.type == QuestionType.MATRIX and not (question.rows and question.choices):
                problems.append(f"“{question.name}” needs rows and a scale")
            if question.type == QuestionType.REPEAT and not question.questions:
                problems.append(f"the repeated group “{question.name}” has no questions")
            if question.questions and question.type != QuestionType.REPEAT:
                problems.append(f"“{question.name}” holds questions but is not a repeated group")
            if any(inner.type == QuestionType.REPEAT for inner in question.questions):
                problems.append(
                    f"“{question.name}”: a repeated group inside a repeated group is not supported"
                )
        return problems

    def _expressions(self) -> Iterator[tuple[str, str, bool]]:
        """(owner, expression, whether it is a choice filter)."""
        for section in self.sections:
            if section.relevant:
                yield section.name, section.relevant, False
        for question in self.questions():
            if question.relevant:
                yield question.name, question.relevant, False
            if question.choice_filter:
                yield question.name, question.choice_filter, True
