"""Load, check and export campaign templates.

`load_template` refuses a template whole: it collects every problem — YAML syntax, structure
(translated from pydantic into Chinese with paths like `phases[2].tasks[0].due`), then cross
references and dates — and raises one TemplateError listing them all. Nothing is returned half
valid. `dump_template` writes YAML that loads back to an equal template.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from pydantic import ValidationError

from xianfeng.campaigns.templating import schema as s
from xianfeng.campaigns.templating.checks import check_template

MAX_TEMPLATE_BYTES = 512 * 1024

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class TemplateIssue:
    """One problem: where (`phases[2].tasks[0].due`), what (in Chinese) and the YAML line."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "模板"
        suffix = f"（第 {self.line} 行）" if self.line else ""
        return f"{where}：{self.message}{suffix}"


class TemplateError(ValueError):
    """A template was refused; `errors` lists every problem found."""

    def __init__(self, errors: list[TemplateIssue]) -> None:
        self.errors = errors
        lines = "\n".join(f"- {issue}" for issue in errors)
        super().__init__(f"模板有 {len(errors)} 处错误：\n{lines}")


# --- paths ---------------------------------------------------------------------------------------


def format_path(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _clean_loc(loc: Loc) -> Loc:
    """Drop the tag pydantic inserts for a discriminated union (`rules[3].threshold.x`)."""
    cleaned: list[str | int] = []
    for i, part in enumerate(loc):
        if (
            isinstance(part, str)
            and part in s.RULE_KINDS
            and i >= 2
            and isinstance(loc[i - 1], int)
            and loc[i - 2] == "rules"
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


# --- YAML ----------------------------------------------------------------------------------------


# libyaml is several times faster than the pure-Python parser; both build the same nodes.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe loader: builds dates and numbers but knows nothing of Python objects."""


def _read_yaml(text: str) -> tuple[Any, dict[Loc, int], list[TemplateIssue]]:
    """Parse YAML into plain data plus a map from each path to its line number."""
    issues: list[TemplateIssue] = []
    lines: dict[Loc, int] = {}
    too_deep = _nesting_issue(text)
    if too_deep is not None:
        return None, lines, [too_deep]
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        return None, lines, [_reader_issue(text, exc)]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, issues
        _index(node, (), lines, issues, set())
        if issues:
            return None, lines, issues
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        where = f"第 {line} 行第 {column} 列" if mark else "未知位置"
        problem = exc.problem or exc.context or "无法解析"
        issues.append(TemplateIssue("", f"YAML 格式错误（{where}）：{problem}", line))
        return None, lines, issues
    except yaml.reader.ReaderError as exc:
        issues.append(_reader_issue(text, exc))
        return None, lines, issues
    except yaml.YAMLError:
        issues.append(TemplateIssue("", "YAML 格式错误，无法解析"))
        return None, lines, issues
    except RecursionError:
        issues.append(TemplateIssue("", "YAML 嵌套层次过深"))
        return None, lines, issues
    finally:
        loader.dispose()
    return data, lines, issues


MAX_NESTING = 64


def _nesting_issue(text: str) -> TemplateIssue | None:
    """Refuse absurd nesting before composing: libyaml's composer recurses without a limit."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    return TemplateIssue("", f"YAML 嵌套层次过深（超过 {MAX_NESTING} 层）", line)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # reported with its position by the full parse
    return None


def _reader_issue(text: str, exc: yaml.reader.ReaderError) -> TemplateIssue:
    line = text.count("\n", 0, max(exc.position, 0)) + 1
    return TemplateIssue("", f"包含不允许的控制字符（U+{exc.character:04X}，第 {line} 行）", line)


def _index(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], issues: list[TemplateIssue], seen: set[int]
) -> None:
    # Aliases make one node appear twice; they are refused because a template is a document
    # people read and edit, and because shared nodes let a tiny file expand enormously.
    if id(node) in seen:
        issues.append(
            TemplateIssue(
                format_path(loc),
                "不支持 YAML 锚点与别名（& 和 *），请直接写出内容",
                node.start_mark.line + 1,
            )
        )
        return
    seen.add(id(node))
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                issues.append(
                    TemplateIssue(format_path(loc), "字段名应为文本", key_node.start_mark.line + 1)
                )
                continue
            line = key_node.start_mark.line + 1
            if key in keys:
                issues.append(
                    TemplateIssue(
                        format_path((*loc, key)),
                        f"字段重复（第 {keys[key]} 行已经出现过）",
                        line,
                    )
                )
            keys[key] = line
            lines[(*loc, key)] = line
            _index(value_node, (*loc, key), lines, issues, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), lines, issues, seen)


def _line_for(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


# --- pydantic errors in Chinese ------------------------------------------------------------------

_TYPE_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的字段",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数值",
    "float_parsing": "应为数值",
    "decimal_type": "应为数值",
    "decimal_parsing": "应为数值",
    "finite_number": "应为有限的数值",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "tuple_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为键值结构（字段: 值）",
    "model_type": "应为键值结构（字段: 值）",
    "model_attributes_type": "应为键值结构（字段: 值）",
    "date_type": "应为日期，如 2010-06-15",
    "date_parsing": "应为日期，如 2010-06-15",
    "date_from_datetime_parsing": "应为日期，如 2010-06-15",
    "date_from_datetime_inexact": "应为日期，不能带时间",
    "string_pattern_mismatch": "标识只能由小写英文字母、数字和下划线组成，并以字母开头（如 theory_star）",
    "union_tag_not_found": "缺少规则类型 kind",
}


def _options(expected: str) -> str:
    found = re.findall(r"'([^']*)'", expected)
    return "、".join(found) if found else expected


def _translate(error: Any) -> tuple[Loc, str]:
    kind = error["type"]
    loc: Loc = _clean_loc(tuple(error["loc"]))
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        return loc, f"取值应为 {_options(str(ctx.get('expected', '')))} 之一"
    if kind == "union_tag_invalid":
        return (*loc, "kind"), (
            f"未知的规则类型“{ctx.get('tag')}”，应为 {_options(str(ctx.get('expected_tags', '')))} 之一"
        )
    if kind == "union_tag_not_found":
        return (*loc, "kind"), _TYPE_MESSAGES[kind]
    if kind == "string_too_long":
        return loc, f"过长（最多 {ctx.get('max_length')} 个字符）"
    if kind == "too_short":
        return loc, f"至少需要 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return loc, f"最多 {ctx.get('max_length')} 项"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": ("不能小于", "ge"),
            "greater_than": ("应大于", "gt"),
            "less_than_equal": ("不能大于", "le"),
            "less_than": ("应小于", "lt"),
        }[kind]
        return loc, f"{words[0]} {ctx.get(words[1])}"
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        base = _TYPE_MESSAGES.get(kind, "格式不正确")
        return loc, f"键名{base}"
    if kind in _TYPE_MESSAGES:
        return loc, _TYPE_MESSAGES[kind]
    message = str(error.get("msg", ""))
    if re.search(r"[\u4e00-\u9fff]", message):
        return loc, message
    return loc, f"内容不正确（{kind}）"


# --- public API ----------------------------------------------------------------------------------


def load_template(text: str) -> s.CampaignTemplate:
    """Parse and check a template; raise TemplateError listing every problem."""
    if not isinstance(text, str):
        raise TemplateError([TemplateIssue("", "模板内容应为文本")])
    if len(text.encode("utf-8", errors="replace")) > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            [TemplateIssue("", f"模板过大（超过 {MAX_TEMPLATE_BYTES // 1024} KB）")]
        )
    data, lines, issues = _read_yaml(text)
    if issues:
        raise TemplateError(issues)
    if data is None:
        raise TemplateError([TemplateIssue("", "模板为空")])
    if not isinstance(data, dict):
        raise TemplateError(
            [TemplateIssue("", "模板顶层应为键值结构（slug: …、name: … 等字段）", 1)]
        )
    try:
        template = s.CampaignTemplate.model_validate(data)
    except ValidationError as exc:
        found = []
        for error in exc.errors(include_url=False):
            loc, message = _translate(error)
            found.append(TemplateIssue(format_path(loc), message, _line_for(loc, lines)))
        raise TemplateError(_unique(found)) from None
    except RecursionError:
        raise TemplateError([TemplateIssue("", "模板嵌套层次过深")]) from None
    problems = check_template(template)
    if problems:
        raise TemplateError(
            _unique(
                TemplateIssue(format_path(loc), message, _line_for(loc, lines))
                for loc, message in problems
            )
        )
    return template


def validate_template_text(text: str) -> list[TemplateIssue]:
    """Every problem of a template text; an empty list means it loads."""
    try:
        load_template(text)
    except TemplateError as exc:
        return exc.errors
    return []


def _unique(issues: Iterable[TemplateIssue]) -> list[TemplateIssue]:
    return list(dict.fromkeys(issues))


class _Dumper(yaml.SafeDumper):
    """Block style YAML; multi-line text as literal blocks so long standard texts stay readable."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _decimal_representer(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_float(float(value))


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(Decimal, _decimal_representer)
_Dumper.add_representer(datetime.date, yaml.SafeDumper.represent_date)


def dump_template(template: s.CampaignTemplate) -> str:
    """YAML text for a template, fields in schema order, defaults left out."""
    data = template.model_dump(mode="python", exclude_defaults=True)
    # `kind` of a rule is its discriminator and always written, even where it is the default.
    for rule, dumped in zip(template.rules, data.get("rules", []), strict=True):
        dumped.setdefault("kind", rule.kind)
    # Identity fields lead and are always written, whatever their value.
    data = {"slug": template.slug, "name": template.name, "version": template.version, **data}
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
