"""The campaign template format (活动模板): pydantic models validated at the door.

Every model forbids unknown keys, so a misspelt field is an error instead of a silently ignored
one. Field names are English, values Chinese. Everything is identified by a slug so that rules
can refer to `standard_sets.ten_stars_member.criteria.theory` without depending on Chinese
names, which editors change. Cross references (a rule naming a criterion, a task naming an
evaluation scheme) are checked by the loader after the structure is valid.

The package is pure Python: codes that mirror Django choices (post categories, organization
kinds) are repeated here as literals and a test keeps them in step with the models.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from xianfeng.campaigns.rules.expressions import ExpressionError, parse

# --- primitive types -------------------------------------------------------------------------

SLUG_PATTERN = r"^[a-z][a-z0-9_]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)]


def _number_out(value: Decimal) -> int | float:
    # Integral numbers are written back as integers so an exported template reads like the
    # hand-written one it came from.
    return int(value) if value == value.to_integral_value() else float(value)


def _percent_in(value: Any) -> Any:
    """Accept `60%` as well as 0.6 wherever a fraction is expected."""
    if isinstance(value, str) and value.strip().endswith("%"):
        body = value.strip()[:-1].strip()
        try:
            return Decimal(body) / 100
        except ArithmeticError:
            raise PydanticCustomError(
                "percent_format", "百分数格式不正确，应写成 60% 或 0.6"
            ) from None
    return value


def _check_fraction(value: Decimal) -> Decimal:
    if value < 0 or value > 1:
        raise PydanticCustomError("fraction_range", "比例应在 0 到 1（0% 到 100%）之间")
    return value


Number = Annotated[Decimal, Field(allow_inf_nan=False), PlainSerializer(_number_out)]
Fraction = Annotated[
    Decimal,
    BeforeValidator(_percent_in),
    Field(allow_inf_nan=False),
    AfterValidator(_check_fraction),
    PlainSerializer(_number_out),
]
PositiveInt = Annotated[int, Field(ge=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]


def _check_expression(text: str) -> str:
    try:
        parse(text)
    except ExpressionError as exc:
        raise PydanticCustomError("expression_syntax", "{message}", {"message": str(exc)}) from None
    return text


Expression = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_check_expression),
]

# --- shared vocabularies (codes mirror Django choices elsewhere) --------------------------------

SubjectType = Literal["organization", "member", "party_affairs_worker"]
SUBJECT_LABELS = {"organization": "党组织", "member": "党员", "party_affairs_worker": "党务工作者"}

PostCategoryCode = Literal[
    "administrator", "head_teacher", "teacher", "logistics", "student_member", "retired"
]
OrganizationKindCode = Literal["committee", "general_branch", "branch", "group", "functional_group"]
PoliticalStatusCode = Literal[
    "member", "probationary", "candidate", "activist", "applicant", "masses"
]
MemberFlag = Literal["party_affairs_worker", "leadership_member", "new_member"]
POST_CATEGORY_LABELS = {
    "administrator": "行政人员",
    "head_teacher": "班主任",
    "teacher": "一线教师",
    "logistics": "后勤",
    "student_member": "学生党员",
    "retired": "离退休",
}
STATUS_LABELS = {
    "member": "正式党员",
    "probationary": "预备党员",
    "candidate": "发展对象",
    "activist": "入党积极分子",
    "applicant": "入党申请人",
    "masses": "群众",
}

Cadence = Literal["once", "weekly", "monthly", "quarterly", "half_yearly", "yearly"]
CADENCE_LABELS = {
    "once": "一次",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "half_yearly": "每半年",
    "yearly": "每年",
}

EvidenceKind = Literal[
    "document",
    "photo",
    "sign_in_sheet",
    "minutes",
    "plan",
    "report",
    "form",
    "video",
    "notes",
    "other",
]
EVIDENCE_LABELS = {
    "document": "文字材料",
    "photo": "照片",
    "sign_in_sheet": "签到表",
    "minutes": "会议记录",
    "plan": "方案",
    "report": "总结报告",
    "form": "表格",
    "video": "视频",
    "notes": "笔记",
    "other": "其他材料",
}

# What a task is, so that the app that implements the activity (commitments, study, evaluation…)
# can find the tasks it serves. `general` is a plain checklist item.
Activity = Literal[
    "general",
    "meeting",
    "plan",
    "study",
    "party_lecture",
    "reading_notes",
    "reflection",
    "test",
    "training",
    "discussion",
    "commitment",
    "fulfilment_report",
    "functional_groups",
    "star_pursuit",
    "demonstration_lesson",
    "service",
    "opinion_solicitation",
    "heart_to_heart",
    "party_spirit_analysis",
    "org_life_meeting",
    "democratic_life_meeting",
    "democratic_evaluation",
    "leader_comment",
    "satisfaction_survey",
    "duty_report",
    "rectification",
    "selection",
    "exemplar",
    "exchange",
    "publicity",
    "summary",
    "inspection",
    "assessment",
    "member_development",
]

EvaluatorGroup = Literal[
    "members",
    "masses_staff",
    "masses_students",
    "masses_parents",
    "leaders",
    "branch_committee",
    "superior",
    "group_members",
    "peers",
]
EVALUATOR_LABELS = {
    "members": "党员",
    "masses_staff": "教职工群众",
    "masses_students": "学生",
    "masses_parents": "家长",
    "leaders": "领导",
    "branch_committee": "支部委员会",
    "superior": "上级党组织",
    "group_members": "党小组成员",
    "peers": "同级",
}

EvaluationSubject = Literal[
    "organization",
    "member",
    "party_affairs_worker",
    "leadership",
    "leader",
    "campaign",
    "rectification",
    "commitment",
    "lesson",
]
EvaluationPurpose = Literal[
    "democratic_evaluation",
    "satisfaction_survey",
    "fulfilment_rating",
    "lesson_observation",
    "duty_assessment",
]

ReviewRole = Literal[
    "member",
    "probationary_member",
    "party_affairs_worker",
    "group_leader",
    "branch_secretary",
    "branch_committee",
    "general_branch_secretary",
    "organization_head",
    "leadership_member",
    "department_head",
    "leader",
    "office",
    "superior",
]
ROLE_LABELS = {
    "member": "党员",
    "probationary_member": "预备党员",
    "party_affairs_worker": "党务工作者",
    "group_leader": "党小组长",
    "branch_secretary": "支部书记",
    "branch_committee": "支部委员会",
    "general_branch_secretary": "总支书记",
    "organization_head": "党组织主要负责人",
    "leadership_member": "领导班子成员",
    "department_head": "部门负责人",
    "leader": "领导",
    "office": "领导小组办公室",
    "superior": "上级党组织",
}


class Model(BaseModel):
    """Base of every template model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", validate_default=False)


def _exactly_one(model: BaseModel, fields: tuple[str, ...], label: str) -> None:
    given = [name for name in fields if getattr(model, name) is not None]
    if len(given) != 1:
        names = "、".join(fields)
        raise PydanticCustomError(
            "exactly_one", "{label}：{names} 必须且只能填写一项", {"label": label, "names": names}
        )


# --- standards (创建标准) ----------------------------------------------------------------------


class Deliverable(Model):
    """A required piece of work (成果), e.g. 一堂精品课; `options` lists forms that count equally."""

    slug: Slug
    name: Text
    description: LongText = ""
    count: PositiveInt = 1
    options: list[Text] = []


class Criterion(Model):
    """One criterion or star of a standard set (理论星, 领导班子好 …) with its full text."""

    slug: Slug
    name: Text
    text: LongText = ""
    eligible_post_categories: list[PostCategoryCode] = []
    deliverables: list[Deliverable] = []
    rule: Slug | None = None


class Tier(Model):
    """A tier of 晋档升级 (先进/一般/后进); rank 1 is the best."""

    slug: Slug
    name: Text
    rank: PositiveInt


class StandardSet(Model):
    """创建标准: 十星, 五个好, 五带头, 三星 …"""

    slug: Slug
    name: Text
    subject: SubjectType
    kind: Literal["stars", "attainment", "tiers"]
    description: LongText = ""
    criteria: list[Criterion] = []
    tiers: list[Tier] = []
    rating_rule: Slug | None = None


# --- phases and tasks (阶段与任务) --------------------------------------------------------------


class DayAnchor(Model):
    """A day: a fixed date, or a number of days after the campaign starts."""

    date: datetime.date | None = None
    offset_days: int | None = None

    @model_validator(mode="after")
    def _one(self) -> DayAnchor:
        _exactly_one(self, ("date", "offset_days"), "日期")
        return self


class Due(Model):
    """A task's deadline inside its phase."""

    date: datetime.date | None = None
    offset_days: int | None = None
    at_phase_end: Literal[True] | None = None

    @model_validator(mode="after")
    def _one(self) -> Due:
        _exactly_one(self, ("date", "offset_days", "at_phase_end"), "办结时限")
        return self


class Responsible(Model):
    """Who must do a task; each matching unit gets its own checklist item."""

    unit: Literal["each_organization", "each_member", "each_leader", "office", "leadership_group"]
    organization_kind: OrganizationKindCode | None = None
    statuses: list[PoliticalStatusCode] = []
    post_categories: list[PostCategoryCode] = []
    flags: list[MemberFlag] = []

    @model_validator(mode="after")
    def _filters_fit_unit(self) -> Responsible:
        if self.unit == "each_organization" and self.organization_kind is None:
            raise PydanticCustomError(
                "responsible_kind", "责任单位为“每个党组织”时必须填写 organization_kind"
            )
        if self.unit != "each_organization" and self.organization_kind is not None:
            raise PydanticCustomError(
                "responsible_kind", "只有“每个党组织”可以填写 organization_kind"
            )
        if self.unit != "each_member" and (self.statuses or self.post_categories or self.flags):
            raise PydanticCustomError(
                "responsible_filter", "statuses、post_categories、flags 只能用于“每名党员”"
            )
        return self


class Evidence(Model):
    """Evidence a task requires (佐证材料) and how many pieces."""

    kind: EvidenceKind
    name: Text | None = None
    min_count: PositiveInt = 1

    @model_validator(mode="after")
    def _named_other(self) -> Evidence:
        if self.kind == "other" and not self.name:
            raise PydanticCustomError("evidence_name", "材料类别为 other 时必须填写 name")
        return self


class TaskNumbers(Model):
    """Numeric requirements checked by the app that implements the task."""

    min_hours: Number | None = None
    min_characters: PositiveInt | None = None
    min_count: PositiveInt | None = None
    min_score: Number | None = None
    min_average_score: Number | None = None
    max_score: Number | None = None
    min_participants: PositiveInt | None = None


class Task(Model):
    """A task of a phase (工作要求): what, who, by when, how often, with which evidence."""

    slug: Slug
    title: Text
    description: LongText = ""
    activity: Activity = "general"
    responsible: Responsible
    due: Due | None = None
    cadence: Cadence = "once"
    evidence: list[Evidence] = []
    numbers: TaskNumbers | None = None
    standard_set: Slug | None = None
    evaluation_scheme: Slug | None = None
    rules: list[Slug] = []
    public: bool = False


class Phase(Model):
    """阶段: starts on a date or an offset, lasts a number of days or ends on a date."""

    slug: Slug
    name: Text
    description: LongText = ""
    starts: DayAnchor
    duration_days: PositiveInt | None = None
    ends: DayAnchor | None = None
    goals: list[Text] = []
    tasks: list[Task] = []

    @model_validator(mode="after")
    def _one_end(self) -> Phase:
        _exactly_one(self, ("duration_days", "ends"), "阶段结束")
        return self


# --- evaluation schemes (评议方案) --------------------------------------------------------------


class Grade(Model):
    """A grade of a scale (优秀/合格/… or 满意/基本满意/不满意)."""

    slug: Slug
    name: Text
    points: Number | None = None


class EvaluationScheme(Model):
    """Who evaluates whom, on which scale, with how many ballots (民主评议, 满意度测评 …)."""

    slug: Slug
    name: Text
    description: LongText = ""
    purpose: EvaluationPurpose = "democratic_evaluation"
    subject: EvaluationSubject
    evaluators: Annotated[list[EvaluatorGroup], Field(min_length=1)]
    grade_scale: Annotated[list[Grade], Field(min_length=2)]
    min_ballots: PositiveInt = 1
    min_participation: Fraction | None = None
    anonymous: bool = True


# --- rules (规则) -------------------------------------------------------------------------------


class RuleBase(Model):
    slug: Slug
    name: Text
    description: LongText = ""
    applies_to: list[Text] = []


class Condition(Model):
    """A named condition written as an expression (`discipline.sanctioned`)."""

    slug: Slug
    name: Text
    when: Expression


class GateCondition(Condition):
    effect: Literal["disqualify", "require"] = "disqualify"


class EligibilityGate(RuleBase):
    """资格条件: who may be rated at all."""

    kind: Literal["eligibility_gate"]
    subject: SubjectType
    statuses: list[PoliticalStatusCode] = []
    post_categories: list[PostCategoryCode] = []
    conditions: list[GateCondition] = []


class PointItem(Model):
    """An item of a point scheme: value × per_unit points, capped, zeroed on a violation."""

    slug: Slug
    name: Text
    effect: Literal["add", "subtract"] = "add"
    value: Expression
    per_unit: Number = Decimal(1)
    max_points: Number | None = None
    zero_when: Expression | None = None


class PointScheme(RuleBase):
    """积分: base plus bonuses minus deductions, with caps."""

    kind: Literal["point_scheme"]
    base: Number = Decimal(0)
    items: Annotated[list[PointItem], Field(min_length=1)]
    min_total: Number | None = None
    max_total: Number | None = None
    zero_when: list[Condition] = []


class Band(Model):
    grade: Slug
    name: Text
    min: Number


class GradeBands(RuleBase):
    """等次: the first band (highest first) whose minimum the value reaches."""

    kind: Literal["grade_bands"]
    value: Expression = "score"
    bands: Annotated[list[Band], Field(min_length=1)]
    otherwise: Band | None = None


class FormulaPart(Model):
    """One part of a composite: the ballots of one scheme, as weighted grade points or an expression."""

    slug: Slug
    name: Text
    scheme: Slug | None = None
    grade_points: dict[Slug, Number] | None = None
    expression: Expression | None = None

    @model_validator(mode="after")
    def _one(self) -> FormulaPart:
        _exactly_one(self, ("grade_points", "expression"), "组成部分")
        if self.grade_points is not None and self.scheme is None:
            raise PydanticCustomError("part_scheme", "使用 grade_points 时必须填写 scheme")
        return self


class CompositeFormula(RuleBase):
    """综合得分: parts from evaluation results combined by a formula (`0.6 * parts.members + …`)."""

    kind: Literal["composite_formula"]
    parts: Annotated[list[FormulaPart], Field(min_length=1)]
    formula: Expression


class Threshold(RuleBase):
    """阈值: a condition on results with a consequence (多数不满意 → 补课)."""

    kind: Literal["threshold"]
    scheme: Slug | None = None
    expression: Expression
    consequence: Literal[
        "redo", "re_rectify", "no_excellent", "rectify_within", "not_qualified", "warning"
    ]
    consequence_text: Text
    rectify_days: PositiveInt | None = None


class Veto(RuleBase):
    """一票否决: any condition true blocks the honor or rating the rule applies to."""

    kind: Literal["veto"]
    conditions: Annotated[list[Condition], Field(min_length=1)]


class TierCap(Model):
    tier: Slug
    name: Text
    max_count: NonNegativeInt | None = None
    max_percent: Fraction | None = None

    @model_validator(mode="after")
    def _one(self) -> TierCap:
        _exactly_one(self, ("max_count", "max_percent"), "档次上限")
        return self


class Quota(RuleBase):
    """名额: a count or a share of candidates, overall or per unit, with caps per tier."""

    kind: Literal["quota"]
    per: Literal["overall", "unit"] = "overall"
    max_count: NonNegativeInt | None = None
    max_percent: Fraction | None = None
    min_count: NonNegativeInt = 0
    rounding: Literal["floor", "round", "ceil"] = "floor"
    at_least_one: bool = False
    min_score: Number | None = None
    tier_caps: list[TierCap] = []
    ties: Literal["input_order", "include_all", "exclude_all"] = "input_order"

    @model_validator(mode="after")
    def _one(self) -> Quota:
        _exactly_one(self, ("max_count", "max_percent"), "名额")
        return self


class ParticipationRequirement(RuleBase):
    """参与率: results count only when enough of those entitled took part."""

    kind: Literal["participation_requirement"]
    scheme: Slug | None = None
    min_rate: Fraction
    min_count: NonNegativeInt = 0


class ReviewStep(Model):
    """One link of a review chain: reviewer role → reviewee role, and how they are related."""

    slug: Slug
    name: Text
    reviewer: ReviewRole
    reviewee: ReviewRole
    relation: Literal["same_unit", "parent_unit", "supervises", "any"] = "same_unit"


class ReviewChain(RuleBase):
    """审阅/审批顺序: `assignment` gives each reviewee the first matching step; `sequential` all in order."""

    kind: Literal["review_chain"]
    mode: Literal["assignment", "sequential"] = "assignment"
    steps: Annotated[list[ReviewStep], Field(min_length=1)]


class PublicNotice(RuleBase):
    """公示: how many (working) days a result is on public notice before it stands."""

    kind: Literal["public_notice"]
    days: PositiveInt
    working_days: bool = False
    objections: bool = True


Rule = Annotated[
    EligibilityGate
    | PointScheme
    | GradeBands
    | CompositeFormula
    | Threshold
    | Veto
    | Quota
    | ParticipationRequirement
    | ReviewChain
    | PublicNotice,
    Field(discriminator="kind"),
]
RULE_KINDS = (
    "eligibility_gate",
    "point_scheme",
    "grade_bands",
    "composite_formula",
    "threshold",
    "veto",
    "quota",
    "participation_requirement",
    "review_chain",
    "public_notice",
)

# --- honors, rectification, leadership, targets --------------------------------------------------


class Honor(Model):
    """评选表彰: an honor, the standard it is judged against and the rules that govern it."""

    slug: Slug
    name: Text
    subject: SubjectType
    description: LongText = ""
    standard_set: Slug | None = None
    rules: list[Slug] = []
    approver: Text | None = None


class RectificationCategory(Model):
    slug: Slug
    name: Text
    description: LongText = ""


class Rectification(Model):
    """整改: categories of issues, default deadline, and the rule that orders a redo."""

    categories: list[RectificationCategory] = []
    due_days: PositiveInt | None = None
    public: bool = True
    redo_rule: Slug | None = None


class LeadershipRole(Model):
    slug: Slug
    name: Text
    holder: Text | None = None
    count: PositiveInt | None = None


class Subgroup(Model):
    slug: Slug
    name: Text
    duties: list[Text] = []


class LeadershipGroup(Model):
    """领导小组: roles, its office and working sub-groups."""

    name: Text = "领导小组"
    roles: list[LeadershipRole] = []
    office_name: Text | None = None
    office_director: Text | None = None
    office_duties: list[Text] = []
    subgroups: list[Subgroup] = []


class Target(Model):
    """A number the plan sets (集中学习不少于 40 学时)."""

    slug: Slug
    name: Text
    value: Number
    unit: Text | None = None


class Fact(Model):
    """An input the system does not collect itself; a person records it and rules use it as `facts.<slug>`."""

    slug: Slug
    name: Text
    type: Literal["number", "boolean"] = "boolean"


class CampaignTemplate(Model):
    """活动模板: everything a campaign of one shape needs, as data."""

    slug: Slug
    name: Text
    version: PositiveInt = 1
    source: LongText = ""
    theme: Text
    carriers: list[Text] = []
    goals: list[LongText] = []
    summary: LongText = ""
    min_duration_days: PositiveInt | None = None
    leadership_group: LeadershipGroup | None = None
    targets: list[Target] = []
    facts: list[Fact] = []
    standard_sets: list[StandardSet] = []
    phases: Annotated[list[Phase], Field(min_length=1)]
    evaluation_schemes: list[EvaluationScheme] = []
    rules: list[Rule] = []
    honors: list[Honor] = []
    rectification: Rectification | None = None

    # Lookups used by the loader, the engine and the apps that instantiate campaigns.
    def rule(self, slug: str) -> Any:
        return next((rule for rule in self.rules if rule.slug == slug), None)

    def scheme(self, slug: str) -> EvaluationScheme | None:
        return next((s for s in self.evaluation_schemes if s.slug == slug), None)

    def standard_set(self, slug: str) -> StandardSet | None:
        return next((s for s in self.standard_sets if s.slug == slug), None)

    def phase(self, slug: str) -> Phase | None:
        return next((p for p in self.phases if p.slug == slug), None)

    def tasks(self) -> list[tuple[Phase, Task]]:
        return [(phase, task) for phase in self.phases for task in phase.tasks]
