import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.campaigns.rules import expressions as ex
from xianfeng.campaigns.rules.expressions import (
    ExpressionError,
    evaluate,
    format_expression,
    names,
    parse,
)

CJK = re.compile(r"[\u4e00-\u9fff]")

INPUTS = {
    "ballots": {"total": 20, "dissatisfied": 11, "satisfied": 6},
    "study.hours": 42.5,
    "discipline": {"sanctioned": False},
    "evaluation": {"grade": "excellent"},
    "scores": [80, 90, 100],
    "flags": [True, False, True],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", Decimal(7)),
        ("(1 + 2) * 3", Decimal(9)),
        ("10 - 4 - 3", Decimal(3)),
        ("12 / 4 / 3", Decimal(1)),
        ("-3 + 5", Decimal(2)),
        ("--3", Decimal(3)),
        ("60%", Decimal("0.6")),
        ("0.6 * 85 + 0.4 * 90", Decimal(87)),
        ("0.1 + 0.2 == 0.3", True),
        ("ballots.dissatisfied / ballots.total > 50%", True),
        ("ballots.satisfied / ballots.total >= 30%", True),
        ("study.hours >= 40 and not discipline.sanctioned", True),
        ("study.hours < 40 or discipline.sanctioned", False),
        ("not not true", True),
        ("evaluation.grade == 'excellent'", True),
        ('evaluation.grade != "qualified"', True),
        ("min(3, 1, 2)", Decimal(1)),
        ("max(scores)", Decimal(100)),
        ("sum(scores) / count(scores)", Decimal(90)),
        ("count(flags)", Decimal(2)),
        ("count(true, false, 1 > 0)", Decimal(2)),
        ("ratio(3, 4)", Decimal("0.75")),
        ("ratio(3, 0)", Decimal(0)),
        ("round(2 / 3, 2)", Decimal("0.67")),
        ("round(2.5)", Decimal(3)),
        ("abs(-4)", Decimal(4)),
        ("if(study.hours >= 40, 10, 0)", Decimal(10)),
        ("if(false, 1 / 0, 5)", Decimal(5)),
        ("false and 1 / 0 > 1", False),
        ("true or 1 / 0 > 1", True),
        ("3 <= 3", True),
    ],
)
def test_evaluates(text, expected):
    assert evaluate(text, INPUTS) == expected


def test_percent_literal_keeps_written_value():
    assert parse("60%") == ex.Number(Decimal(60), percent=True)
    assert format_expression(parse("60%")) == "60%"


def test_precedence_tree():
    assert parse("a or b and not c") == ex.Binary(
        "or", ex.Name("a"), ex.Binary("and", ex.Name("b"), ex.Unary("not", ex.Name("c")))
    )
    assert parse("1 + 2 * 3 > 4") == ex.Binary(
        ">",
        ex.Binary(
            "+", ex.Number(Decimal(1)), ex.Binary("*", ex.Number(Decimal(2)), ex.Number(Decimal(3)))
        ),
        ex.Number(Decimal(4)),
    )


def test_names_in_order():
    assert names("ballots.dissatisfied / ballots.total > 50% and ballots.total > 10") == [
        "ballots.dissatisfied",
        "ballots.total",
    ]


def test_flat_keys_and_nested_inputs_both_resolve():
    assert evaluate("a.b + c.d", {"a.b": 1, "c": {"d": 2}}) == Decimal(3)


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("", 1, "表达式为空"),
        ("1 +", 4, "结尾缺少运算对象"),
        ("(1 + 2", 7, "应为“)”"),
        ("1 + 2)", 6, "多余"),
        ("a = 1", 3, "=="),
        ("1 < 2 < 3", 7, "不能连写"),
        ("foo(1)", 1, "未知的函数"),
        ("ratio(1)", 1, "需要 2 个参数"),
        ("if(true, 1)", 1, "需要 3 个参数"),
        ("round(1, 2, 3)", 1, "1 到 2"),
        ("min()", 1, "至少 1"),
        ("1 ＋ 2", 3, "半角"),
        ("5 % 2", 3, "百分数"),
        ("'abc", 1, "引号"),
        ("3abc", 2, "紧跟"),
        ("1.2.3", 4, "数字格式"),
        ("a. b", 2, "“.”后面"),
        ("and 1", 1, "缺少运算对象"),
        ("1 2", 3, "多余"),
        ("#", 1, "无法识别"),
        ("*3", 1, "不应出现"),
    ],
)
def test_syntax_errors_name_the_column(text, column, fragment):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.column == column
    assert fragment in caught.value.message
    assert str(caught.value).startswith(f"第 {column} 列：")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("missing.name > 1", "未知的名称“missing.name”"),
        ("1 / 0", "除数为零"),
        ("1 / (ballots.total - 20)", "除数为零"),
        ("1 + true", "应为数值"),
        ("not 1", "应为真假值"),
        ("1 and true", "应为真假值"),
        ("evaluation.grade > 1", "应为数值"),
        ("evaluation.grade == 1", "不能比较"),
        ("min(scores, evaluation.grade)", "应为数值"),
        ("round(1, 0.5)", "小数位数"),
        ("if(1, 2, 3)", "应为真假值"),
        ("none_value + 1", "没有值"),
        ("bad_value + 1", "类型无法用于计算"),
        ("huge * huge * huge", "数值过大"),
    ],
)
def test_evaluation_errors_are_expression_errors(text, fragment):
    inputs = {**INPUTS, "none_value": None, "bad_value": object(), "huge": Decimal("1E+400000")}
    with pytest.raises(ExpressionError) as caught:
        evaluate(text, inputs)
    assert fragment in str(caught.value)
    assert CJK.search(str(caught.value))


def test_limits():
    with pytest.raises(ExpressionError, match="嵌套过深"):
        parse("(" * 100 + "1" + ")" * 100)
    with pytest.raises(ExpressionError, match="嵌套过深"):
        parse("-" * 100 + "1")
    with pytest.raises(ExpressionError, match="过长"):
        parse("1 + " * 600 + "1")


def test_float_inputs_are_exact_decimals():
    assert evaluate("x * 3", {"x": 0.1}) == Decimal("0.3")
    with pytest.raises(ExpressionError, match="有限"):
        evaluate("x", {"x": float("nan")})


# --- property tests --------------------------------------------------------------------------------


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_only_raises_expression_error(text):
    try:
        tree = parse(text)
    except ExpressionError as exc:
        assert CJK.search(str(exc))
        return
    try:
        evaluate(tree, INPUTS)
    except ExpressionError as exc:
        assert CJK.search(str(exc))


ALPHABET = "abc.+-*/()<>=!%,'\" 0123456789 andornotruefalseminmaxcountratioifround"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_expression_like_text_only_raises_expression_error(text):
    try:
        evaluate(text, INPUTS)
    except ExpressionError:
        pass


identifier = st.from_regex(
    r"[a-z_][a-z0-9_]{0,6}(\.[a-z_][a-z0-9_]{0,6}){0,2}", fullmatch=True
).filter(lambda n: not any(part in ex.KEYWORDS for part in n.split(".")))
numbers = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
leaves = st.one_of(
    st.builds(ex.Number, numbers, st.booleans()),
    st.builds(ex.String, st.text(alphabet="abc中文 _", max_size=6)),
    st.builds(ex.Boolean, st.booleans()),
    st.builds(ex.Name, identifier),
)


def _extend(children):
    return st.one_of(
        st.builds(ex.Unary, st.sampled_from(["-", "+", "not"]), children),
        st.builds(
            ex.Binary,
            st.sampled_from(["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"]),
            children,
            children,
        ),
        st.builds(
            ex.Call,
            st.sampled_from(["min", "max", "sum", "count"]),
            st.lists(children, min_size=1, max_size=3).map(tuple),
        ),
        st.builds(ex.Call, st.just("ratio"), st.tuples(children, children)),
        st.builds(ex.Call, st.just("if"), st.tuples(children, children, children)),
        st.builds(ex.Call, st.just("abs"), st.tuples(children)),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(trees)
def test_round_trip_of_generated_expressions(tree):
    text = format_expression(tree)
    try:
        parsed = parse(text)
    except ExpressionError as exc:
        # Only the size limits may refuse a well-formed tree.
        assert "过深" in exc.message or "过长" in exc.message
        return
    assert parsed == tree
    assert format_expression(parsed) == text


@settings(max_examples=150, deadline=None)
@given(
    trees,
    st.dictionaries(
        identifier, st.one_of(st.integers(-5, 5), st.booleans(), st.text(max_size=3)), max_size=5
    ),
)
def test_generated_expressions_evaluate_or_fail_cleanly(tree, inputs):
    try:
        value = evaluate(tree, inputs)
    except ExpressionError as exc:
        assert CJK.search(str(exc))
        return
    assert isinstance(value, Decimal | bool | str | list)
