"""The skip-logic language: what it reads, what it refuses (in words an editor can act on) and how
it decides, as the server and the browser both do."""

import pytest

from hw4all.questionnaires import expressions
from hw4all.questionnaires.expressions import ExpressionError, evaluate, is_true, parse, references


def value(text: str, answers: dict | None = None, **kwargs):
    return evaluate(parse(text), (answers or {}).get, **kwargs)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("${a} = 'x'", ["=", ["ref", "a"], ["str", "x"]]),
        ('${a} != "x"', ["!=", ["ref", "a"], ["str", "x"]]),
        ("${a} < 1", ["<", ["ref", "a"], ["num", 1]]),
        ("${a} <= 1.5", ["<=", ["ref", "a"], ["num", 1.5]]),
        ("${a} > 1", [">", ["ref", "a"], ["num", 1]]),
        ("${a} >= 1", [">=", ["ref", "a"], ["num", 1]]),
        ("${a} + 1", ["+", ["ref", "a"], ["num", 1]]),
        ("${a}-1", ["-", ["ref", "a"], ["num", 1]]),
        ("${a} * 2", ["*", ["ref", "a"], ["num", 2]]),
        ("${a} div 2", ["div", ["ref", "a"], ["num", 2]]),
        ("${a} mod 2", ["mod", ["ref", "a"], ["num", 2]]),
        ("-${a}", ["-", ["num", 0], ["ref", "a"]]),
        ("not(${a} = 1)", ["call", "not", ["=", ["ref", "a"], ["num", 1]]]),
        ("selected(${a}, 'b')", ["call", "selected", ["ref", "a"], ["str", "b"]]),
        ("count-selected(${a})", ["call", "count-selected", ["ref", "a"]]),
        ("string-length(.)", ["call", "string-length", ["self"]]),
        ("true()", ["call", "true"]),
        ("false()", ["call", "false"]),
        ("region = ${r}", ["=", ["col", "region"], ["ref", "r"]]),
        ("${a} = 1 and ${b} = 2", ["and", ["=", ["ref", "a"], ["num", 1]], ["=", ["ref", "b"], ["num", 2]]]),
        ("${a} or ${b}", ["or", ["ref", "a"], ["ref", "b"]]),
    ],
)
def test_every_operator_and_function_is_read(text, tree):
    assert parse(text) == tree


def test_and_binds_tighter_than_or_and_comparisons_tighter_than_and():
    assert parse("${a} = 1 or ${b} = 2 and ${c} = 3") == [
        "or",
        ["=", ["ref", "a"], ["num", 1]],
        ["and", ["=", ["ref", "b"], ["num", 2]], ["=", ["ref", "c"], ["num", 3]]],
    ]


def test_multiplication_binds_tighter_than_addition_and_parentheses_override():
    assert value("1 + 2 * 3") == 7
    assert value("(1 + 2) * 3") == 9
    assert value("10 - 4 - 3") == 3  # left to right
    assert value("7 mod 4 * 2") == 6


def test_parentheses_group_conditions():
    assert value("(${a} = 1 or ${a} = 2) and ${b} = 'y'", {"a": 2, "b": "y"}) is True
    assert value("(${a} = 1 or ${a} = 2) and ${b} = 'y'", {"a": 3, "b": "y"}) is False


def test_empty_conditions_always_hold():
    assert parse("") is None
    assert parse("   ") is None
    assert is_true(None, {}.get) is True


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("${a} = ", "ends too early"),
        ("selected(${a})", "“selected()” takes 2 argument(s), not 1"),
        ("${a} =! 'x'", "unexpected “! 'x'” at character 7"),
        ("today() > ${a}", "the function “today()” is not supported"),
        ("if(${a}, 1, 2)", "the function “if()” is not supported"),
        ("(${a} = 1", "ends too early"),
        ("${a} = 1)", "unexpected “)” after a complete expression"),
        ("${a} <> 1", "unexpected “>”"),
        ("${a} = 'x' and", "ends too early"),
        ("${} = 1", "unexpected “${} = 1” at character 1"),
        ("${a} = 'unclosed", "unexpected “'unclosed” at character 8"),
        ("not(${a}, ${b})", "“not()” takes 1 argument(s), not 2"),
        ("true(1)", "“true()” takes 0 argument(s), not 1"),
        ("${a} = 1 ${b} = 2", "unexpected “${b}”"),
    ],
)
def test_broken_formulas_are_refused_with_a_readable_message(text, words):
    with pytest.raises(ExpressionError) as raised:
        parse(text)
    assert words in str(raised.value)


def test_references_lists_the_questions_read():
    assert references(parse("${a} = 1 and (selected(${b}, 'x') or count-selected(${c}) > ${a})")) == {
        "a",
        "b",
        "c",
    }
    assert references(parse("region = 'afr'")) == set()
    assert references(None) == set()


def test_columns_lists_the_choice_columns_read():
    assert expressions.columns(parse("region = ${who_region} or income = 'low'")) == {"region", "income"}
    assert expressions.columns(parse("${a} = 1")) == set()


class TestEvaluation:
    def test_an_unanswered_question_is_empty(self):
        assert value("${a} = ''") is True
        assert value("${a} != 'x'") is True
        assert value("${a} = 'x'") is False
        assert value("string-length(${a})") == 0
        assert value("not(${a})") is True

    def test_an_unanswered_number_satisfies_no_order_comparison(self):
        assert value("${age} > 18") is False
        assert value("${age} < 18") is False
        assert value("${age} > 18", {"age": 25}) is True

    def test_numbers_compare_as_numbers_even_when_stored_as_text(self):
        assert value("${n} > 9", {"n": "10"}) is True  # as text "10" < "9"
        assert value("${n} = '10'", {"n": 10}) is True
        assert value("${n} = 2", {"n": 2.0}) is True
        assert value("${n} = 0", {"n": ""}) is False

    def test_text_compares_as_text_for_equality_only(self):
        assert value("${c} = 'yes'", {"c": "yes"}) is True
        assert value("${c} != 'yes'", {"c": "no"}) is True
        assert value("${c} < 'z'", {"c": "a"}) is False

    def test_dates_order_as_dates(self):
        assert value("${d} >= '2020-01-01'", {"d": "2024-08-31"}) is True
        assert value("${d} < '2020-01-01'", {"d": "2024-08-31"}) is False
        assert value("${d} < ${e}", {"d": "2019-12-31", "e": "2020-01-01"}) is True
        assert value("${d} > '2020-01-01'", {}) is False

    def test_selected_reads_lists_and_space_separated_text(self):
        assert value("selected(${s}, 'b')", {"s": ["a", "b"]}) is True
        assert value("selected(${s}, 'c')", {"s": ["a", "b"]}) is False
        assert value("selected(${s}, 'b')", {"s": "a b"}) is True
        assert value("selected(${s}, 'a')", {"s": "ab"}) is False
        assert value("selected(${s}, 'a')") is False

    def test_count_selected(self):
        assert value("count-selected(${s})", {"s": ["a", "b", "c"]}) == 3
        assert value("count-selected(${s})") == 0
        assert value("count-selected(${s}) >= 2", {"s": ["a", "b"]}) is True

    def test_arithmetic(self):
        answers = {"n": 10, "m": "4"}
        assert value("${n} + ${m}", answers) == 14
        assert value("${n} - ${m}", answers) == 6
        assert value("${n} * ${m}", answers) == 40
        assert value("${n} div ${m}", answers) == 2.5
        assert value("${n} mod ${m}", answers) == 2
        assert value("-${n} < 0", answers) is True

    def test_arithmetic_on_nothing_or_by_zero_gives_nothing(self):
        assert value("${n} div 0", {"n": 1}) is None
        assert value("${n} mod 0", {"n": 1}) is None
        assert value("${n} + 1") is None
        assert is_true(parse("${n} div 0 = 0"), {"n": 1}.get) is False

    def test_and_or_not_true_false(self):
        assert value("true() and false()") is False
        assert value("true() or false()") is True
        assert value("not(false())") is True
        assert is_true(parse("${z}"), {"z": 0}.get) is False
        assert is_true(parse("${z}"), {"z": "x"}.get) is True

    def test_own_answer(self):
        assert value("string-length(.) > 3", own="abcd") is True
        assert value(". >= 0 and . <= 10", own=11) is False

    def test_choice_filter_reads_the_choice_columns(self):
        node = parse("region = ${who_region}")
        columns = {"fr": {"region": "eur"}, "sn": {"region": "afr"}}
        kept = [
            name for name in columns if is_true(node, {"who_region": "afr"}.get, column=columns[name].get)
        ]
        assert kept == ["sn"]

    def test_a_column_outside_a_choice_filter_is_nothing(self):
        assert value("region = 'afr'") is False
