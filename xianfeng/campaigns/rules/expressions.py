"""A small, safe expression language for rules stored in templates.

Stored text is never handed to `eval`: it is tokenized, parsed by recursive descent into an
immutable AST and evaluated by walking that tree over a mapping of inputs. The language has
numbers (`60%` is 0.6), strings, `true`/`false`, dotted names (`ballots.dissatisfied`),
`+ - * /`, comparisons, `and`/`or`/`not`, parentheses and the functions min, max, sum, count,
ratio, round, abs and if. Arithmetic is decimal so that `0.6 * 85 + 0.4 * 90` is exactly 87.

Every failure — bad syntax, an unknown name, division by zero, a wrong type — raises
ExpressionError with a Chinese message and, for syntax errors, the 1-based column.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Union

MAX_LENGTH = 2000
MAX_DEPTH = 40
FUNCTIONS = ("min", "max", "sum", "count", "ratio", "round", "abs", "if")
KEYWORDS = ("and", "or", "not", "true", "false")

_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_UP, Emax=999_999, Emin=-999_999)


class ExpressionError(ValueError):
    """A Chinese message about an expression; `column` is 1-based when the position is known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(f"第 {column} 列：{message}" if column else message)


# --- AST -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Decimal  # as written; a percent literal keeps 60 here and evaluates to 0.6
    percent: bool = False


@dataclass(frozen=True)
class String:
    value: str


@dataclass(frozen=True)
class Boolean:
    value: bool


@dataclass(frozen=True)
class Name:
    path: str


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+", "not"
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / < <= > >= == != and or
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Union[Number, String, Boolean, Name, Unary, Binary, Call]  # noqa: UP007 - used at runtime

# --- tokenizer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # number, percent, string, name, op, eof
    text: str
    column: int


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_OPERATORS = ("<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "(", ")", ",")
_FULL_WIDTH = {
    "（": "(",
    "）": ")",
    "，": ",",
    "＋": "+",
    "－": "-",
    "＊": "*",
    "／": "/",
    "％": "%",
}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        column = i + 1
        if char in " \t\r\n":
            i += 1
            continue
        if char.isascii() and (char.isdigit()):
            match = _NUMBER.match(text, i)
            assert match is not None
            end = match.end()
            if end < len(text) and text[end] == ".":
                raise ExpressionError("数字格式不正确", end + 1)
            if end < len(text) and text[end] == "%":
                tokens.append(Token("percent", match.group(), column))
                i = end + 1
            else:
                tokens.append(Token("number", match.group(), column))
                i = end
            if i < len(text) and (text[i].isascii() and (text[i].isalnum() or text[i] == "_")):
                raise ExpressionError("数字后面不能紧跟字母或数字", i + 1)
            continue
        if char.isascii() and (char.isalpha() or char == "_"):
            match = _NAME.match(text, i)
            assert match is not None
            end = match.end()
            if end < len(text) and text[end] == ".":
                raise ExpressionError("名称中的“.”后面应是字母", end + 1)
            tokens.append(Token("name", match.group(), column))
            i = end
            continue
        if char in "'\"":
            end = text.find(char, i + 1)
            if end == -1:
                raise ExpressionError("字符串缺少结束引号", column)
            tokens.append(Token("string", text[i + 1 : end], column))
            i = end + 1
            continue
        for op in _OPERATORS:
            if text.startswith(op, i):
                tokens.append(Token("op", op, column))
                i += len(op)
                break
        else:
            if char == "=":
                raise ExpressionError("相等比较请写 ==", column)
            if char in _FULL_WIDTH:
                raise ExpressionError(
                    f"请使用半角符号“{_FULL_WIDTH[char]}”代替全角“{char}”", column
                )
            if char == "%":
                raise ExpressionError("% 只能紧跟在数字后面表示百分数", column)
            raise ExpressionError(f"无法识别的字符“{char}”", column)
    tokens.append(Token("eof", "", len(text) + 1))
    return tokens


# --- parser --------------------------------------------------------------------------------------

_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.pos]

    def _at(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def _advance(self) -> Token:
        token = self.current
        self.pos += 1
        return token

    def _expect_op(self, text: str) -> None:
        if not self._at("op", text):
            raise ExpressionError(
                f"此处应为“{text}”，却是{_describe(self.current)}", self.current.column
            )
        self._advance()

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("表达式嵌套过深", self.current.column)

    def parse(self) -> Node:
        if self._at("eof"):
            raise ExpressionError("表达式为空", 1)
        node = self._or()
        if not self._at("eof"):
            raise ExpressionError(f"多余的{_describe(self.current)}", self.current.column)
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._at("name", "or"):
            self._advance()
            node = Binary("or", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._not()
        while self._at("name", "and"):
            self._advance()
            node = Binary("and", node, self._not())
        return node

    def _not(self) -> Node:
        if self._at("name", "not"):
            self._advance()
            self._enter()
            node = Unary("not", self._not())
            self.depth -= 1
            return node
        return self._comparison()

    def _comparison(self) -> Node:
        node = self._additive()
        if self.current.kind == "op" and self.current.text in _COMPARISONS:
            op = self._advance().text
            node = Binary(op, node, self._additive())
            if self.current.kind == "op" and self.current.text in _COMPARISONS:
                raise ExpressionError("比较不能连写，请用 and 连接", self.current.column)
        return node

    def _additive(self) -> Node:
        node = self._multiplicative()
        while self.current.kind == "op" and self.current.text in ("+", "-"):
            op = self._advance().text
            node = Binary(op, node, self._multiplicative())
        return node

    def _multiplicative(self) -> Node:
        node = self._unary()
        while self.current.kind == "op" and self.current.text in ("*", "/"):
            op = self._advance().text
            node = Binary(op, node, self._unary())
        return node

    def _unary(self) -> Node:
        if self.current.kind == "op" and self.current.text in ("-", "+"):
            op = self._advance().text
            self._enter()
            node = Unary(op, self._unary())
            self.depth -= 1
            return node
        return self._primary()

    def _primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self._advance()
            return Number(Decimal(token.text))
        if token.kind == "percent":
            self._advance()
            return Number(Decimal(token.text), percent=True)
        if token.kind == "string":
            self._advance()
            return String(token.text)
        if token.kind == "op" and token.text == "(":
            self._advance()
            self._enter()
            node = self._or()
            self.depth -= 1
            self._expect_op(")")
            return node
        if token.kind == "name":
            if token.text in ("true", "false"):
                self._advance()
                return Boolean(token.text == "true")
            if token.text in ("and", "or", "not"):
                raise ExpressionError(f"“{token.text}”前面缺少运算对象", token.column)
            self._advance()
            if self._at("op", "("):
                return self._call(token)
            return Name(token.text)
        if token.kind == "eof":
            raise ExpressionError("表达式不完整，结尾缺少运算对象", token.column)
        raise ExpressionError(f"此处不应出现{_describe(token)}", token.column)

    def _call(self, name: Token) -> Node:
        if name.text not in FUNCTIONS:
            raise ExpressionError(
                f"未知的函数“{name.text}”，可用的函数：{'、'.join(FUNCTIONS)}", name.column
            )
        self._advance()  # "("
        self._enter()
        args: list[Node] = []
        if not self._at("op", ")"):
            args.append(self._or())
            while self._at("op", ","):
                self._advance()
                args.append(self._or())
        self.depth -= 1
        self._expect_op(")")
        _check_arity(name.text, len(args), name.column)
        return Call(name.text, tuple(args))


_ARITY = {
    "min": (1, None),
    "max": (1, None),
    "sum": (1, None),
    "count": (1, None),
    "ratio": (2, 2),
    "round": (1, 2),
    "abs": (1, 1),
    "if": (3, 3),
}


def _check_arity(function: str, count: int, column: int) -> None:
    low, high = _ARITY[function]
    if count < low or (high is not None and count > high):
        expected = f"{low}" if low == high else (f"{low} 到 {high}" if high else f"至少 {low}")
        raise ExpressionError(f"函数 {function} 需要 {expected} 个参数，实际 {count} 个", column)


def _describe(token: Token) -> str:
    if token.kind == "eof":
        return "表达式结尾"
    if token.kind == "string":
        return f"字符串“{token.text}”"
    return f"“{token.text}”"


@lru_cache(maxsize=2048)
def parse(text: str) -> Node:
    """Parse an expression into an AST, raising ExpressionError on any problem."""
    if not isinstance(text, str):
        raise ExpressionError("表达式应为文本")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"表达式过长（超过 {MAX_LENGTH} 个字符）")
    return _Parser(tokenize(text)).parse()


# --- analysis and formatting ---------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Unary):
        yield from walk(node.operand)
    elif isinstance(node, Binary):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)


def names(node: Node | str) -> list[str]:
    """The dotted names an expression reads, in order of first appearance."""
    tree = parse(node) if isinstance(node, str) else node
    seen: dict[str, None] = {}
    for item in walk(tree):
        if isinstance(item, Name):
            seen.setdefault(item.path, None)
    return list(seen)


def format_expression(node: Node) -> str:
    """Canonical text: fully parenthesised, so parse(format_expression(n)) == n."""
    if isinstance(node, Number):
        text = format(node.value, "f")
        return f"{text}%" if node.percent else text
    if isinstance(node, String):
        quote = "'" if "'" not in node.value else '"'
        return f"{quote}{node.value}{quote}"
    if isinstance(node, Boolean):
        return "true" if node.value else "false"
    if isinstance(node, Name):
        return node.path
    if isinstance(node, Unary):
        operand = format_expression(node.operand)
        return f"(not {operand})" if node.op == "not" else f"({node.op}{operand})"
    if isinstance(node, Binary):
        return f"({format_expression(node.left)} {node.op} {format_expression(node.right)})"
    return f"{node.function}({', '.join(format_expression(arg) for arg in node.args)})"


# --- evaluation ----------------------------------------------------------------------------------

Value = Union[Decimal, bool, str, list]  # noqa: UP007 - used at runtime

_MISSING = object()


def lookup(inputs: Mapping[str, Any], path: str) -> Any:
    """Resolve a dotted name: a flat key `a.b` wins, else nested mappings `{"a": {"b": …}}`."""
    if path in inputs:
        return inputs[path]
    current: Any = inputs
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        else:
            return _MISSING
    return current


def to_value(raw: Any, label: str) -> Value:
    """Bring an input into the language's types: numbers become Decimal."""
    if isinstance(raw, bool | str | Decimal):
        if isinstance(raw, Decimal) and not raw.is_finite():
            raise ExpressionError(f"{label} 不是有限的数值")
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ExpressionError(f"{label} 不是有限的数值")
        return Decimal(str(raw))
    if isinstance(raw, list | tuple):
        return [to_value(item, label) for item in raw]
    if raw is None:
        raise ExpressionError(f"{label} 没有值")
    raise ExpressionError(f"{label} 的类型无法用于计算")


def evaluate(expression: Node | str, inputs: Mapping[str, Any]) -> Value:
    """Evaluate an expression over inputs; every failure is an ExpressionError."""
    tree = parse(expression) if isinstance(expression, str) else expression
    try:
        with decimal.localcontext(_CONTEXT):
            return _Evaluator(inputs).eval(tree)
    except ExpressionError:
        raise
    except (ArithmeticError, RecursionError) as exc:
        raise ExpressionError(f"计算出错：{_arith_message(exc)}") from None


def _arith_message(exc: BaseException) -> str:
    if isinstance(exc, decimal.DivisionByZero | ZeroDivisionError):
        return "除数为零"
    if isinstance(exc, decimal.Overflow):
        return "数值过大"
    if isinstance(exc, RecursionError):
        return "表达式嵌套过深"
    return "无效的运算"


def _number(value: Value, what: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    raise ExpressionError(f"{what}应为数值，实际是{_type_name(value)}")


def _boolean(value: Value, what: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ExpressionError(f"{what}应为真假值（比较的结果），实际是{_type_name(value)}")


def _type_name(value: Value) -> str:
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, Decimal):
        return f"数值 {value}"
    if isinstance(value, str):
        return f"文本“{value}”"
    return "列表"


class _Evaluator:
    def __init__(self, inputs: Mapping[str, Any]) -> None:
        self.inputs = inputs

    def eval(self, node: Node) -> Value:
        if isinstance(node, Number):
            return node.value / 100 if node.percent else node.value
        if isinstance(node, String | Boolean):
            return node.value
        if isinstance(node, Name):
            raw = lookup(self.inputs, node.path)
            if raw is _MISSING:
                raise ExpressionError(f"未知的名称“{node.path}”（没有提供这项输入）")
            return to_value(raw, f"输入“{node.path}”")
        if isinstance(node, Unary):
            if node.op == "not":
                return not _boolean(self.eval(node.operand), "not 的运算对象")
            operand = _number(self.eval(node.operand), f"“{node.op}”的运算对象")
            return -operand if node.op == "-" else operand
        if isinstance(node, Binary):
            return self._binary(node)
        return self._call(node)

    def _binary(self, node: Binary) -> Value:
        if node.op in ("and", "or"):
            first = _boolean(self.eval(node.left), f"{node.op} 的左边")
            if node.op == "and" and not first:
                return False
            if node.op == "or" and first:
                return True
            return _boolean(self.eval(node.right), f"{node.op} 的右边")
        left_value, right_value = self.eval(node.left), self.eval(node.right)
        if node.op in ("==", "!="):
            if type(left_value) is not type(right_value):
                raise ExpressionError(
                    f"不能比较{_type_name(left_value)}和{_type_name(right_value)}"
                )
            equal = left_value == right_value
            return equal if node.op == "==" else not equal
        left = _number(left_value, f"“{node.op}”的左边")
        right = _number(right_value, f"“{node.op}”的右边")
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        if node.op == "/":
            if right == 0:
                raise ExpressionError("除数为零")
            return left / right
        comparisons: dict[str, Callable[[Decimal, Decimal], bool]] = {
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        return comparisons[node.op](left, right)

    def _call(self, node: Call) -> Value:
        name = node.function
        if name == "if":
            condition = _boolean(self.eval(node.args[0]), "if 的第一个参数")
            return self.eval(node.args[1] if condition else node.args[2])
        values = [self.eval(arg) for arg in node.args]
        if name == "count":
            items = _spread(values)
            if all(isinstance(item, bool) for item in items):
                return Decimal(sum(1 for item in items if item))
            return Decimal(len(items))
        if name in ("min", "max", "sum"):
            numbers = [_number(item, f"{name} 的参数") for item in _spread(values)]
            if name == "sum":
                return sum(numbers, Decimal(0))
            if not numbers:
                raise ExpressionError(f"{name} 的参数为空")
            return min(numbers) if name == "min" else max(numbers)
        if name == "ratio":
            top = _number(values[0], "ratio 的第一个参数")
            bottom = _number(values[1], "ratio 的第二个参数")
            # A rate over nobody is 0, not an error: an empty branch has no dissatisfied voters.
            return Decimal(0) if bottom == 0 else top / bottom
        if name == "round":
            value = _number(values[0], "round 的第一个参数")
            places = _number(values[1], "round 的第二个参数") if len(values) > 1 else Decimal(0)
            if places != places.to_integral_value() or not 0 <= places <= 10:
                raise ExpressionError("round 的小数位数应为 0 到 10 的整数")
            return value.quantize(Decimal(1).scaleb(-int(places)))
        return abs(_number(values[0], "abs 的参数"))


def _spread(values: Sequence[Value]) -> list[Value]:
    if len(values) == 1 and isinstance(values[0], list):
        return list(values[0])
    return list(values)
