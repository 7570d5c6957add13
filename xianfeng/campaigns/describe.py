"""Templates in words: the Chinese sentences of the readable template page (no database)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xianfeng.campaigns.templating import schema as s

ORGANIZATION_KIND_LABELS = {
    "committee": "党委",
    "general_branch": "党总支",
    "branch": "党支部",
    "group": "党小组",
    "functional_group": "功能党小组",
}
FLAG_LABELS = {
    "party_affairs_worker": "党务工作者",
    "leadership_member": "领导班子成员",
    "new_member": "新党员",
}
ACTIVITY_LABELS = {
    "general": "一般任务",
    "meeting": "会议",
    "plan": "方案",
    "study": "集中学习",
    "party_lecture": "党课",
    "reading_notes": "读书笔记",
    "reflection": "心得体会",
    "test": "测试",
    "training": "培训",
    "discussion": "大讨论",
    "commitment": "公开承诺",
    "fulfilment_report": "践诺通报",
    "functional_groups": "组建功能党小组",
    "star_pursuit": "争星",
    "demonstration_lesson": "示范课",
    "service": "志愿服务/结对帮扶",
    "opinion_solicitation": "征求意见",
    "heart_to_heart": "谈心谈话",
    "party_spirit_analysis": "党性分析",
    "org_life_meeting": "专题组织生活会",
    "democratic_life_meeting": "民主生活会",
    "democratic_evaluation": "民主评议",
    "leader_comment": "领导点评",
    "satisfaction_survey": "满意度测评",
    "duty_report": "述职",
    "rectification": "整改",
    "selection": "评选表彰",
    "exemplar": "先进典型",
    "exchange": "经验交流",
    "publicity": "宣传展示",
    "summary": "总结",
    "inspection": "验收检查",
    "assessment": "考核",
    "member_development": "发展党员",
}
KIND_LABELS = {"stars": "星级", "attainment": "达标", "tiers": "分档"}
PURPOSE_LABELS = {
    "democratic_evaluation": "民主评议",
    "satisfaction_survey": "满意度测评",
    "fulfilment_rating": "评诺",
    "lesson_observation": "听课评课",
    "duty_assessment": "述职评议",
}
EVALUATION_SUBJECT_LABELS = {
    **s.SUBJECT_LABELS,
    "leadership": "领导班子",
    "leader": "领导",
    "campaign": "整个活动",
    "rectification": "整改结果",
    "commitment": "承诺",
    "lesson": "示范课",
}
RULE_KIND_LABELS = {
    "eligibility_gate": "参评资格",
    "point_scheme": "积分",
    "grade_bands": "等次划分",
    "composite_formula": "综合得分",
    "threshold": "阈值",
    "veto": "一票否决",
    "quota": "名额",
    "participation_requirement": "参与率",
    "review_chain": "审阅顺序",
    "public_notice": "公示",
}
CONSEQUENCE_LABELS = {
    "redo": "补课",
    "re_rectify": "重新整改",
    "no_excellent": "当年不得评先评优",
    "rectify_within": "限期整改",
    "not_qualified": "不合格",
    "warning": "提醒",
}
RELATION_LABELS = {
    "same_unit": "同一组织",
    "parent_unit": "上级组织",
    "supervises": "分管",
    "any": "不限",
}
NUMBER_LABELS = {
    "min_hours": ("不少于", "学时"),
    "min_characters": ("不少于", "字"),
    "min_count": ("不少于", "次/份"),
    "min_score": ("成绩不低于", "分"),
    "min_average_score": ("平均分不低于", "分"),
    "max_score": ("满分", "分"),
    "min_participants": ("参加人数不少于", "人"),
}


def num(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else f"{value.normalize()}"
    return str(value)


def pct(value: Any) -> str:
    return f"{num(Decimal(value) * 100)}%"


def responsible(r: s.Responsible) -> str:
    if r.unit == "each_organization":
        return f"每个{ORGANIZATION_KIND_LABELS[r.organization_kind or '']}"
    if r.unit == "each_leader":
        return "每位领导（领导班子成员）"
    if r.unit == "office":
        return "领导小组办公室"
    if r.unit == "leadership_group":
        return "领导小组"
    filters = []
    statuses = r.statuses or ["member", "probationary"]
    filters.append("、".join(s.STATUS_LABELS[x] for x in statuses))
    if r.post_categories:
        filters.append("岗位为" + "、".join(s.POST_CATEGORY_LABELS[x] for x in r.post_categories))
    if r.flags:
        filters.append("、".join(FLAG_LABELS[x] for x in r.flags))
    return "每名" + "；".join(filters)


def due(task: s.Task) -> str:
    d = task.due
    if d is None or d.at_phase_end:
        text = "阶段结束前" if task.cadence == "once" else "每个周期结束前"
    elif d.offset_days is not None:
        where = "阶段" if task.cadence == "once" else "每个周期"
        text = f"{where}开始后第 {d.offset_days} 天前"
    else:
        text = f"{d.date:%Y-%m-%d} 前"
    return text


def phase_when(phase: s.Phase) -> str:
    if phase.starts.date is not None:
        start = f"{phase.starts.date:%Y-%m-%d} 开始"
    else:
        start = f"活动开始后第 {phase.starts.offset_days} 天开始"
    if phase.duration_days is not None:
        return f"{start}，持续 {phase.duration_days} 天"
    assert phase.ends is not None
    if phase.ends.date is not None:
        return f"{start}，{phase.ends.date:%Y-%m-%d} 结束"
    return f"{start}，至第 {phase.ends.offset_days} 天结束"


def evidence(task: s.Task) -> str:
    parts = []
    for e in task.evidence:
        label = e.name or s.EVIDENCE_LABELS[e.kind]
        parts.append(f"{label} {e.min_count} 份" if e.min_count > 1 else label)
    return "、".join(parts)


def numbers(task: s.Task) -> str:
    if task.numbers is None:
        return ""
    parts = []
    for key, value in task.numbers.model_dump(exclude_none=True).items():
        before, unit = NUMBER_LABELS[key]
        parts.append(f"{before} {num(value)} {unit}")
    return "；".join(parts)


def rule(r: Any) -> str:
    """One sentence (or a few) saying what a rule does."""
    kind = r.kind
    if kind == "eligibility_gate":
        who = [s.SUBJECT_LABELS[r.subject]]
        if r.statuses:
            who.append("政治面貌为" + "、".join(s.STATUS_LABELS[x] for x in r.statuses))
        if r.post_categories:
            who.append("岗位为" + "、".join(s.POST_CATEGORY_LABELS[x] for x in r.post_categories))
        conditions = [
            f"{c.name}（{c.when}）时{'才有资格' if c.effect == 'require' else '取消资格'}"
            for c in r.conditions
        ]
        return "参评对象：" + "，".join(who) + ("；" + "；".join(conditions) if conditions else "")
    if kind == "point_scheme":
        items = []
        for item in r.items:
            sign = "加" if item.effect == "add" else "减"
            cap = f"，最多 {num(item.max_points)} 分" if item.max_points is not None else ""
            zero = f"，{item.zero_when} 时该项为 0" if item.zero_when else ""
            items.append(
                f"{item.name}：{item.value} 每单位{sign} {num(item.per_unit)} 分{cap}{zero}"
            )
        limits = []
        if r.min_total is not None:
            limits.append(f"最低 {num(r.min_total)} 分")
        if r.max_total is not None:
            limits.append(f"最高 {num(r.max_total)} 分")
        zeroed = [f"{c.name}（{c.when}）时总分为 0" for c in r.zero_when]
        return "；".join([f"基础分 {num(r.base)} 分", *items, *limits, *zeroed])
    if kind == "grade_bands":
        bands = [f"{num(b.min)} 分及以上为{b.name}" for b in r.bands]
        if r.otherwise is not None:
            bands.append(f"其余为{r.otherwise.name}")
        return f"按 {r.value} 划分等次：" + "，".join(bands)
    if kind == "composite_formula":
        parts = []
        for part in r.parts:
            if part.grade_points is not None:
                points = "、".join(f"{g} {num(p)} 分" for g, p in part.grade_points.items())
                parts.append(f"{part.name}（{part.scheme} 评议票折分：{points}）")
            else:
                parts.append(f"{part.name}（{part.expression}）")
        return "组成：" + "；".join(parts) + f"。综合得分 = {r.formula}"
    if kind == "threshold":
        extra = f"（{r.rectify_days} 天内）" if r.rectify_days else ""
        return f"当 {r.expression} 时：{CONSEQUENCE_LABELS[r.consequence]}{extra}——{r.consequence_text}"
    if kind == "veto":
        return "有下列情形之一即一票否决：" + "；".join(
            f"{c.name}（{c.when}）" for c in r.conditions
        )
    if kind == "quota":
        limit = (
            f"不超过 {r.max_count} 名"
            if r.max_count is not None
            else f"不超过 {pct(r.max_percent)}"
        )
        per = "每个单位" if r.per == "unit" else "总计"
        notes: list[str] = []
        if r.min_count:
            notes.append(f"至少 {r.min_count} 名")
        if r.at_least_one:
            notes.append("按比例不足一名时至少一名")
        if r.min_score is not None:
            notes.append(f"得分须达到 {num(r.min_score)} 分")
        for cap in r.tier_caps:
            value = cap.max_count if cap.max_count is not None else pct(cap.max_percent)
            notes.append(f"{cap.name}最多 {value}")
        return f"{per}{limit}" + ("；" + "；".join(notes) if notes else "")
    if kind == "participation_requirement":
        count = f"，且不少于 {r.min_count} 人" if r.min_count else ""
        return f"参与率不低于 {pct(r.min_rate)}{count}，结果才有效"
    if kind == "review_chain":
        mode = "每人按第一条匹配的环节确定审阅人" if r.mode == "assignment" else "依次审批"
        steps = [
            f"{st.name}（{s.ROLE_LABELS[st.reviewer]} → {s.ROLE_LABELS[st.reviewee]}，"
            f"{RELATION_LABELS[st.relation]}）"
            for st in r.steps
        ]
        return f"{mode}：" + "；".join(steps)
    if kind == "public_notice":
        unit = "个工作日" if r.working_days else "天"
        objections = "，受理异议" if r.objections else ""
        return f"公示 {r.days} {unit}{objections}"
    return ""
