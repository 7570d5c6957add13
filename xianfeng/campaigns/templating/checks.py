"""Checks that need the whole template: unique slugs, references, dates, expression names.

They run after the structure is valid and return every problem as (path, Chinese message).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from xianfeng.campaigns.rules import expressions as ex
from xianfeng.campaigns.rules.vocabulary import BALLOT_NAMES, VOCABULARY
from xianfeng.campaigns.templating import schema as s

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]

# What `rules.<slug>` evaluates to inside another rule's expression, by rule kind.
RULE_OUTCOME_TYPES = {
    "eligibility_gate": "boolean",
    "point_scheme": "number",
    "grade_bands": "text",
    "composite_formula": "number",
    "threshold": "boolean",
    "veto": "boolean",
    "participation_requirement": "boolean",
}
TYPE_LABELS = {"number": "数值", "boolean": "真假值", "text": "文本", "any": "任意值"}


def check_template(template: s.CampaignTemplate) -> list[Problem]:
    return _Checker(template).run()


class _Checker:
    def __init__(self, template: s.CampaignTemplate) -> None:
        self.t = template
        self.problems: list[Problem] = []
        self.rule_slugs = {rule.slug for rule in template.rules}
        self.scheme_slugs = {scheme.slug for scheme in template.evaluation_schemes}
        self.set_slugs = {item.slug for item in template.standard_sets}
        self.task_slugs = {task.slug for _, task in template.tasks()}
        self.rule_deps: dict[str, set[str]] = {rule.slug: set() for rule in template.rules}

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append((loc, message))

    def run(self) -> list[Problem]:
        self._slugs()
        self._standards()
        self._phases()
        self._schemes()
        self._rules()
        self._honors()
        self._rectification()
        self._cycles()
        return self.problems

    # --- uniqueness ------------------------------------------------------------------------------

    def _unique(self, items: Sequence[Any], loc: Loc, what: str, key: str = "slug") -> None:
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            value = getattr(item, key)
            if value in first:
                self.add(
                    (*loc, i, key),
                    f"{what}标识“{value}”重复（与第 {first[value] + 1} 项相同）",
                )
            else:
                first[value] = i

    def _slugs(self) -> None:
        t = self.t
        self._unique(t.standard_sets, ("standard_sets",), "标准")
        for i, standard in enumerate(t.standard_sets):
            self._unique(standard.criteria, ("standard_sets", i, "criteria"), "条件")
            self._unique(standard.tiers, ("standard_sets", i, "tiers"), "档次")
            for j, criterion in enumerate(standard.criteria):
                loc = ("standard_sets", i, "criteria", j, "deliverables")
                self._unique(criterion.deliverables, loc, "成果")
        self._unique(t.phases, ("phases",), "阶段")
        seen_tasks: dict[str, str] = {}
        for i, phase in enumerate(t.phases):
            for j, task in enumerate(phase.tasks):
                if task.slug in seen_tasks:
                    self.add(
                        ("phases", i, "tasks", j, "slug"),
                        f"任务标识“{task.slug}”重复（{seen_tasks[task.slug]}已经用过），任务标识在整个模板内唯一",
                    )
                else:
                    seen_tasks[task.slug] = f"阶段“{phase.name}”"
        self._unique(t.evaluation_schemes, ("evaluation_schemes",), "评议方案")
        for i, scheme in enumerate(t.evaluation_schemes):
            self._unique(scheme.grade_scale, ("evaluation_schemes", i, "grade_scale"), "等次")
        self._unique(t.rules, ("rules",), "规则")
        self._unique(t.honors, ("honors",), "表彰项目")
        self._unique(t.targets, ("targets",), "指标")
        self._unique(t.facts, ("facts",), "录入项")
        if t.leadership_group:
            self._unique(t.leadership_group.roles, ("leadership_group", "roles"), "职务")
            self._unique(t.leadership_group.subgroups, ("leadership_group", "subgroups"), "工作组")
        if t.rectification:
            self._unique(t.rectification.categories, ("rectification", "categories"), "整改类别")

    # --- references ------------------------------------------------------------------------------

    def _ref(self, value: str | None, known: set[str], loc: Loc, what: str) -> bool:
        if value is not None and value not in known:
            self.add(loc, f"引用的{what}“{value}”不存在")
            return False
        return True

    def _standards(self) -> None:
        for i, standard in enumerate(self.t.standard_sets):
            loc: Loc = ("standard_sets", i)
            self._ref(standard.rating_rule, self.rule_slugs, (*loc, "rating_rule"), "规则")
            if standard.kind == "tiers" and not standard.tiers:
                self.add((*loc, "tiers"), "分档类标准（kind: tiers）至少需要一个档次")
            if standard.kind != "tiers" and not standard.criteria:
                self.add((*loc, "criteria"), "星级或达标类标准至少需要一个条件")
            self._unique(standard.tiers, (*loc, "tiers"), "档次排名", key="rank")
            for j, criterion in enumerate(standard.criteria):
                cloc = (*loc, "criteria", j)
                self._ref(criterion.rule, self.rule_slugs, (*cloc, "rule"), "规则")
                if standard.subject == "organization" and criterion.eligible_post_categories:
                    self.add(
                        (*cloc, "eligible_post_categories"),
                        "党组织类标准不能按岗位类别限定",
                    )

    def _phases(self) -> None:
        t = self.t
        for i, phase in enumerate(t.phases):
            loc: Loc = ("phases", i)
            start, end = phase.starts, phase.ends
            if start.offset_days is not None and start.offset_days < 0:
                self.add((*loc, "starts", "offset_days"), "开始偏移天数不能为负数")
            if end is not None:
                if end.offset_days is not None and end.offset_days < 0:
                    self.add((*loc, "ends", "offset_days"), "结束偏移天数不能为负数")
                if start.date and end.date and end.date < start.date:
                    self.add(
                        (*loc, "ends", "date"), f"结束日期 {end.date} 早于开始日期 {start.date}"
                    )
                elif (
                    start.offset_days is not None
                    and end.offset_days is not None
                    and end.offset_days < start.offset_days
                ):
                    self.add(
                        (*loc, "ends", "offset_days"),
                        f"结束于第 {end.offset_days} 天，早于开始的第 {start.offset_days} 天",
                    )
                elif (start.date is None) != (end.date is None):
                    self.add((*loc, "ends"), "开始与结束应同用固定日期或同用偏移天数")
            length = _phase_length(phase)
            for j, task in enumerate(phase.tasks):
                self._task(task, phase, length, ("phases", i, "tasks", j))
        span = _template_span(t)
        if t.min_duration_days and span is not None and span < t.min_duration_days:
            self.add(
                ("min_duration_days",),
                f"各阶段合计 {span} 天，少于要求的 {t.min_duration_days} 天",
            )

    def _task(self, task: s.Task, phase: s.Phase, length: int | None, loc: Loc) -> None:
        due = task.due
        if due is not None:
            if due.offset_days is not None:
                if due.offset_days < 0:
                    self.add((*loc, "due", "offset_days"), "时限偏移天数不能为负数")
                elif length is not None and due.offset_days > length:
                    self.add(
                        (*loc, "due", "offset_days"),
                        f"时限为阶段第 {due.offset_days} 天，超出阶段时长 {length} 天",
                    )
            if due.date is not None:
                if phase.starts.date is None:
                    self.add((*loc, "due", "date"), "阶段按偏移天数安排时，任务时限不能用固定日期")
                elif due.date < phase.starts.date:
                    self.add(
                        (*loc, "due", "date"), f"时限 {due.date} 早于阶段开始 {phase.starts.date}"
                    )
                elif phase.ends and phase.ends.date and due.date > phase.ends.date:
                    self.add(
                        (*loc, "due", "date"), f"时限 {due.date} 晚于阶段结束 {phase.ends.date}"
                    )
                if task.cadence != "once":
                    self.add((*loc, "due", "date"), "周期性任务不能指定固定日期")
        self._ref(task.standard_set, self.set_slugs, (*loc, "standard_set"), "标准")
        self._ref(
            task.evaluation_scheme, self.scheme_slugs, (*loc, "evaluation_scheme"), "评议方案"
        )
        for k, slug in enumerate(task.rules):
            self._ref(slug, self.rule_slugs, (*loc, "rules", k), "规则")

    def _schemes(self) -> None:
        for i, scheme in enumerate(self.t.evaluation_schemes):
            points = [grade.points is not None for grade in scheme.grade_scale]
            if any(points) and not all(points):
                self.add(
                    ("evaluation_schemes", i, "grade_scale"),
                    "等次的 points 要么都填写，要么都不填",
                )

    # --- rules -----------------------------------------------------------------------------------

    def _rules(self) -> None:
        for i, rule in enumerate(self.t.rules):
            loc: Loc = ("rules", i)
            for k, ref in enumerate(rule.applies_to):
                self._applies_to(ref, (*loc, "applies_to", k))
            getattr(self, f"_rule_{rule.kind}")(rule, loc)

    def _applies_to(self, ref: str, loc: Loc) -> None:
        parts = ref.split(".")
        t = self.t
        collections: dict[str, tuple[str, set[str]]] = {
            "standard_sets": ("标准", self.set_slugs),
            "evaluation_schemes": ("评议方案", self.scheme_slugs),
            "honors": ("表彰项目", {h.slug for h in t.honors}),
            "phases": ("阶段", {p.slug for p in t.phases}),
            "tasks": ("任务", self.task_slugs),
            "rules": ("规则", self.rule_slugs),
        }
        if parts[0] not in collections or len(parts) < 2:
            self.add(
                loc,
                f"引用“{ref}”格式不正确，应写成 {'、'.join(f'{c}.<标识>' for c in collections)}"
                "，或 standard_sets.<标识>.criteria.<标识>",
            )
            return
        what, known = collections[parts[0]]
        if parts[1] not in known:
            self.add(loc, f"引用的{what}“{parts[1]}”不存在")
            return
        if len(parts) == 2:
            return
        standard = t.standard_set(parts[1])
        if (
            parts[0] != "standard_sets"
            or len(parts) != 4
            or parts[2] != "criteria"
            or standard is None
        ):
            self.add(
                loc,
                f"引用“{ref}”格式不正确，只有标准可以细到条件：standard_sets.<标识>.criteria.<标识>",
            )
            return
        if parts[3] not in {c.slug for c in standard.criteria}:
            self.add(loc, f"标准“{standard.name}”中没有条件“{parts[3]}”")

    def _names(self, rule_slug: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        names: dict[str, str] = {name: kind for name, (_, kind) in VOCABULARY.items()}
        names.update({f"facts.{fact.slug}": fact.type for fact in self.t.facts})
        for rule in self.t.rules:
            if rule.slug != rule_slug and rule.kind in RULE_OUTCOME_TYPES:
                names[f"rules.{rule.slug}"] = RULE_OUTCOME_TYPES[rule.kind]
        names.update(extra or {})
        return names

    def _ballot_names(self, scheme_slug: str | None) -> dict[str, str]:
        scheme = self.t.scheme(scheme_slug) if scheme_slug else None
        if scheme is None:
            return {}
        names: dict[str, str] = {name: kind for name, (_, kind) in BALLOT_NAMES.items()}
        names.update({f"ballots.{grade.slug}": "number" for grade in scheme.grade_scale})
        return names

    def _expression(
        self, text: str, loc: Loc, rule_slug: str, names: dict[str, str], expect: str
    ) -> None:
        try:
            tree = ex.parse(text)
        except ex.ExpressionError:
            return  # already reported by the schema
        for name in ex.names(tree):
            if name in names:
                if name.startswith("rules."):
                    self.rule_deps[rule_slug].add(name.removeprefix("rules."))
                continue
            self.add(loc, _unknown_name_message(name, names, self.rule_slugs, rule_slug, self.t))
            return
        found = _infer(tree, names)
        if isinstance(found, tuple):
            self.add(loc, found[1])
        elif expect != "any" and found not in (expect, "any"):
            self.add(loc, f"表达式的结果应为{TYPE_LABELS[expect]}，这里得到{TYPE_LABELS[found]}")

    def _conditions(
        self, conditions: Iterable[s.Condition], loc: Loc, rule_slug: str, names: dict[str, str]
    ) -> None:
        conditions = list(conditions)
        self._unique(conditions, loc, "条件")
        for k, condition in enumerate(conditions):
            self._expression(condition.when, (*loc, k, "when"), rule_slug, names, "boolean")

    def _rule_eligibility_gate(self, rule: s.EligibilityGate, loc: Loc) -> None:
        if rule.subject == "organization" and (rule.post_categories or rule.statuses):
            self.add((*loc, "post_categories"), "对党组织的资格条件不能按岗位类别或政治面貌限定")
        self._conditions(rule.conditions, (*loc, "conditions"), rule.slug, self._names(rule.slug))

    def _rule_point_scheme(self, rule: s.PointScheme, loc: Loc) -> None:
        names = self._names(rule.slug)
        self._unique(rule.items, (*loc, "items"), "积分项")
        for k, item in enumerate(rule.items):
            iloc = (*loc, "items", k)
            self._expression(item.value, (*iloc, "value"), rule.slug, names, "number")
            if item.zero_when:
                self._expression(item.zero_when, (*iloc, "zero_when"), rule.slug, names, "boolean")
            if item.max_points is not None and item.max_points < 0:
                self.add((*iloc, "max_points"), "单项封顶分不能为负数")
        if (
            rule.min_total is not None
            and rule.max_total is not None
            and rule.min_total > rule.max_total
        ):
            self.add((*loc, "min_total"), f"最低分 {rule.min_total} 高于最高分 {rule.max_total}")
        self._conditions(rule.zero_when, (*loc, "zero_when"), rule.slug, names)

    def _rule_grade_bands(self, rule: s.GradeBands, loc: Loc) -> None:
        names = self._names(rule.slug, {"score": "number"})
        self._expression(rule.value, (*loc, "value"), rule.slug, names, "number")
        self._unique(rule.bands, (*loc, "bands"), "等次", key="grade")
        for k in range(1, len(rule.bands)):
            if rule.bands[k].min >= rule.bands[k - 1].min:
                self.add(
                    (*loc, "bands", k, "min"),
                    f"等次应从高到低排列：下限 {rule.bands[k].min} 应低于上一档的 {rule.bands[k - 1].min}",
                )
        if rule.otherwise and rule.otherwise.grade in {band.grade for band in rule.bands}:
            self.add((*loc, "otherwise", "grade"), f"等次“{rule.otherwise.grade}”已在 bands 中")

    def _rule_composite_formula(self, rule: s.CompositeFormula, loc: Loc) -> None:
        self._unique(rule.parts, (*loc, "parts"), "组成部分")
        for k, part in enumerate(rule.parts):
            ploc = (*loc, "parts", k)
            if not self._ref(part.scheme, self.scheme_slugs, (*ploc, "scheme"), "评议方案"):
                continue
            scheme = self.t.scheme(part.scheme) if part.scheme else None
            if part.grade_points is not None and scheme is not None:
                grades = {grade.slug for grade in scheme.grade_scale}
                for grade in part.grade_points:
                    if grade not in grades:
                        self.add(
                            (*ploc, "grade_points", grade),
                            f"评议方案“{scheme.name}”中没有等次“{grade}”，可用：{'、'.join(sorted(grades))}",
                        )
            if part.expression is not None:
                names = self._names(rule.slug, self._ballot_names(part.scheme))
                self._expression(part.expression, (*ploc, "expression"), rule.slug, names, "number")
        parts = {f"parts.{part.slug}": "number" for part in rule.parts}
        self._expression(
            rule.formula, (*loc, "formula"), rule.slug, self._names(rule.slug, parts), "number"
        )

    def _rule_threshold(self, rule: s.Threshold, loc: Loc) -> None:
        self._ref(rule.scheme, self.scheme_slugs, (*loc, "scheme"), "评议方案")
        names = self._names(rule.slug, self._ballot_names(rule.scheme))
        self._expression(rule.expression, (*loc, "expression"), rule.slug, names, "boolean")
        if rule.consequence == "rectify_within" and rule.rectify_days is None:
            self.add((*loc, "rectify_days"), "后果为限期整改（rectify_within）时必须填写整改天数")

    def _rule_veto(self, rule: s.Veto, loc: Loc) -> None:
        self._conditions(rule.conditions, (*loc, "conditions"), rule.slug, self._names(rule.slug))

    def _rule_quota(self, rule: s.Quota, loc: Loc) -> None:
        if rule.max_count is not None and rule.min_count > rule.max_count:
            self.add(
                (*loc, "min_count"), f"最少名额 {rule.min_count} 多于最多名额 {rule.max_count}"
            )
        self._unique(rule.tier_caps, (*loc, "tier_caps"), "档次", key="tier")

    def _rule_participation_requirement(self, rule: s.ParticipationRequirement, loc: Loc) -> None:
        self._ref(rule.scheme, self.scheme_slugs, (*loc, "scheme"), "评议方案")

    def _rule_review_chain(self, rule: s.ReviewChain, loc: Loc) -> None:
        self._unique(rule.steps, (*loc, "steps"), "环节")

    def _rule_public_notice(self, rule: s.PublicNotice, loc: Loc) -> None:
        """A notice period has nothing to cross-check: its fields are validated by the schema."""

    def _cycles(self) -> None:
        state: dict[str, int] = {}
        order = {rule.slug: i for i, rule in enumerate(self.t.rules)}

        def visit(slug: str, trail: list[str]) -> None:
            state[slug] = 1
            for dep in sorted(self.rule_deps.get(slug, ())):
                if state.get(dep) == 1:
                    cycle = [*trail[trail.index(dep) :], dep] if dep in trail else [slug, dep]
                    self.add(("rules", order[slug]), f"规则之间循环引用：{' → '.join(cycle)}")
                elif state.get(dep) is None and dep in self.rule_deps:
                    visit(dep, [*trail, dep])
            state[slug] = 2

        for rule in self.t.rules:
            if rule.slug not in state:
                visit(rule.slug, [rule.slug])

    # --- honors and rectification -----------------------------------------------------------------

    def _honors(self) -> None:
        for i, honor in enumerate(self.t.honors):
            loc: Loc = ("honors", i)
            if self._ref(honor.standard_set, self.set_slugs, (*loc, "standard_set"), "标准"):
                standard = self.t.standard_set(honor.standard_set) if honor.standard_set else None
                if standard and standard.subject != honor.subject:
                    self.add(
                        (*loc, "standard_set"),
                        f"表彰对象是{s.SUBJECT_LABELS[honor.subject]}，"
                        f"而标准“{standard.name}”针对{s.SUBJECT_LABELS[standard.subject]}",
                    )
            for k, slug in enumerate(honor.rules):
                self._ref(slug, self.rule_slugs, (*loc, "rules", k), "规则")

    def _rectification(self) -> None:
        rect = self.t.rectification
        if rect is None or rect.redo_rule is None:
            return
        loc: Loc = ("rectification", "redo_rule")
        if self._ref(rect.redo_rule, self.rule_slugs, loc, "规则"):
            rule = self.t.rule(rect.redo_rule)
            if rule.kind != "threshold":
                self.add(loc, "重新整改规则应为阈值规则（kind: threshold）")


# --- helpers -------------------------------------------------------------------------------------


def _phase_length(phase: s.Phase) -> int | None:
    if phase.duration_days is not None:
        return phase.duration_days
    if phase.ends is None:
        return None
    if phase.starts.date and phase.ends.date:
        return (phase.ends.date - phase.starts.date).days + 1
    if phase.starts.offset_days is not None and phase.ends.offset_days is not None:
        return phase.ends.offset_days - phase.starts.offset_days + 1
    return None


def _template_span(template: s.CampaignTemplate) -> int | None:
    """Days from the first phase's start to the last phase's end, when they can be compared."""
    windows: list[tuple[int, int]] = []
    dated = {phase.starts.date is not None for phase in template.phases}
    if len(dated) != 1:
        return None
    for phase in template.phases:
        length = _phase_length(phase)
        if length is None:
            return None
        if phase.starts.date is not None:
            first = phase.starts.date.toordinal()
        else:
            first = phase.starts.offset_days or 0
        windows.append((first, first + length - 1))
    return max(end for _, end in windows) - min(start for start, _ in windows) + 1


def _unknown_name_message(
    name: str, names: dict[str, str], rule_slugs: set[str], rule_slug: str, t: s.CampaignTemplate
) -> str:
    if name.startswith("rules."):
        target = name.removeprefix("rules.")
        if target == rule_slug:
            return f"规则不能引用自己（{name}）"
        if target in rule_slugs:
            return f"“{t.rule(target).name}”这类规则的结果不能在表达式中使用（{name}）"
        return f"引用的规则“{target}”不存在"
    if name.startswith("facts."):
        return f"未声明的录入项“{name}”：请先在 facts 中定义 {name.removeprefix('facts.')}"
    if name.startswith("ballots."):
        ballots = sorted(n for n in names if n.startswith("ballots."))
        if not ballots:
            return f"使用 {name} 需要先用 scheme 指定评议方案"
        return f"评议方案中没有“{name}”，可用：{'、'.join(ballots)}"
    if name.startswith("parts."):
        return f"没有名为“{name.removeprefix('parts.')}”的组成部分"
    local = sorted(n for n in names if n.split(".")[0] in ("ballots", "parts", "score"))
    hint = f"本处还可用：{'、'.join(local)}；" if local else ""
    return f"未知的名称“{name}”。{hint}可用的输入见 FORMAT.md 的输入名称表"


def _infer(node: ex.Node, names: dict[str, str]) -> str | tuple[str, str]:
    """The type an expression yields, or ("error", message) where it mixes types."""
    if isinstance(node, ex.Number):
        return "number"
    if isinstance(node, ex.String):
        return "text"
    if isinstance(node, ex.Boolean):
        return "boolean"
    if isinstance(node, ex.Name):
        return names.get(node.path, "any")
    if isinstance(node, ex.Unary):
        inner = _infer(node.operand, names)
        if isinstance(inner, tuple):
            return inner
        want = "boolean" if node.op == "not" else "number"
        if inner not in (want, "any"):
            return (
                "error",
                f"“{node.op}”的运算对象应为{TYPE_LABELS[want]}，这里是{TYPE_LABELS[inner]}",
            )
        return want
    if isinstance(node, ex.Binary):
        left, right = _infer(node.left, names), _infer(node.right, names)
        for side in (left, right):
            if isinstance(side, tuple):
                return side
        if node.op in ("and", "or"):
            want, result = "boolean", "boolean"
        elif node.op in ("==", "!="):
            if "any" not in (left, right) and left != right:
                return ("error", f"不能比较{TYPE_LABELS[left]}和{TYPE_LABELS[right]}")  # type: ignore[index]
            return "boolean"
        elif node.op in ("<", "<=", ">", ">="):
            want, result = "number", "boolean"
        else:
            want, result = "number", "number"
        for side in (left, right):
            if side not in (want, "any"):
                return (
                    "error",
                    f"“{node.op}”两边应为{TYPE_LABELS[want]}，这里有{TYPE_LABELS[side]}",  # type: ignore[index]
                )
        return result
    assert isinstance(node, ex.Call)
    args = [_infer(arg, names) for arg in node.args]
    for arg in args:
        if isinstance(arg, tuple):
            return arg
    if node.function == "if":
        if args[0] not in ("boolean", "any"):
            return ("error", "if 的第一个参数应为真假值")
        return args[1] if args[1] == args[2] else "any"
    if node.function == "count":
        return "number"
    for arg in args:
        if arg not in ("number", "any"):
            return ("error", f"函数 {node.function} 的参数应为数值，这里有{TYPE_LABELS[arg]}")  # type: ignore[index]
    return "number"
