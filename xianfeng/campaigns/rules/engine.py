"""The rules engine: one pure function per rule kind, each returning an outcome and its reasons.

No database, no Django: callers gather the figures (ballot counts, study hours, candidates…)
into a mapping and get back a RuleResult whose explanation says, in Chinese, which rule decided,
from which inputs, with which numbers. The input shape of every kind is documented in
templating/FORMAT.md §6.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xianfeng.campaigns.rules import expressions as ex
from xianfeng.campaigns.rules.vocabulary import label as vocabulary_label
from xianfeng.campaigns.templating import schema as s


class RuleEvaluationError(ValueError):
    """Inputs a rule cannot work with; the message is Chinese and names the rule."""


@dataclass(frozen=True)
class ExplanationStep:
    """One sentence of an explanation with the inputs it read and the numbers it produced."""

    text: str
    inputs: dict[str, Any] = field(default_factory=dict)
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleResult:
    rule_slug: str
    kind: str
    outcome: Any
    explanation: list[ExplanationStep]
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def conclusion(self) -> str:
        return self.explanation[-1].text if self.explanation else ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for storing a result next to the rating it explains."""
        return _jsonable(
            {
                "rule_slug": self.rule_slug,
                "kind": self.kind,
                "outcome": self.outcome,
                "details": self.details,
                "explanation": [
                    {"text": step.text, "inputs": step.inputs, "numbers": step.numbers}
                    for step in self.explanation
                ],
            }
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


# --- formatting ------------------------------------------------------------------------------------


def fmt(value: Any) -> str:
    """A number as a person writes it: 87.5, 20, 0.33 (two decimals at most)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int | float):
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        rounded = number.quantize(Decimal("0.01")) if number.adjusted() < 20 else number
        text = format(rounded.normalize(), "f")
        return text
    return str(value)


def pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{fmt(value * 100)}%"


class _Context:
    """Labels and evaluation for one rule; turns expression errors into rule errors."""

    def __init__(self, rule: Any, inputs: Mapping[str, Any], template: s.CampaignTemplate | None):
        self.rule = rule
        self.inputs = inputs
        self.template = template
        self.labels: dict[str, str] = {}
        if template is not None:
            self.labels.update({f"facts.{fact.slug}": fact.name for fact in template.facts})
            self.labels.update({f"rules.{other.slug}": other.name for other in template.rules})

    def error(self, message: str) -> RuleEvaluationError:
        return RuleEvaluationError(f"规则“{self.rule.name}”（{self.rule.slug}）：{message}")

    def label(self, name: str) -> str:
        return self.labels.get(name) or vocabulary_label(name)

    def evaluate(
        self, text: str, scope: Mapping[str, Any] | None = None
    ) -> tuple[ex.Value, dict[str, Any]]:
        env: dict[str, Any] = dict(self.inputs)
        env.update(scope or {})
        try:
            tree = ex.parse(text)
            value = ex.evaluate(tree, env)
        except ex.ExpressionError as exc:
            raise self.error(f"计算“{text}”时{exc}") from None
        used = {}
        for name in ex.names(tree):
            raw = ex.lookup(env, name)
            used[name] = ex.to_value(raw, name)
        return value, used

    def boolean(self, text: str, scope: Mapping[str, Any] | None = None) -> tuple[bool, dict]:
        value, used = self.evaluate(text, scope)
        if not isinstance(value, bool):
            raise self.error(f"条件“{text}”的结果应为真假值，实际是 {fmt(value)}")
        return value, used

    def number(self, text: str, scope: Mapping[str, Any] | None = None) -> tuple[Decimal, dict]:
        value, used = self.evaluate(text, scope)
        if not isinstance(value, Decimal) or isinstance(value, bool):
            raise self.error(f"“{text}”的结果应为数值，实际是 {fmt(value)}")
        return value, used

    def describe(self, used: Mapping[str, Any]) -> str:
        return "、".join(f"{self.label(name)} = {fmt(value)}" for name, value in used.items())

    def require(self, key: str, what: str) -> Any:
        if key not in self.inputs or self.inputs[key] is None:
            raise self.error(f"缺少输入 {key}（{what}）")
        return self.inputs[key]


def _number_input(ctx: _Context, value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ctx.error(f"{what}应为数值")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ctx.error(f"{what}应为数值") from None
    if not number.is_finite():
        raise ctx.error(f"{what}应为有限的数值")
    return number


# --- entry points ----------------------------------------------------------------------------------


def evaluate(
    rule: Any, inputs: Mapping[str, Any], *, template: s.CampaignTemplate | None = None
) -> RuleResult:
    """Evaluate one rule over inputs. `template`, when given, supplies names for explanations
    and the minimum ballots of the evaluation scheme a rule refers to."""
    handler = _HANDLERS.get(getattr(rule, "kind", None))
    if handler is None:
        raise RuleEvaluationError(f"不支持的规则类型：{getattr(rule, 'kind', rule)!r}")
    ctx = _Context(rule, inputs, template)
    return handler(ctx)


# What `rules.<slug>` means to another rule, by kind.
_EXPRESSION_KINDS = (
    "eligibility_gate",
    "threshold",
    "veto",
    "participation_requirement",
    "point_scheme",
    "composite_formula",
    "grade_bands",
)


def _expression_value(result: RuleResult) -> Any:
    return result.outcome if result.kind in _EXPRESSION_KINDS else None


def rule_dependencies(rule: Any) -> set[str]:
    """Slugs of the rules whose outcome this rule reads as `rules.<slug>`."""
    found: set[str] = set()
    for text in _expressions_of(rule):
        try:
            for name in ex.names(text):
                if name.startswith("rules."):
                    found.add(name.removeprefix("rules."))
        except ex.ExpressionError:
            continue
    return found


def _expressions_of(rule: Any) -> list[str]:
    if rule.kind in ("eligibility_gate", "veto"):
        return [c.when for c in rule.conditions]
    if rule.kind == "point_scheme":
        texts = [item.value for item in rule.items]
        texts += [item.zero_when for item in rule.items if item.zero_when]
        return texts + [c.when for c in rule.zero_when]
    if rule.kind == "grade_bands":
        return [rule.value]
    if rule.kind == "composite_formula":
        return [p.expression for p in rule.parts if p.expression] + [rule.formula]
    if rule.kind == "threshold":
        return [rule.expression]
    return []


def evaluate_many(
    rules: Iterable[Any],
    inputs: Mapping[str, Any],
    *,
    template: s.CampaignTemplate | None = None,
) -> dict[str, RuleResult]:
    """Evaluate rules that may read each other's outcomes (`rules.<slug>`), dependencies first."""
    pending = {rule.slug: rule for rule in rules}
    results: dict[str, RuleResult] = {}
    outcomes: dict[str, Any] = dict(inputs.get("rules", {}) or {})
    while pending:
        ready = [
            rule
            for rule in pending.values()
            if all(dep in results or dep not in pending for dep in rule_dependencies(rule))
        ]
        if not ready:
            raise RuleEvaluationError(f"规则之间循环引用：{'、'.join(pending)}")
        for rule in ready:
            merged = {**inputs, "rules": outcomes}
            result = evaluate(rule, merged, template=template)
            results[rule.slug] = result
            value = _expression_value(result)
            if value is not None:
                outcomes[rule.slug] = value
            del pending[rule.slug]
    return results


# --- eligibility gate ------------------------------------------------------------------------------


def evaluate_eligibility_gate(ctx: _Context) -> RuleResult:
    rule: s.EligibilityGate = ctx.rule
    steps: list[ExplanationStep] = []
    failed: list[str] = []

    def record(text: str, ok: bool, key: str, inputs: dict[str, Any]) -> None:
        steps.append(ExplanationStep(text, inputs, {"passed": ok}))
        if not ok:
            failed.append(key)

    if rule.statuses:
        status = ctx.require("status", "政治面貌")
        allowed = "、".join(s.STATUS_LABELS.get(code, code) for code in rule.statuses)
        inside = status in rule.statuses
        name = s.STATUS_LABELS.get(status, status)
        record(
            f"政治面貌为{name}，{'在' if inside else '不在'}可参评范围（{allowed}）内",
            inside,
            "status",
            {"status": status},
        )
    if rule.post_categories:
        post = ctx.require("post_category", "岗位类别")
        allowed = "、".join(s.POST_CATEGORY_LABELS.get(code, code) for code in rule.post_categories)
        inside = post in rule.post_categories
        name = s.POST_CATEGORY_LABELS.get(post, post) or "未填写"
        record(
            f"岗位类别为{name}，{'在' if inside else '不在'}可参评岗位（{allowed}）内",
            inside,
            "post_category",
            {"post_category": post},
        )
    for condition in rule.conditions:
        holds, used = ctx.boolean(condition.when)
        verdict = "成立" if holds else "不成立"
        if condition.effect == "disqualify":
            ok = not holds
            effect = "不影响资格" if ok else "取消参评资格"
        else:
            ok = holds
            effect = "符合必备条件" if ok else "不符合必备条件"
        record(
            f"条件“{condition.name}”{verdict}（{ctx.describe(used)}），{effect}",
            ok,
            condition.slug,
            used,
        )
    passed = not failed
    conclusion = "结论：具备参评资格" if passed else f"结论：不具备参评资格（{len(failed)} 项不符）"
    steps.append(ExplanationStep(conclusion, numbers={"passed": passed}))
    return RuleResult(rule.slug, rule.kind, passed, steps, {"failed": failed})


# --- point scheme ----------------------------------------------------------------------------------


def evaluate_point_scheme(ctx: _Context) -> RuleResult:
    rule: s.PointScheme = ctx.rule
    steps: list[ExplanationStep] = []
    for condition in rule.zero_when:
        holds, used = ctx.boolean(condition.when)
        if holds:
            steps.append(
                ExplanationStep(
                    f"“{condition.name}”成立（{ctx.describe(used)}），总分记为 0",
                    used,
                    {"total": Decimal(0)},
                )
            )
            return RuleResult(
                rule.slug, rule.kind, Decimal(0), steps, {"items": {}, "zeroed_by": condition.slug}
            )
    total = rule.base
    steps.append(ExplanationStep(f"基础分 {fmt(rule.base)}", numbers={"base": rule.base}))
    items: dict[str, Decimal] = {}
    for item in rule.items:
        raw, used = ctx.number(item.value)
        sign = "+" if item.effect == "add" else "−"
        if item.zero_when:
            zero, zero_used = ctx.boolean(item.zero_when)
            if zero:
                items[item.slug] = Decimal(0)
                steps.append(
                    ExplanationStep(
                        f"{item.name}：因{ctx.describe(zero_used)}，本项记 0 分",
                        {**used, **zero_used},
                        {item.slug: Decimal(0)},
                    )
                )
                continue
        points = raw * item.per_unit
        text = f"{item.name}：{ctx.describe(used)}"
        if item.per_unit != 1:
            text += f" × {fmt(item.per_unit)} = {fmt(points)}"
        if points < 0:
            points = Decimal(0)
            text += "，负数按 0 计"
        if item.max_points is not None and points > item.max_points:
            points = item.max_points
            text += f"，封顶 {fmt(item.max_points)}"
        text += f" → {sign}{fmt(points)}"
        items[item.slug] = points if item.effect == "add" else -points
        total += items[item.slug]
        steps.append(ExplanationStep(text, used, {item.slug: items[item.slug]}))
    if rule.max_total is not None and total > rule.max_total:
        steps.append(ExplanationStep(f"合计 {fmt(total)} 超过上限，按 {fmt(rule.max_total)} 计"))
        total = rule.max_total
    if rule.min_total is not None and total < rule.min_total:
        steps.append(ExplanationStep(f"合计 {fmt(total)} 低于下限，按 {fmt(rule.min_total)} 计"))
        total = rule.min_total
    steps.append(ExplanationStep(f"总分 {fmt(total)}", numbers={"total": total}))
    return RuleResult(rule.slug, rule.kind, total, steps, {"items": items})


# --- grade bands -----------------------------------------------------------------------------------


def evaluate_grade_bands(ctx: _Context) -> RuleResult:
    rule: s.GradeBands = ctx.rule
    scope = {"score": ctx.inputs["score"]} if "score" in ctx.inputs else {}
    value, used = ctx.number(rule.value, scope)
    source = ctx.describe(used) if used else fmt(value)
    previous: s.Band | None = None
    for band in rule.bands:
        if value >= band.min:
            text = f"{source}，达到“{band.name}”的下限 {fmt(band.min)}"
            if previous is not None:
                text += f"，未达到“{previous.name}”的 {fmt(previous.min)}"
            steps = [ExplanationStep(text, used, {"value": value, "min": band.min})]
            steps.append(ExplanationStep(f"等次：{band.name}", numbers={"grade": band.grade}))
            return RuleResult(
                rule.slug, rule.kind, band.grade, steps, {"name": band.name, "value": value}
            )
        previous = band
    lowest = rule.bands[-1]
    text = f"{source}，低于最低等次“{lowest.name}”的下限 {fmt(lowest.min)}"
    steps = [ExplanationStep(text, used, {"value": value})]
    if rule.otherwise is not None:
        steps.append(
            ExplanationStep(f"等次：{rule.otherwise.name}", numbers={"grade": rule.otherwise.grade})
        )
        return RuleResult(
            rule.slug,
            rule.kind,
            rule.otherwise.grade,
            steps,
            {"name": rule.otherwise.name, "value": value},
        )
    steps.append(ExplanationStep("未达到任何等次"))
    return RuleResult(rule.slug, rule.kind, None, steps, {"name": None, "value": value})


# --- composite formula -----------------------------------------------------------------------------


def _grade_names(ctx: _Context, scheme_slug: str | None) -> dict[str, str]:
    scheme = ctx.template.scheme(scheme_slug) if ctx.template and scheme_slug else None
    return {grade.slug: grade.name for grade in scheme.grade_scale} if scheme else {}


def _counts(ctx: _Context, raw: Any, what: str) -> dict[str, Decimal]:
    if not isinstance(raw, Mapping):
        raise ctx.error(f"{what}应为“等次: 票数”的映射")
    counts: dict[str, Decimal] = {}
    for grade, count in raw.items():
        number = _number_input(ctx, count, f"{what}中“{grade}”的票数")
        if number < 0:
            raise ctx.error(f"{what}中“{grade}”的票数不能为负数")
        counts[str(grade)] = number
    return counts


def _ballot_scope(counts: Mapping[str, Decimal], extra: Mapping[str, Any]) -> dict[str, Any]:
    scope: dict[str, Any] = {f"ballots.{grade}": count for grade, count in counts.items()}
    scope["ballots.total"] = extra.get("total", sum(counts.values(), Decimal(0)))
    if "eligible" in extra:
        scope["ballots.eligible"] = extra["eligible"]
    return scope


def evaluate_composite_formula(ctx: _Context) -> RuleResult:
    rule: s.CompositeFormula = ctx.rule
    parts_input = ctx.inputs.get("parts", {})
    if not isinstance(parts_input, Mapping):
        raise ctx.error("输入 parts 应为“组成部分: 各等次票数”的映射")
    steps: list[ExplanationStep] = []
    values: dict[str, Decimal] = {}
    for part in rule.parts:
        names = _grade_names(ctx, part.scheme)
        raw = parts_input.get(part.slug)
        if raw is None:
            raise ctx.error(f"缺少组成部分“{part.name}”（parts.{part.slug}）的票数")
        counts = _counts(ctx, raw, f"组成部分“{part.name}”")
        if part.grade_points is not None:
            total = sum(counts.values(), Decimal(0))
            if total == 0:
                raise ctx.error(f"组成部分“{part.name}”没有有效票，无法计算")
            weighted = Decimal(0)
            pieces = []
            for grade, count in counts.items():
                if grade not in part.grade_points:
                    raise ctx.error(f"组成部分“{part.name}”的等次“{grade}”没有规定分值")
                weighted += count * part.grade_points[grade]
                pieces.append(
                    f"{names.get(grade, grade)} {fmt(count)} 票×{fmt(part.grade_points[grade])}"
                )
            value = weighted / total
            text = f"{part.name}：（{' + '.join(pieces)}）÷ 共 {fmt(total)} 票 = {fmt(value)}"
            steps.append(
                ExplanationStep(text, {f"parts.{part.slug}": dict(counts)}, {part.slug: value})
            )
        else:
            assert part.expression is not None
            scope = _ballot_scope(counts, {})
            for grade, name in names.items():
                ctx.labels[f"ballots.{grade}"] = f"{name}票"
            value, used = ctx.number(part.expression, scope)
            text = f"{part.name}：{part.expression}，其中 {ctx.describe(used)}，得 {fmt(value)}"
            steps.append(ExplanationStep(text, used, {part.slug: value}))
        values[part.slug] = value
        ctx.labels[f"parts.{part.slug}"] = part.name
    scope = {f"parts.{slug}": value for slug, value in values.items()}
    result, used = ctx.number(rule.formula, scope)
    steps.append(
        ExplanationStep(
            f"综合得分 = {rule.formula}，其中 {ctx.describe(used)}，结果 {fmt(result)}",
            used,
            {"value": result},
        )
    )
    return RuleResult(rule.slug, rule.kind, result, steps, {"parts": values})


# --- threshold -------------------------------------------------------------------------------------

CONSEQUENCE_LABELS = {
    "redo": "补课",
    "re_rectify": "在上级党组织监督下重新整改",
    "no_excellent": "当年不得评先评优",
    "rectify_within": "限期整改",
    "not_qualified": "不能评为合格",
    "warning": "提醒",
}


def evaluate_threshold(ctx: _Context) -> RuleResult:
    rule: s.Threshold = ctx.rule
    scope: dict[str, Any] = {}
    steps: list[ExplanationStep] = []
    details = {
        "consequence": rule.consequence,
        "consequence_text": rule.consequence_text,
        "rectify_days": rule.rectify_days,
    }
    if rule.scheme is not None:
        raw = ctx.require("ballots", "各等次票数")
        if not isinstance(raw, Mapping):
            raise ctx.error("输入 ballots 应为“等次: 票数”的映射")
        extra = {key: raw[key] for key in ("total", "eligible") if key in raw}
        grades = {key: value for key, value in raw.items() if key not in ("total", "eligible")}
        counts = _counts(ctx, grades, "票数")
        extra = {key: _number_input(ctx, value, f"ballots.{key}") for key, value in extra.items()}
        scope = _ballot_scope(counts, extra)
        for grade, name in _grade_names(ctx, rule.scheme).items():
            ctx.labels[f"ballots.{grade}"] = f"{name}票"
        scheme = ctx.template.scheme(rule.scheme) if ctx.template else None
        total = scope["ballots.total"]
        if scheme is not None and total < scheme.min_ballots:
            steps.append(
                ExplanationStep(
                    f"有效票 {fmt(total)} 张，少于“{scheme.name}”要求的最少 {scheme.min_ballots} 张，不作判断",
                    {"ballots.total": total},
                    {"min_ballots": scheme.min_ballots},
                )
            )
            return RuleResult(rule.slug, rule.kind, None, steps, {**details, "insufficient": True})
    triggered, used = ctx.boolean(rule.expression, scope)
    numbers: dict[str, Any] = {}
    ratio_text = ""
    if used.get("ballots.total"):
        shares = {
            name: value / used["ballots.total"]
            for name, value in used.items()
            if name.startswith("ballots.") and name not in ("ballots.total", "ballots.eligible")
        }
        numbers.update(shares)
        ratio_text = "；" + "、".join(
            f"{ctx.label(name)}占 {pct(share)}" for name, share in shares.items()
        )
    steps.append(
        ExplanationStep(
            f"条件 {rule.expression} {'成立' if triggered else '不成立'}（{ctx.describe(used)}{ratio_text}）",
            used,
            numbers,
        )
    )
    if triggered:
        days = f"，{rule.rectify_days} 天内完成" if rule.rectify_days else ""
        label = CONSEQUENCE_LABELS[rule.consequence]
        steps.append(ExplanationStep(f"触发“{rule.name}”：{label}——{rule.consequence_text}{days}"))
    else:
        steps.append(ExplanationStep(f"未触发“{rule.name}”"))
    return RuleResult(rule.slug, rule.kind, triggered, steps, details)


# --- veto ------------------------------------------------------------------------------------------


def evaluate_veto(ctx: _Context) -> RuleResult:
    rule: s.Veto = ctx.rule
    steps: list[ExplanationStep] = []
    reasons: list[str] = []
    for condition in rule.conditions:
        holds, used = ctx.boolean(condition.when)
        if holds:
            reasons.append(condition.name)
        verdict = "成立，一票否决" if holds else "不成立"
        steps.append(ExplanationStep(f"“{condition.name}”{verdict}（{ctx.describe(used)}）", used))
    vetoed = bool(reasons)
    conclusion = f"结论：被否决（{'、'.join(reasons)}）" if vetoed else "结论：未被否决"
    steps.append(ExplanationStep(conclusion, numbers={"vetoed": vetoed}))
    return RuleResult(rule.slug, rule.kind, vetoed, steps, {"reasons": reasons})


# --- quota -----------------------------------------------------------------------------------------


def _round(value: Decimal, how: str) -> int:
    if how == "ceil":
        return math.ceil(value)
    if how == "round":
        return int(value.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    return math.floor(value)


def _percent_limit(rule: s.Quota, base: int) -> int:
    assert rule.max_percent is not None
    limit = _round(rule.max_percent * base, rule.rounding)
    if rule.at_least_one and base > 0:
        limit = max(limit, 1)
    return limit


def evaluate_quota(ctx: _Context) -> RuleResult:
    rule: s.Quota = ctx.rule
    raw = ctx.require("candidates", "候选人列表")
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ctx.error("输入 candidates 应为候选人列表")
    candidates: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping) or "id" not in item:
            raise ctx.error(f"第 {i + 1} 名候选人缺少 id")
        key = str(item["id"])
        if key in seen:
            raise ctx.error(f"候选人 id “{key}”重复")
        seen.add(key)
        candidates.append({**item, "id": item["id"], "_key": key, "_order": i})
    steps: list[ExplanationStep] = []
    rejected: dict[str, str] = {}
    ranked: list[dict[str, Any]] = []

    def name_of(candidate: Mapping[str, Any]) -> str:
        return str(candidate.get("name") or candidate["id"])

    for candidate in candidates:
        if candidate.get("eligible", True) is False:
            rejected[candidate["_key"]] = "不具备参评资格"
        elif candidate.get("vetoed"):
            reason = candidate.get("veto_reason") or "一票否决"
            rejected[candidate["_key"]] = f"一票否决：{reason}"
        elif candidate.get("score") is None:
            rejected[candidate["_key"]] = "没有得分"
        else:
            score = _number_input(ctx, candidate["score"], f"候选人“{name_of(candidate)}”的得分")
            if rule.min_score is not None and score < rule.min_score:
                rejected[candidate["_key"]] = f"得分 {fmt(score)} 低于最低分 {fmt(rule.min_score)}"
            else:
                ranked.append({**candidate, "score": score})
    for candidate in candidates:
        if candidate["_key"] in rejected:
            steps.append(
                ExplanationStep(
                    f"{name_of(candidate)}：{rejected[candidate['_key']]}，不参加排名",
                    {"id": candidate["id"]},
                )
            )
    ranked.sort(key=lambda c: (-c["score"], c["_order"]))

    # Limits: overall, or per unit (every unit gets the same count or its own share).
    unit_sizes = ctx.inputs.get("unit_sizes") or {}
    limits: dict[str, int] = {}
    if rule.per == "overall":
        if rule.max_count is not None:
            limits["overall"] = rule.max_count
            steps.append(
                ExplanationStep(f"名额：共 {rule.max_count} 名", numbers={"limit": rule.max_count})
            )
        else:
            base = int(_number_input(ctx, ctx.inputs.get("base", len(candidates)), "基数 base"))
            limits["overall"] = _percent_limit(rule, base)
            steps.append(
                ExplanationStep(
                    f"名额：{base} 人的 {pct(rule.max_percent)}（{_ROUNDING[rule.rounding]}）= {limits['overall']} 名",
                    numbers={"base": base, "limit": limits["overall"]},
                )
            )
    else:
        units: dict[str, int] = {}
        for candidate in candidates:
            unit = str(candidate.get("unit", ""))
            units[unit] = units.get(unit, 0) + 1
        for unit, count in units.items():
            if rule.max_count is not None:
                limits[unit] = rule.max_count
            else:
                base = int(_number_input(ctx, unit_sizes.get(unit, count), f"单位“{unit}”的人数"))
                limits[unit] = _percent_limit(rule, base)
        how = (
            f"每个单位 {rule.max_count} 名"
            if rule.max_count is not None
            else f"每个单位人数的 {pct(rule.max_percent)}（{_ROUNDING[rule.rounding]}）"
        )
        detail = "、".join(f"{unit or '未分单位'} {limit} 名" for unit, limit in limits.items())
        steps.append(ExplanationStep(f"名额：{how}——{detail}", numbers={"limits": dict(limits)}))
    overall_limit = sum(limits.values())
    tier_limits: dict[str, int] = {}
    for cap in rule.tier_caps:
        if cap.max_count is not None:
            tier_limits[cap.tier] = cap.max_count
        else:
            assert cap.max_percent is not None
            tier_limits[cap.tier] = _round(cap.max_percent * overall_limit, rule.rounding)
        steps.append(
            ExplanationStep(
                f"“{cap.name}”最多 {tier_limits[cap.tier]} 名",
                numbers={cap.tier: tier_limits[cap.tier]},
            )
        )
    tier_names = {cap.tier: cap.name for cap in rule.tier_caps}

    used_units: dict[str, int] = {}
    used_tiers: dict[str, int] = {}
    frozen: set[str] = set()
    selected: list[dict[str, Any]] = []
    index = 0
    while index < len(ranked):
        group = [ranked[index]]
        while (
            index + len(group) < len(ranked)
            and ranked[index + len(group)]["score"] == group[0]["score"]
        ):
            group.append(ranked[index + len(group)])
        index += len(group)
        fitted: list[dict[str, Any]] = []
        blocked: dict[str, str] = {}
        for candidate in group:
            unit_key = "overall" if rule.per == "overall" else str(candidate.get("unit", ""))
            tier = candidate.get("tier")
            if unit_key in frozen:
                blocked[candidate["_key"]] = (
                    f"得分 {fmt(candidate['score'])}，排在同分并列待定者之后，名额留待另行决定"
                )
            elif used_units.get(unit_key, 0) >= limits[unit_key]:
                where = "" if rule.per == "overall" else f"（{unit_key}）"
                blocked[candidate["_key"]] = (
                    f"得分 {fmt(candidate['score'])}，名额{where}已满（{limits[unit_key]} 名）"
                )
            elif tier in tier_limits and used_tiers.get(tier, 0) >= tier_limits[tier]:
                blocked[candidate["_key"]] = (
                    f"得分 {fmt(candidate['score'])}，“{tier_names[tier]}”已达上限（{tier_limits[tier]} 名）"
                )
            else:
                used_units[unit_key] = used_units.get(unit_key, 0) + 1
                if tier in tier_limits:
                    used_tiers[tier] = used_tiers.get(tier, 0) + 1
                fitted.append(candidate)
        straddles = bool(fitted) and bool(blocked) and len(group) > 1
        if straddles and rule.ties == "include_all":
            for candidate in group:
                if candidate["_key"] in blocked:
                    blocked.pop(candidate["_key"])
                    fitted.append(candidate)
                    steps.append(
                        ExplanationStep(
                            f"{name_of(candidate)}：与已入选者同分 {fmt(candidate['score'])}，并列一并入选（超出名额）"
                        )
                    )
        elif straddles and rule.ties == "exclude_all":
            for candidate in fitted:
                unit_key = "overall" if rule.per == "overall" else str(candidate.get("unit", ""))
                used_units[unit_key] -= 1
                if candidate.get("tier") in tier_limits:
                    used_tiers[candidate["tier"]] -= 1
            for candidate in group:
                blocked[candidate["_key"]] = (
                    f"得分 {fmt(candidate['score'])}，同分并列超出名额，均不入选，需另行决定"
                )
                # The open places wait for that decision rather than passing to lower scores.
                frozen.add("overall" if rule.per == "overall" else str(candidate.get("unit", "")))
            fitted = []
        elif straddles:
            for key in blocked:
                blocked[key] += "；与已入选者同分，按名单顺序排后"
        for candidate in fitted:
            if candidate in selected:
                continue
            selected.append(candidate)
            steps.append(
                ExplanationStep(
                    f"{name_of(candidate)}：得分 {fmt(candidate['score'])}，排第 {len(selected)}，入选",
                    {"id": candidate["id"]},
                    {"score": candidate["score"]},
                )
            )
        for candidate in group:
            if candidate["_key"] in blocked:
                rejected[candidate["_key"]] = blocked[candidate["_key"]]
                steps.append(
                    ExplanationStep(
                        f"{name_of(candidate)}：{blocked[candidate['_key']]}，未入选",
                        {"id": candidate["id"]},
                    )
                )
    shortfall = max(rule.min_count - len(selected), 0)
    conclusion = f"结论：入选 {len(selected)} 名"
    if shortfall:
        conclusion += f"，少于最少名额 {rule.min_count} 名，需补充推荐"
    steps.append(ExplanationStep(conclusion, numbers={"selected": len(selected)}))
    details = {
        "selected": [c["id"] for c in selected],
        "rejected": {c["id"]: rejected[c["_key"]] for c in candidates if c["_key"] in rejected},
        "limits": limits,
        "tier_limits": tier_limits,
        "shortfall": shortfall,
    }
    return RuleResult(rule.slug, rule.kind, details["selected"], steps, details)


_ROUNDING = {"floor": "向下取整", "round": "四舍五入", "ceil": "向上取整"}


# --- participation ---------------------------------------------------------------------------------


def evaluate_participation_requirement(ctx: _Context) -> RuleResult:
    rule: s.ParticipationRequirement = ctx.rule
    eligible = _number_input(ctx, ctx.require("eligible", "应参加人数"), "应参加人数")
    participated = _number_input(ctx, ctx.require("participated", "实际参加人数"), "实际参加人数")
    if eligible < 0 or participated < 0:
        raise ctx.error("人数不能为负数")
    if participated > eligible:
        raise ctx.error(f"实际参加 {fmt(participated)} 人多于应参加 {fmt(eligible)} 人")
    rate = participated / eligible if eligible else Decimal(0)
    steps = [
        ExplanationStep(
            f"应参加 {fmt(eligible)} 人，实际参加 {fmt(participated)} 人，参与率 {pct(rate)}",
            {"eligible": eligible, "participated": participated},
            {"rate": rate},
        )
    ]
    passed = rate >= rule.min_rate
    steps.append(
        ExplanationStep(
            f"要求不低于 {pct(rule.min_rate)}：{'达到' if passed else '未达到'}",
            numbers={"min_rate": rule.min_rate},
        )
    )
    if rule.min_count:
        enough = participated >= rule.min_count
        passed = passed and enough
        steps.append(
            ExplanationStep(
                f"要求至少 {rule.min_count} 人参加：{'达到' if enough else '未达到'}",
                numbers={"min_count": rule.min_count},
            )
        )
    steps.append(
        ExplanationStep(
            "结论：参与率符合要求，结果有效" if passed else "结论：参与率不足，结果无效"
        )
    )
    return RuleResult(rule.slug, rule.kind, passed, steps, {"rate": rate})


# --- review chain ----------------------------------------------------------------------------------


def _has_role(person: Mapping[str, Any], role: str) -> bool:
    roles = set(person.get("roles") or ())
    # A probationary member's analysis is reviewed like any member's.
    return role in roles or (role == "member" and "probationary_member" in roles)


def _related(relation: str, reviewer: Mapping[str, Any], reviewee: Mapping[str, Any]) -> bool:
    if relation == "any":
        return True
    if relation == "same_unit":
        return reviewer.get("unit") is not None and reviewer.get("unit") == reviewee.get("unit")
    if relation == "parent_unit":
        return reviewer.get("unit") is not None and reviewer.get("unit") == reviewee.get(
            "parent_unit"
        )
    supervised = {str(item) for item in reviewer.get("supervises") or ()}
    return str(reviewee["id"]) in supervised or str(reviewee.get("unit")) in supervised


def evaluate_review_chain(ctx: _Context) -> RuleResult:
    rule: s.ReviewChain = ctx.rule
    raw = ctx.require("people", "人员列表")
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ctx.error("输入 people 应为人员列表")
    people: list[Mapping[str, Any]] = []
    for i, person in enumerate(raw):
        if not isinstance(person, Mapping) or "id" not in person:
            raise ctx.error(f"第 {i + 1} 个人员缺少 id")
        people.append(person)

    def name_of(person: Mapping[str, Any]) -> str:
        return str(person.get("name") or person["id"])

    assignments: list[dict[str, Any]] = []
    unassigned: list[Any] = []
    steps: list[ExplanationStep] = []
    for reviewee in people:
        stage = 0
        matched_role = False
        for step in rule.steps:
            if not _has_role(reviewee, step.reviewee):
                continue
            matched_role = True
            reviewers = [
                person
                for person in people
                if person["id"] != reviewee["id"]
                and _has_role(person, step.reviewer)
                and _related(step.relation, person, reviewee)
            ]
            if not reviewers:
                continue
            stage += 1
            for reviewer in reviewers:
                assignments.append(
                    {
                        "order": stage,
                        "step": step.slug,
                        "reviewer": reviewer["id"],
                        "reviewee": reviewee["id"],
                    }
                )
            names = "、".join(name_of(r) for r in reviewers)
            prefix = f"第 {stage} 步，" if rule.mode == "sequential" else ""
            steps.append(
                ExplanationStep(
                    f"{prefix}{name_of(reviewee)}（{s.ROLE_LABELS[step.reviewee]}）由 {names}"
                    f"（{s.ROLE_LABELS[step.reviewer]}）审阅——{step.name}",
                    {"reviewee": reviewee["id"], "reviewers": [r["id"] for r in reviewers]},
                    {"order": stage},
                )
            )
            if rule.mode == "assignment":
                break
        if matched_role and stage == 0:
            unassigned.append(reviewee["id"])
            steps.append(
                ExplanationStep(
                    f"{name_of(reviewee)}：找不到符合条件的审阅人，需人工指定",
                    {"reviewee": reviewee["id"]},
                )
            )
    steps.append(
        ExplanationStep(
            f"结论：{len(assignments)} 项审阅安排"
            + (f"，{len(unassigned)} 人待指定" if unassigned else ""),
            numbers={"assignments": len(assignments), "unassigned": len(unassigned)},
        )
    )
    return RuleResult(rule.slug, rule.kind, assignments, steps, {"unassigned": unassigned})


# --- public notice ---------------------------------------------------------------------------------


def _date(ctx: _Context, value: Any, what: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ctx.error(f"{what}应为日期（如 2024-05-06）")


MAX_NOTICE_SPAN_DAYS = 3660


def evaluate_public_notice(ctx: _Context) -> RuleResult:
    rule: s.PublicNotice = ctx.rule
    start = _date(ctx, ctx.require("start", "公示开始日期"), "公示开始日期")
    holidays = {_date(ctx, d, "节假日") for d in ctx.inputs.get("holidays") or ()}
    workdays = {_date(ctx, d, "调休上班日") for d in ctx.inputs.get("workdays") or ()}
    if not rule.working_days:
        end = start + datetime.timedelta(days=rule.days - 1)
        steps = [
            ExplanationStep(
                f"自 {start.isoformat()} 起公示 {rule.days} 天（含当天），至 {end.isoformat()} 止",
                {"start": start},
                {"days": rule.days},
            )
        ]
        return RuleResult(rule.slug, rule.kind, end, steps, {"start": start, "skipped": []})
    counted: list[datetime.date] = []
    skipped: list[datetime.date] = []
    day = start
    while len(counted) < rule.days:
        if (day - start).days > MAX_NOTICE_SPAN_DAYS:
            raise ctx.error("给出的节假日过多，找不到足够的工作日")
        working = day in workdays or (day.weekday() < 5 and day not in holidays)
        (counted if working else skipped).append(day)
        day += datetime.timedelta(days=1)
    end = counted[-1]
    steps = [
        ExplanationStep(
            f"自 {start.isoformat()} 起公示 {rule.days} 个工作日（含当天）",
            {"start": start},
            {"days": rule.days},
        )
    ]
    if skipped:
        holiday_count = sum(1 for d in skipped if d in holidays)
        steps.append(
            ExplanationStep(
                f"跳过 {len(skipped)} 天非工作日（周末 {len(skipped) - holiday_count} 天、节假日 {holiday_count} 天）",
                numbers={"skipped": len(skipped)},
            )
        )
    steps.append(ExplanationStep(f"公示截止 {end.isoformat()}", numbers={"end": end}))
    return RuleResult(
        rule.slug, rule.kind, end, steps, {"start": start, "counted": counted, "skipped": skipped}
    )


_HANDLERS: dict[Any, Callable[[_Context], RuleResult]] = {
    "eligibility_gate": evaluate_eligibility_gate,
    "point_scheme": evaluate_point_scheme,
    "grade_bands": evaluate_grade_bands,
    "composite_formula": evaluate_composite_formula,
    "threshold": evaluate_threshold,
    "veto": evaluate_veto,
    "quota": evaluate_quota,
    "participation_requirement": evaluate_participation_requirement,
    "review_chain": evaluate_review_chain,
    "public_notice": evaluate_public_notice,
}
