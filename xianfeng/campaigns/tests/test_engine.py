import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from xianfeng.campaigns.rules.engine import (
    RuleEvaluationError,
    evaluate,
    evaluate_many,
    rule_dependencies,
)
from xianfeng.campaigns.templating import schema
from xianfeng.campaigns.templating.loader import load_template

RULE = TypeAdapter(schema.Rule)
MINIMAL = load_template(
    (Path(__file__).resolve().parent.parent / "templating" / "examples" / "minimal.yaml").read_text(
        encoding="utf-8"
    )
)


def rule(**data: Any) -> Any:
    data.setdefault("slug", "r")
    data.setdefault("name", "测试规则")
    return RULE.validate_python(data)


def texts(result) -> str:
    return "\n".join(step.text for step in result.explanation)


# --- eligibility gate ------------------------------------------------------------------------------

GATE = rule(
    kind="eligibility_gate",
    name="优秀共产党员参评资格",
    subject="member",
    statuses=["member", "probationary"],
    post_categories=["teacher", "head_teacher"],
    conditions=[
        {"slug": "sanctioned", "name": "受到党纪处分", "when": "discipline.sanctioned"},
        {
            "slug": "study",
            "name": "集中学习满 40 学时",
            "when": "study.hours >= 40",
            "effect": "require",
        },
    ],
)


def test_gate_passes_with_reasons():
    result = evaluate(
        GATE,
        {
            "status": "member",
            "post_category": "teacher",
            "discipline.sanctioned": False,
            "study.hours": 42,
        },
    )
    assert result.outcome is True
    assert result.details["failed"] == []
    assert "政治面貌为正式党员，在可参评范围（正式党员、预备党员）内" in texts(result)
    assert "岗位类别为一线教师，在可参评岗位（一线教师、班主任）内" in texts(result)
    assert "条件“集中学习满 40 学时”成立（集中学习学时 = 42），符合必备条件" in texts(result)
    assert result.conclusion == "结论：具备参评资格"


def test_gate_fails_on_every_count():
    result = evaluate(
        GATE,
        {
            "status": "activist",
            "post_category": "logistics",
            "discipline": {"sanctioned": True},
            "study": {"hours": 12},
        },
    )
    assert result.outcome is False
    assert result.details["failed"] == ["status", "post_category", "sanctioned", "study"]
    assert "受到党纪处分 = 是），取消参评资格" in texts(result)
    assert "不符合必备条件" in texts(result)
    assert result.conclusion == "结论：不具备参评资格（4 项不符）"
    assert result.explanation[2].inputs == {"discipline.sanctioned": True}


def test_gate_missing_input_is_a_clear_error():
    with pytest.raises(RuleEvaluationError, match="缺少输入 status"):
        evaluate(GATE, {})
    with pytest.raises(RuleEvaluationError, match=r"未知的名称“discipline\.sanctioned”"):
        evaluate(GATE, {"status": "member", "post_category": "teacher"})


# --- point scheme ----------------------------------------------------------------------------------

POINTS = rule(
    kind="point_scheme",
    name="十星积分",
    base=60,
    items=[
        {
            "slug": "study",
            "name": "学习",
            "value": "study.hours",
            "per_unit": 0.5,
            "max_points": 20,
        },
        {
            "slug": "commitments",
            "name": "践诺",
            "value": "commitments.kept",
            "per_unit": 2,
            "max_points": 20,
            "zero_when": "commitments.unkept > 0",
        },
        {
            "slug": "absence",
            "name": "缺席",
            "effect": "subtract",
            "value": "meetings.absent",
            "per_unit": 5,
        },
    ],
    max_total=100,
    min_total=0,
    zero_when=[{"slug": "sanctioned", "name": "受到党纪处分", "when": "discipline.sanctioned"}],
)


def points_inputs(**overrides):
    base = {
        "study.hours": 30,
        "commitments.kept": 4,
        "commitments.unkept": 0,
        "meetings.absent": 1,
        "discipline.sanctioned": False,
    }
    return {**base, **overrides}


def test_points_base_bonus_deduction():
    result = evaluate(POINTS, points_inputs())
    # 60 + min(30*0.5, 20) + min(4*2, 20) - 1*5 = 60 + 15 + 8 - 5
    assert result.outcome == Decimal(78)
    assert result.details["items"] == {"study": 15, "commitments": 8, "absence": -5}
    assert "基础分 60" in texts(result)
    assert "学习：集中学习学时 = 30 × 0.5 = 15 → +15" in texts(result)
    assert "缺席：无故缺席组织生活次数 = 1 × 5 = 5 → −5" in texts(result)
    assert result.conclusion == "总分 78"


def test_points_caps_item_and_total():
    result = evaluate(
        POINTS, points_inputs(**{"study.hours": 100, "commitments.kept": 30, "meetings.absent": 0})
    )
    assert result.details["items"]["study"] == 20
    assert "封顶 20" in texts(result)
    assert result.outcome == Decimal(100)
    assert "超过上限" not in texts(result)


def test_points_total_cap_and_floor():
    capped = rule(
        kind="point_scheme",
        base=95,
        items=[{"slug": "a", "name": "加分", "value": "awards.count", "per_unit": 10}],
        max_total=100,
    )
    result = evaluate(capped, {"awards.count": 2})
    assert result.outcome == Decimal(100)
    assert "合计 115 超过上限，按 100 计" in texts(result)
    floored = rule(
        kind="point_scheme",
        base=10,
        items=[
            {
                "slug": "a",
                "name": "扣分",
                "effect": "subtract",
                "value": "ethics.violations",
                "per_unit": 20,
            }
        ],
        min_total=0,
    )
    result = evaluate(floored, {"ethics.violations": 1})
    assert result.outcome == Decimal(0)
    assert "合计 -10 低于下限，按 0 计" in texts(result)


def test_points_item_zeroed_on_violation():
    result = evaluate(POINTS, points_inputs(**{"commitments.unkept": 1}))
    assert result.details["items"]["commitments"] == 0
    assert "践诺：因未兑现承诺数 = 1，本项记 0 分" in texts(result)
    assert result.outcome == Decimal(70)


def test_points_whole_scheme_zeroed():
    result = evaluate(POINTS, points_inputs(**{"discipline.sanctioned": True}))
    assert result.outcome == Decimal(0)
    assert result.details["zeroed_by"] == "sanctioned"
    assert "“受到党纪处分”成立（受到党纪处分 = 是），总分记为 0" in texts(result)


# --- grade bands -----------------------------------------------------------------------------------

BANDS = rule(
    kind="grade_bands",
    name="评议等次",
    bands=[
        {"grade": "excellent", "name": "优秀", "min": 90},
        {"grade": "qualified", "name": "合格", "min": 70},
        {"grade": "basically_qualified", "name": "基本合格", "min": 60},
    ],
    otherwise={"grade": "unqualified", "name": "不合格", "min": 0},
)


@pytest.mark.parametrize(
    ("score", "grade", "fragment"),
    [
        (95, "excellent", "score = 95，达到“优秀”的下限 90"),
        (90, "excellent", "达到“优秀”的下限 90"),
        (89.5, "qualified", "达到“合格”的下限 70，未达到“优秀”的 90"),
        (60, "basically_qualified", "达到“基本合格”的下限 60"),
        (12, "unqualified", "低于最低等次“基本合格”的下限 60"),
    ],
)
def test_grade_bands(score, grade, fragment):
    result = evaluate(BANDS, {"score": score})
    assert result.outcome == grade
    assert fragment in texts(result)


def test_grade_bands_without_fallback():
    strict = rule(
        kind="grade_bands", value="test.score", bands=[{"grade": "pass", "name": "及格", "min": 60}]
    )
    result = evaluate(strict, {"test.score": 59})
    assert result.outcome is None
    assert result.conclusion == "未达到任何等次"
    assert "测试成绩 = 59" in texts(result)


# --- composite formula -----------------------------------------------------------------------------

COMPOSITE = rule(
    kind="composite_formula",
    name="党员综合评议",
    parts=[
        {
            "slug": "members",
            "name": "党员评议",
            "scheme": "member_evaluation",
            "grade_points": {
                "excellent": 100,
                "qualified": 80,
                "basically_qualified": 60,
                "unqualified": 0,
            },
        },
        {
            "slug": "masses",
            "name": "群众满意率",
            "scheme": "satisfaction",
            "expression": "(ballots.satisfied + 0.5 * ballots.basically_satisfied) / ballots.total * 100",
        },
    ],
    formula="0.6 * parts.members + 0.4 * parts.masses",
)


def test_composite_weighted_grades_and_parts():
    result = evaluate(
        COMPOSITE,
        {
            "parts": {
                "members": {
                    "excellent": 6,
                    "qualified": 3,
                    "basically_qualified": 1,
                    "unqualified": 0,
                },
                "masses": {"satisfied": 15, "basically_satisfied": 4, "dissatisfied": 1},
            }
        },
        template=MINIMAL,
    )
    # members: (600 + 240 + 60) / 10 = 90; masses: (15 + 2) / 20 * 100 = 85; 0.6*90 + 0.4*85 = 88
    assert result.details["parts"] == {"members": Decimal(90), "masses": Decimal(85)}
    assert result.outcome == Decimal(88)
    assert (
        "党员评议：（优秀 6 票×100 + 合格 3 票×80 + 基本合格 1 票×60 + 不合格 0 票×0）÷ 共 10 票 = 90"
        in texts(result)
    )
    assert "满意票 = 15" in texts(result) and "有效票数 = 20" in texts(result)
    assert (
        result.conclusion
        == "综合得分 = 0.6 * parts.members + 0.4 * parts.masses，其中 党员评议 = 90、群众满意率 = 85，结果 88"
    )


def test_composite_refuses_empty_or_unknown_grades():
    with pytest.raises(RuleEvaluationError, match="没有有效票"):
        evaluate(COMPOSITE, {"parts": {"members": {"excellent": 0}, "masses": {"satisfied": 1}}})
    with pytest.raises(RuleEvaluationError, match="等次“outstanding”没有规定分值"):
        evaluate(COMPOSITE, {"parts": {"members": {"outstanding": 3}, "masses": {"satisfied": 1}}})
    with pytest.raises(RuleEvaluationError, match="缺少组成部分“群众满意率”"):
        evaluate(COMPOSITE, {"parts": {"members": {"excellent": 1}}})
    with pytest.raises(RuleEvaluationError, match="不能为负数"):
        evaluate(COMPOSITE, {"parts": {"members": {"excellent": -1}, "masses": {}}})


# --- threshold -------------------------------------------------------------------------------------


def test_threshold_majority_dissatisfied_triggers_redo():
    result = evaluate(
        MINIMAL.rule("majority_dissatisfied"),
        {"ballots": {"satisfied": 3, "basically_satisfied": 2, "dissatisfied": 7}},
        template=MINIMAL,
    )
    assert result.outcome is True
    assert result.details["consequence"] == "redo"
    assert "不满意票 = 7、有效票数 = 12；不满意票占 58.33%" in texts(result)
    assert result.conclusion == "触发“多数师生员工不满意”：补课——及时进行“补课”"


def test_threshold_not_triggered():
    result = evaluate(
        MINIMAL.rule("majority_dissatisfied"),
        {"ballots": {"satisfied": 8, "basically_satisfied": 2, "dissatisfied": 2}},
        template=MINIMAL,
    )
    assert result.outcome is False
    assert result.conclusion == "未触发“多数师生员工不满意”"


def test_threshold_with_too_few_ballots_decides_nothing():
    result = evaluate(
        MINIMAL.rule("majority_dissatisfied"),
        {"ballots": {"satisfied": 1, "dissatisfied": 3}},
        template=MINIMAL,
    )
    assert result.outcome is None
    assert "有效票 4 张，少于“满意度测评”要求的最少 10 张，不作判断" in texts(result)


def test_threshold_low_satisfaction_without_scheme():
    low = rule(
        kind="threshold",
        name="满意度低",
        expression="satisfaction.rate < 60%",
        consequence="rectify_within",
        consequence_text="当年不得评先评优，并限期整改",
        rectify_days=30,
    )
    result = evaluate(low, {"satisfaction.rate": 0.55})
    assert result.outcome is True
    assert result.details["rectify_days"] == 30
    assert "满意率 = 0.55" in texts(result)
    assert result.conclusion.endswith("当年不得评先评优，并限期整改，30 天内完成")


# --- veto ------------------------------------------------------------------------------------------

VETO = rule(
    kind="veto",
    name="评先一票否决",
    conditions=[
        {"slug": "unkept", "name": "承诺未兑现", "when": "commitments.unkept > 0"},
        {"slug": "low", "name": "群众满意度低", "when": "satisfaction.rate < 60%"},
    ],
)


def test_veto_names_the_reason():
    result = evaluate(VETO, {"commitments.unkept": 0, "satisfaction.rate": 0.4})
    assert result.outcome is True
    assert result.details["reasons"] == ["群众满意度低"]
    assert "“群众满意度低”成立，一票否决（满意率 = 0.4）" in texts(result)
    assert result.conclusion == "结论：被否决（群众满意度低）"


def test_no_veto():
    result = evaluate(VETO, {"commitments.unkept": 0, "satisfaction.rate": 0.9})
    assert result.outcome is False
    assert result.conclusion == "结论：未被否决"


# --- quota -----------------------------------------------------------------------------------------

CANDIDATES = [
    {"id": 1, "name": "张三", "score": 90, "unit": "语文支部", "tier": "admin"},
    {"id": 2, "name": "李四", "score": 95, "unit": "语文支部", "tier": "teacher"},
    {"id": 3, "name": "王五", "score": 90, "unit": "数学支部", "tier": "teacher"},
    {
        "id": 4,
        "name": "赵六",
        "score": 99,
        "unit": "数学支部",
        "vetoed": True,
        "veto_reason": "满意度低",
    },
    {"id": 5, "name": "钱七", "score": 80, "unit": "数学支部", "tier": "admin"},
    {"id": 6, "name": "孙八", "score": 85, "unit": "语文支部", "eligible": False},
    {"id": 7, "name": "周九", "score": 50, "unit": "数学支部"},
]


def test_quota_overall_count_with_tie_in_input_order():
    result = evaluate(
        rule(kind="quota", name="推荐名额", max_count=2, min_count=1), {"candidates": CANDIDATES}
    )
    assert result.outcome == [2, 1]
    assert (
        result.details["rejected"][3] == "得分 90，名额已满（2 名）；与已入选者同分，按名单顺序排后"
    )
    assert result.details["rejected"][4] == "一票否决：满意度低"
    assert result.details["rejected"][6] == "不具备参评资格"
    assert "李四：得分 95，排第 1，入选" in texts(result)
    assert result.conclusion == "结论：入选 2 名"


def test_quota_ties_include_all_and_exclude_all():
    include = evaluate(
        rule(kind="quota", max_count=2, ties="include_all"), {"candidates": CANDIDATES}
    )
    assert include.outcome == [2, 1, 3]
    assert "并列一并入选（超出名额）" in texts(include)
    exclude = evaluate(
        rule(kind="quota", max_count=2, ties="exclude_all"), {"candidates": CANDIDATES}
    )
    assert exclude.outcome == [2]
    assert exclude.details["rejected"][5] == "得分 80，排在同分并列待定者之后，名额留待另行决定"
    assert "同分并列超出名额，均不入选" in exclude.details["rejected"][1]


def test_quota_percent_per_unit_with_min_score():
    quota = rule(
        kind="quota",
        per="unit",
        max_percent="50%",
        rounding="floor",
        at_least_one=True,
        min_score=60,
    )
    result = evaluate(
        quota, {"candidates": CANDIDATES, "unit_sizes": {"语文支部": 3, "数学支部": 6}}
    )
    # 语文: floor(1.5) = 1; 数学: 3. 周九 is below the minimum score.
    assert result.details["limits"] == {"语文支部": 1, "数学支部": 3}
    assert result.outcome == [2, 3, 5]
    assert result.details["rejected"][1].startswith("得分 90，名额（语文支部）已满（1 名）")
    assert result.details["rejected"][7] == "得分 50 低于最低分 60"
    assert "每个单位人数的 50%（向下取整）" in texts(result)


def test_quota_tier_cap():
    quota = rule(
        kind="quota",
        max_count=4,
        tier_caps=[{"tier": "admin", "name": "行政人员", "max_count": 1}],
    )
    result = evaluate(quota, {"candidates": CANDIDATES})
    assert result.outcome == [2, 1, 3, 7]
    assert result.details["rejected"][5] == "得分 80，“行政人员”已达上限（1 名）"


def test_quota_overall_percent_and_shortfall():
    quota = rule(kind="quota", max_percent=0.1, min_count=1, rounding="floor")
    result = evaluate(quota, {"candidates": CANDIDATES, "base": 9})
    assert result.details["limits"] == {"overall": 0}
    assert result.outcome == []
    assert result.details["shortfall"] == 1
    assert "少于最少名额 1 名，需补充推荐" in result.conclusion
    assert "名额：9 人的 10%（向下取整）= 0 名" in texts(result)


def test_quota_bad_candidates():
    with pytest.raises(RuleEvaluationError, match="缺少 id"):
        evaluate(rule(kind="quota", max_count=1), {"candidates": [{"name": "无名"}]})
    with pytest.raises(RuleEvaluationError, match="重复"):
        evaluate(rule(kind="quota", max_count=1), {"candidates": [{"id": 1}, {"id": 1}]})
    with pytest.raises(RuleEvaluationError, match="得分应为数值"):
        evaluate(rule(kind="quota", max_count=1), {"candidates": [{"id": 1, "score": "高"}]})


# --- participation ---------------------------------------------------------------------------------


def test_participation_requirement():
    requirement = rule(
        kind="participation_requirement", name="参评率", min_rate="80%", min_count=10
    )
    ok = evaluate(requirement, {"eligible": 40, "participated": 36})
    assert ok.outcome is True
    assert ok.details["rate"] == Decimal("0.9")
    assert "应参加 40 人，实际参加 36 人，参与率 90%" in texts(ok)
    low = evaluate(requirement, {"eligible": 40, "participated": 20})
    assert low.outcome is False
    assert "要求不低于 80%：未达到" in texts(low)
    assert low.conclusion == "结论：参与率不足，结果无效"
    few = evaluate(requirement, {"eligible": 9, "participated": 9})
    assert few.outcome is False
    assert "要求至少 10 人参加：未达到" in texts(few)
    with pytest.raises(RuleEvaluationError, match="多于应参加"):
        evaluate(requirement, {"eligible": 3, "participated": 4})


# --- review chain ----------------------------------------------------------------------------------

PEOPLE = [
    {"id": "secretary", "name": "书记甲", "roles": ["organization_head", "member"], "unit": "总支"},
    {
        "id": "vice",
        "name": "副校长乙",
        "roles": ["leadership_member", "member"],
        "unit": "总支",
        "supervises": ["head"],
    },
    {
        "id": "head",
        "name": "教务主任丙",
        "roles": ["department_head", "member"],
        "unit": "语文支部",
    },
    {
        "id": "branch",
        "name": "支书丁",
        "roles": ["branch_secretary", "member"],
        "unit": "语文支部",
        "parent_unit": "总支",
    },
    {"id": "m1", "name": "党员戊", "roles": ["member"], "unit": "语文支部", "parent_unit": "总支"},
    {"id": "p1", "name": "预备党员己", "roles": ["probationary_member"], "unit": "语文支部"},
    {"id": "lost", "name": "党员庚", "roles": ["member"], "unit": "数学支部"},
]


def test_review_chain_assignment_from_seed_002():
    chain = TypeAdapter(schema.Rule).validate_python(
        {
            "slug": "analysis_review",
            "kind": "review_chain",
            "name": "党性分析材料审阅",
            "steps": [
                {
                    "slug": "heads",
                    "name": "领导班子成员审阅分管部门负责人",
                    "reviewer": "leadership_member",
                    "reviewee": "department_head",
                    "relation": "supervises",
                },
                {
                    "slug": "leadership",
                    "name": "主要负责人审阅班子成员",
                    "reviewer": "organization_head",
                    "reviewee": "leadership_member",
                    "relation": "any",
                },
                {
                    "slug": "members",
                    "name": "支部负责人审阅本支部党员",
                    "reviewer": "branch_secretary",
                    "reviewee": "member",
                    "relation": "same_unit",
                },
            ],
        }
    )
    result = evaluate(chain, {"people": PEOPLE})
    pairs = {(a["reviewee"], a["reviewer"], a["step"]) for a in result.outcome}
    assert pairs == {
        ("vice", "secretary", "leadership"),
        ("head", "vice", "heads"),
        ("m1", "branch", "members"),
        ("p1", "branch", "members"),
    }
    assert (
        "教务主任丙（部门负责人）由 副校长乙（领导班子成员）审阅——领导班子成员审阅分管部门负责人"
        in texts(result)
    )
    # Nobody reviews the secretary's own analysis, the branch secretary or the member without a secretary.
    assert result.details["unassigned"] == ["secretary", "branch", "lost"]
    assert "党员庚：找不到符合条件的审阅人，需人工指定" in texts(result)


def test_review_chain_sequential_approval():
    chain = rule(
        kind="review_chain",
        mode="sequential",
        steps=[
            {
                "slug": "branch",
                "name": "支部审核",
                "reviewer": "branch_secretary",
                "reviewee": "member",
                "relation": "same_unit",
            },
            {
                "slug": "committee",
                "name": "总支审批",
                "reviewer": "general_branch_secretary",
                "reviewee": "member",
                "relation": "parent_unit",
            },
        ],
    )
    people = [
        {"id": "m", "name": "党员", "roles": ["member"], "unit": "b", "parent_unit": "g"},
        {"id": "s", "name": "支书", "roles": ["branch_secretary"], "unit": "b"},
        {"id": "g", "name": "总支书记", "roles": ["general_branch_secretary"], "unit": "g"},
    ]
    result = evaluate(chain, {"people": people})
    assert [(a["order"], a["reviewer"]) for a in result.outcome] == [(1, "s"), (2, "g")]
    assert "第 2 步，党员（党员）由 总支书记（总支书记）审阅——总支审批" in texts(result)


# --- public notice ---------------------------------------------------------------------------------


def test_public_notice_calendar_days():
    notice = rule(kind="public_notice", name="公示", days=7)
    result = evaluate(notice, {"start": "2024-06-03"})
    assert result.outcome == datetime.date(2024, 6, 9)
    assert result.conclusion == "自 2024-06-03 起公示 7 天（含当天），至 2024-06-09 止"


def test_public_notice_working_days_skip_holidays_and_count_makeup_days():
    notice = rule(kind="public_notice", name="公示", days=5, working_days=True)
    result = evaluate(
        notice,
        {
            "start": datetime.date(2024, 9, 27),
            "holidays": ["2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07"],
            "workdays": ["2024-09-29"],
        },
    )
    assert result.outcome == datetime.date(2024, 10, 9)
    assert result.details["counted"] == [
        datetime.date(2024, 9, 27),
        datetime.date(2024, 9, 29),
        datetime.date(2024, 9, 30),
        datetime.date(2024, 10, 8),
        datetime.date(2024, 10, 9),
    ]
    assert "跳过 8 天非工作日（周末 3 天、节假日 5 天）" in texts(result)
    assert result.conclusion == "公示截止 2024-10-09"


def test_public_notice_bad_start():
    with pytest.raises(RuleEvaluationError, match="公示开始日期应为日期"):
        evaluate(rule(kind="public_notice", days=5), {"start": "下周一"})


# --- several rules together ------------------------------------------------------------------------


def test_evaluate_many_feeds_outcomes_forward():
    rules = [
        MINIMAL.rule("member_grade"),
        MINIMAL.rule("member_score"),
        MINIMAL.rule("member_gate"),
    ]
    assert rule_dependencies(MINIMAL.rule("member_grade")) == {"member_score"}
    results = evaluate_many(
        rules,
        {
            "status": "probationary",
            "discipline.sanctioned": False,
            "parts": {
                "ballots": {
                    "excellent": 2,
                    "qualified": 8,
                    "basically_qualified": 0,
                    "unqualified": 0,
                }
            },
        },
        template=MINIMAL,
    )
    assert results["member_score"].outcome == Decimal(84)
    assert results["member_grade"].outcome == "qualified"
    assert "民主评议综合得分 = 84，达到“合格”的下限 70，未达到“优秀”的 90" in texts(
        results["member_grade"]
    )
    assert results["member_gate"].outcome is True


def test_evaluate_many_refuses_cycles():
    a = rule(slug="a", kind="veto", conditions=[{"slug": "x", "name": "x", "when": "rules.b"}])
    b = rule(slug="b", kind="veto", conditions=[{"slug": "y", "name": "y", "when": "rules.a"}])
    with pytest.raises(RuleEvaluationError, match="循环引用"):
        evaluate_many([a, b], {})


def test_results_serialise_to_json():
    result = evaluate(POINTS, points_inputs())
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert data["outcome"] == 78
    assert data["explanation"][1]["numbers"] == {"study": 15}
    notice = evaluate(rule(kind="public_notice", days=1), {"start": "2024-06-03"})
    assert notice.as_dict()["outcome"] == "2024-06-03"


def test_unknown_rule_kind():
    with pytest.raises(RuleEvaluationError, match="不支持的规则类型"):
        evaluate(object(), {})
