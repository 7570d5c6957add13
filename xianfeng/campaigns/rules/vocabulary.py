"""The inputs rules may read, with Chinese labels for explanations.

These are the figures the platform collects about a subject (a member, an organization, a
party-affairs worker) while a campaign runs; the apps that collect them feed them to the engine
under these names. A template adds its own recorded facts as `facts.<slug>`, the ballots of an
evaluation scheme appear as `ballots.<grade>` where a rule names the scheme, and another rule's
outcome as `rules.<slug>`.
"""

from typing import Literal

InputType = Literal["number", "boolean", "text"]

VOCABULARY: dict[str, tuple[str, InputType]] = {
    "study.hours": ("集中学习学时", "number"),
    "study.sessions": ("参加学习次数", "number"),
    "study.absences": ("无故缺席学习次数", "number"),
    "notes.characters": ("读书笔记字数", "number"),
    "reflection.characters": ("心得体会字数", "number"),
    "test.score": ("测试成绩", "number"),
    "commitments.total": ("承诺事项数", "number"),
    "commitments.kept": ("已兑现承诺数", "number"),
    "commitments.overdue": ("逾期承诺数", "number"),
    "commitments.unkept": ("未兑现承诺数", "number"),
    "commitments.kept_rate": ("承诺兑现率", "number"),
    "deliverables.required": ("应交成果数", "number"),
    "deliverables.accepted": ("已通过成果数", "number"),
    "lessons.given": ("上示范课节数", "number"),
    "lessons.score": ("示范课评分", "number"),
    "meetings.attended": ("参加组织生活次数", "number"),
    "meetings.absent": ("无故缺席组织生活次数", "number"),
    "service.hours": ("志愿服务时长", "number"),
    "home_visits.count": ("亲情家访次数", "number"),
    "awards.count": ("获得表彰次数", "number"),
    "opinions.count": ("收到意见数", "number"),
    "satisfaction.rate": ("满意率", "number"),
    "satisfaction.dissatisfied_rate": ("不满意率", "number"),
    "evaluation.grade": ("民主评议等次", "text"),
    "evaluation.score": ("民主评议得分", "number"),
    "rectification.open": ("未完成整改事项数", "number"),
    "rectification.overdue": ("逾期整改事项数", "number"),
    "rectification.satisfied_rate": ("整改满意率", "number"),
    "discipline.sanctioned": ("受到党纪处分", "boolean"),
    "discipline.violations": ("违纪违规次数", "number"),
    "ethics.violations": ("违反师德规范次数", "number"),
    "members.count": ("党员人数", "number"),
    "members.excellent": ("评为优秀的党员数", "number"),
    "members.unqualified": ("评为不合格的党员数", "number"),
    "tasks.total": ("应完成任务数", "number"),
    "tasks.done": ("已完成任务数", "number"),
    "tasks.overdue": ("逾期任务数", "number"),
    "tier.rank": ("所在档次（1 为最高）", "number"),
    "stars.count": ("已获星数", "number"),
}

BALLOT_NAMES: dict[str, tuple[str, InputType]] = {
    "ballots.total": ("有效票数", "number"),
    "ballots.eligible": ("应参评人数", "number"),
}


def label(name: str) -> str:
    """The Chinese label of an input name, or the name itself."""
    if name in VOCABULARY:
        return VOCABULARY[name][0]
    if name in BALLOT_NAMES:
        return BALLOT_NAMES[name][0]
    return name
