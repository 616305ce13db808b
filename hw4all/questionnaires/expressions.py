"""The part of XLSForm's XPath expressions that skip logic and choice filters use, parsed once into
a small tree of JSON lists that the server evaluates here and the browser evaluates in
questionnaires.js, so both decide alike.

Grammar: `or`, `and`, comparisons (= != < <= > >=), `+ - * div mod`, `not(x)`, `selected(x, 'v')`,
`count-selected(x)`, `string-length(x)`, `true()`, `false()`, `${name}` (an answer), `.` (the
question's own answer), a bare name (a column of the choice, in choice filters), strings and
numbers. Nodes: ["ref", name], ["self"], ["col", name], ["str", s], ["num", n],
["call", fn, args...], [op, left, right] and ["and"|"or", left, right].
"""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

Node = list[Any]
FUNCTIONS = {"not": 1, "selected": 2, "count-selected": 1, "string-length": 1, "true": 0, "false": 0}
COMPARISONS = ("=", "!=", "<=", ">=", "<", ">")
ARITHMETIC = ("+", "-", "*", "div", "mod")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<refname>[A-Za-z_][\w.-]*)\})
      | (?P<num>\d+(?:\.\d+)?)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<name>[A-Za-z_][\w.-]*)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """The expression cannot be read; the message says where."""


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            # Point at the offending character, not at the spaces before it.
            start = len(text) - len(text[position:].lstrip())
            raise ExpressionError(f"unexpected “{text[start : start + 12]}” at character {start + 1}")
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        value = match.group("refname") if kind == "ref" else match.group(kind)
        tokens.append((kind, value))
        position = match.end()
    return tokens


def _shown(token: tuple[str, str]) -> str:
    """A token as the editor wrote it, for messages."""
    kind, value = token
    return f"${{{value}}}" if kind == "ref" else value


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early")
        self.position += 1
        return token

    def expect(self, value: str) -> None:
        token = self.take()
        if token[1] != value:
            raise ExpressionError(f"expected “{value}”, found “{_shown(token)}”")

    def at_word(self, *words: str) -> str | None:
        token = self.peek()
        if token and token[0] in ("name", "op") and token[1] in words:
            # `and`, `or`, `div` and `mod` are words, not function calls, when nothing opens after them.
            return token[1]
        return None

    def parse(self) -> Node:
        node = self.disjunction()
        following = self.peek()
        if following is not None:
            raise ExpressionError(f"unexpected “{_shown(following)}” after a complete expression")
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.at_word("or"):
            self.take()
            node = ["or", node, self.conjunction()]
        return node

    def conjunction(self) -> Node:
        node = self.comparison()
        while self.at_word("and"):
            self.take()
            node = ["and", node, self.comparison()]
        return node

    def comparison(self) -> Node:
        node = self.additive()
        while (operator := self.at_word(*COMPARISONS)) is not None:
            self.take()
            node = [operator, node, self.additive()]
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while (operator := self.at_word("+", "-")) is not None:
            self.take()
            node = [operator, node, self.multiplicative()]
        return node

    def multiplicative(self) -> Node:
        node = self.primary()
        while (operator := self.at_word("*", "div", "mod")) is not None:
            self.take()
            node = [operator, node, self.primary()]
        return node

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "ref":
            return ["ref", value]
        if kind == "dot":
            return ["self"]
        if kind == "num":
            return ["num", float(value) if "." in value else int(value)]
        if kind == "str":
            return ["str", value[1:-1]]
        if kind == "op" and value == "(":
            node = self.disjunction()
            self.expect(")")
            return node
        if kind == "op" and value == "-":
            return ["-", ["num", 0], self.primary()]
        if kind == "name":
            following = self.peek()
            if following == ("op", "("):
                return self.call(value)
            return ["col", value]
        raise ExpressionError(f"unexpected “{_shown((kind, value))}”")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"the function “{name}()” is not supported")
        self.expect("(")
        arguments: list[Node] = []
        if self.peek() != ("op", ")"):
            arguments.append(self.disjunction())
            while self.peek() == ("op", ","):
                self.take()
                arguments.append(self.disjunction())
        self.expect(")")
        if len(arguments) != FUNCTIONS[name]:
            raise ExpressionError(f"“{name}()” takes {FUNCTIONS[name]} argument(s), not {len(arguments)}")
        return ["call", name, *arguments]


def parse(text: str) -> Node | None:
    """The tree of `text`, or None for an empty expression (always true)."""
    if not text or not text.strip():
        return None
    return _Parser(text).parse()


def references(node: Node | None) -> set[str]:
    """The question names `${…}` the expression reads."""
    if node is None:
        return set()
    if node[0] == "ref":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, list):
            found |= references(part)
    return found


def columns(node: Node | None) -> set[str]:
    """The choice columns (bare names) the expression reads; only choice filters have them."""
    if node is None:
        return set()
    if node[0] == "col":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, list):
            found |= columns(part)
    return found


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value != 0
    return bool(value)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _compare(operator: str, left: Any, right: Any) -> bool:
    # XPath compares as numbers when both sides read as numbers, otherwise as text; an unanswered
    # question is the empty string, so `${age} > 18` is false until it is answered. Two ISO dates
    # order as their text does, so `${start} >= '2020-01-01'` works as a date comparison.
    left_number, right_number = _number(left), _number(right)
    a: Any
    b: Any
    if left_number is not None and right_number is not None:
        a, b = left_number, right_number
    elif operator in ("=", "!=") or (_ISO_DATE.match(_text(left)) and _ISO_DATE.match(_text(right))):
        a, b = _text(left), _text(right)
    else:
        return False
    return {
        "=": a == b,
        "!=": a != b,
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
    }[operator]


def evaluate(
    node: Node | None,
    answer: Callable[[str], Any],
    *,
    own: Any = None,
    column: Callable[[str], Any] | None = None,
) -> Any:
    """The value of `node`: `answer(name)` gives an answer (None when unanswered), `own` the
    question's own answer for `.`, `column(name)` a choice's column in a choice filter."""
    if node is None:
        return True
    kind = node[0]
    if kind == "ref":
        return answer(node[1])
    if kind == "self":
        return own
    if kind == "col":
        return column(node[1]) if column is not None else None
    if kind in ("str", "num"):
        return node[1]
    if kind == "and":
        return _truth(evaluate(node[1], answer, own=own, column=column)) and _truth(
            evaluate(node[2], answer, own=own, column=column)
        )
    if kind == "or":
        return _truth(evaluate(node[1], answer, own=own, column=column)) or _truth(
            evaluate(node[2], answer, own=own, column=column)
        )
    if kind == "call":
        name, arguments = node[1], [evaluate(part, answer, own=own, column=column) for part in node[2:]]
        if name == "not":
            return not _truth(arguments[0])
        if name == "selected":
            chosen = arguments[0] if isinstance(arguments[0], list) else _text(arguments[0]).split()
            return _text(arguments[1]) in [_text(item) for item in chosen]
        if name == "count-selected":
            chosen = arguments[0] if isinstance(arguments[0], list) else _text(arguments[0]).split()
            return len(chosen)
        if name == "string-length":
            return len(_text(arguments[0]))
        return name == "true"
    left = evaluate(node[1], answer, own=own, column=column)
    right = evaluate(node[2], answer, own=own, column=column)
    if kind in COMPARISONS:
        return _compare(kind, left, right)
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return None
    if kind in ("div", "mod") and b == 0:
        return None
    return {"+": a + b, "-": a - b, "*": a * b, "div": a / b if b else None, "mod": a % b if b else None}[
        kind
    ]


def is_true(node: Node | None, answer: Callable[[str], Any], **kwargs: Any) -> bool:
    return _truth(evaluate(node, answer, **kwargs))
