"""Built-in templates from seeds 001 (五好五带头) and 003 (功能党小组): they load, round-trip,
and carry the seeds' exact standards, numbers, cadences, procedure and rules."""

import datetime
from pathlib import Path

import pytest

from xianfeng.campaigns.rules.engine import evaluate
from xianfeng.campaigns.templating import schema
from xianfeng.campaigns.templating.loader import dump_template, load_template

FOLDER = Path(__file__).resolve().parent.parent / "builtin_templates"
FILES = ["five_goods_five_leads.yaml", "functional_groups.yaml"]


def load(name: str) -> schema.CampaignTemplate:
    return load_template((FOLDER / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def five() -> schema.CampaignTemplate:
    return load("five_goods_five_leads.yaml")


@pytest.fixture(scope="module")
def groups() -> schema.CampaignTemplate:
    return load("functional_groups.yaml")


def task(template: schema.CampaignTemplate, slug: str) -> schema.Task:
    found = [t for _, t in template.tasks() if t.slug == slug]
    assert found, f"任务 {slug} 不存在"
    return found[0]


# --- both templates ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_loads_and_round_trips(name):
    template = load(name)
    assert template.version == 1
    assert template.source and template.theme and template.carriers and template.goals
    text = dump_template(template)
    again = load_template(text)
    assert again == template
    assert dump_template(again) == text


@pytest.mark.parametrize("name", FILES)
def test_every_part_is_filled(name):
    template = load(name)
    assert template.leadership_group is not None
    assert template.standard_sets and template.phases and template.evaluation_schemes
    assert template.rules and template.honors
    for standard in template.standard_sets:
        for criterion in standard.criteria:
            assert criterion.text, f"{standard.name}·{criterion.name} 缺少原文"
    for _, item in template.tasks():
        assert item.description, f"任务 {item.slug} 缺少说明"


# --- seed 001: 五好五带头 ------------------------------------------------------------------------

FIVE_GOODS = {
    "领导班子好": "领导班子好。领导班子能深入学习实践科学发展观,团结协作,求真务实,勤政廉洁,"
    "有较强的执行力、凝聚力和战斗力。",
    "党员队伍好": "党员队伍好。党员素质优良,有较强的党员意识、大局意识、责任意识、忧患意识,"
    "能够充分发挥先锋模范作用。",
    "工作机制好": "工作机制好。规章制度完善,管理措施到位,工作运行顺畅有序,任务执行不折不扣。",
    "工作业绩好": "工作业绩好。各项工作成绩显著,围绕中心、服务大局的成效明显。",
    "群众反映好": "群众反映好。基层党组织在群众中有较高威信,党员在群众中有良好形象,党群干群关系密切。",
}
FIVE_LEADS = {
    "带头学习提高": "带头学习提高。认真学习实践科学发展观,学习新知识、新技能,不断提升党性、提高素质",
    "带头争创佳绩": "带头争创佳绩。具有强烈的事业心和责任感,解放思想、埋头苦干、开拓创新、破解难题,"
    "在本职岗位上做出显著成绩。",
    "带头服务群众": "带头服务群众。主动联系群众,积极帮助群众解决实际困难,自觉维护群众正当权益。",
    "带头遵纪守法": "带头遵纪守法。组织纪律观念强,自觉遵守党的纪律,模范遵守国家法律法规。",
    "带头弘扬正气": "带头弘扬正气。发扬社会主义新风尚,敢于同不良风气、违纪违法行为作斗争。",
}


def test_five_goods_full_texts(five):
    standard = five.standard_set("five_goods")
    assert (standard.subject, standard.kind) == ("organization", "attainment")
    assert {c.name: c.text for c in standard.criteria} == FIVE_GOODS
    assert [c.name for c in standard.criteria] == list(FIVE_GOODS)


def test_five_leads_full_texts(five):
    standard = five.standard_set("five_leads")
    assert (standard.subject, standard.kind) == ("member", "attainment")
    assert {c.name: c.text for c in standard.criteria} == FIVE_LEADS
    assert [c.name for c in standard.criteria] == list(FIVE_LEADS)


def test_carrier_standard_sets(five):
    assert [c.name for c in five.standard_set("three_compares").criteria] == [
        "比责任看投入",
        "比服务看效率",
        "比本事看效果",
    ]
    assert [c.text for c in five.standard_set("four_compares").criteria] == [
        "比教学",
        "比服务",
        "比贡献",
        "争创师德优秀",
        "教育质量优秀",
        "育人环境优秀",
        "让学生家长满意",
    ]
    demonstrations = five.standard_set("three_demonstrations")
    assert demonstrations.kind == "stars"
    assert [c.name for c in demonstrations.criteria] == [
        "共产党员示范班",
        "共产党员示范组（室）",
        "共产党员示范课",
    ]
    changan = five.standard_set("changan_excellent_member")
    assert len(changan.criteria) == 7
    assert changan.criteria[6].text == (
        "自觉加强师德修养,模范遵守《中小学教师职业道德规范》 在各项工作中给老师们做出表率。"
    )
    tiers = five.standard_set("two_ends_members")
    assert [(t.name, t.rank) for t in tiers.tiers] == [("先进", 1), ("一般", 2), ("相对落后", 3)]


def test_leadership_group_and_subgroups(five):
    group = five.leadership_group
    assert group.name == "创先争优活动领导小组"
    assert [r.name for r in group.roles] == ["组长", "副组长", "组员"]
    assert group.roles[0].holder == "党支部书记（书记兼校长）"
    assert group.office_name == "创先争优活动领导小组办公室"
    assert "负责日常事务" in group.office_duties
    assert [g.name for g in group.subgroups] == [
        "学习领导小组",
        "宣传领导小组",
        "后勤保障领导小组",
        "材料整理领导小组",
    ]
    duties = {g.slug: g.duties for g in group.subgroups}
    assert "组长（书记兼校长、教学副校长）：指导学习的全面工作" in duties["study"]
    assert "组长（德育副校长）：指导宣传的全面工作" in duties["publicity"]
    assert "组长（行政副校长）：全面负责学习活动的保障工作" in duties["logistics"]
    assert "组长（工会主席）：全面负责宣传学习活动的材料整理" in duties["materials"]


def test_phases_and_dates(five):
    assert [p.name for p in five.phases] == [
        "动员部署，组织学习",
        "健全机制，全面争创",
        "公开承诺，全面创争",
        "领导点评",
        "群众评议",
        "评选表彰",
        "典型示范，总结提高",
    ]
    mobilize = five.phase("mobilize")
    assert (mobilize.starts.date, mobilize.ends.date) == (
        datetime.date(2010, 7, 1),
        datetime.date(2010, 8, 31),
    )
    implement = five.phase("implement")
    assert (implement.starts.date, implement.ends.date) == (
        datetime.date(2010, 8, 21),
        datetime.date(2012, 6, 30),
    )
    last = five.phase("exemplars_summary")
    assert (last.starts.date, last.ends.date) == (
        datetime.date(2012, 7, 1),
        datetime.date(2012, 12, 31),
    )
    # 公开承诺、领导点评、群众评议、评选表彰 run alongside 全面争创 (overlapping phases).
    for slug in ("commit", "leader_review", "mass_review", "selection"):
        phase = five.phase(slug)
        assert (phase.starts.date, phase.ends.date) == (implement.starts.date, implement.ends.date)
    assert task(five, "kickoff_meeting").due.date == datetime.date(2010, 8, 30)


def test_plan_states_the_four_clarities(five):
    plan = task(five, "implementation_plan")
    assert plan.activity == "plan" and plan.public
    assert "明确实践主题、明确活动载体、明确创建条件、明确承诺内容" in plan.description


def test_study_numbers(five):
    notes = task(five, "reading_notes")
    assert (notes.activity, notes.numbers.min_characters) == ("reading_notes", 5000)
    reflection = task(five, "reflection")
    assert (reflection.activity, reflection.numbers.min_characters) == ("reflection", 1500)
    test = task(five, "study_test")
    assert test.numbers.max_score == 100
    assert test.numbers.min_average_score == 85
    targets = {t.slug: t.value for t in five.targets}
    assert targets["reading_notes_characters"] == 5000
    assert targets["reflection_characters"] == 1500
    assert targets["test_average"] == 85


def test_cadences(five):
    meeting = task(five, "org_life_meeting")
    assert (meeting.activity, meeting.cadence) == ("org_life_meeting", "half_yearly")
    assert "每半年不少于1次" in meeting.description
    progress = task(five, "monthly_progress")
    assert (progress.activity, progress.cadence) == ("fulfilment_report", "monthly")
    assert progress.responsible.unit == "each_member" and progress.public
    assert "每月向群众通报进展情况" in progress.description
    assert task(five, "quarterly_check").cadence == "quarterly"
    assert task(five, "half_year_summary").cadence == "half_yearly"
    assert task(five, "year_end_summary").cadence == "yearly"
    assert task(five, "contact_point_lecture").cadence == "yearly"
    assert [task(five, s).cadence for s in ("weekly_assessment", "monthly_assessment")] == [
        "weekly",
        "monthly",
    ]
    assert task(five, "annual_assessment").cadence == "yearly"


def test_public_commitment_channels_and_review(five):
    branch = task(five, "branch_commitment")
    assert branch.activity == "commitment" and branch.public
    assert "公开栏、宣传栏、校刊校报、校园网络" in branch.description
    member = task(five, "member_commitment")
    assert (member.responsible.unit, member.standard_set) == ("each_member", "five_leads")
    review = five.rule("commitment_review")
    assert review.kind == "review_chain"
    assert (review.steps[0].reviewer, review.steps[0].reviewee) == ("branch_committee", "member")
    assert "选得准、定得实、做得到" in task(five, "review_commitments").description


def test_pairings_and_contact_points(five):
    links = task(five, "three_links")
    assert links.responsible.post_categories == ["teacher", "head_teacher"]
    assert "每名党员教师联系一个班级、一名非党员教师、一名学困生" in links.description
    assert "为每一个新党员配备一名老党员" in task(five, "mentoring").description
    points = task(five, "contact_points")
    assert points.responsible.unit == "each_leader"
    assert "一至两个" in points.description
    rule = five.rule("contact_point_count")
    assert evaluate(rule, {"facts": {"contact_points": 3}}).outcome is True
    assert evaluate(rule, {"facts": {"contact_points": 2}}).outcome is False
    assert evaluate(rule, {"facts": {"contact_points": 0}}).outcome is True


def test_recommendation_quota_keeps_two_of_five(five):
    rule = five.rule("excellent_member_quota")
    assert (rule.kind, rule.max_count, rule.min_count, rule.per) == ("quota", 2, 1, "unit")
    candidates = [
        {"id": 1, "name": "甲", "score": 92, "unit": "一支部"},
        {"id": 2, "name": "乙", "score": 88, "unit": "一支部"},
        {"id": 3, "name": "丙", "score": 95, "unit": "一支部"},
        {"id": 4, "name": "丁", "score": 80, "unit": "一支部"},
        {
            "id": 5,
            "name": "戊",
            "score": 97,
            "unit": "一支部",
            "vetoed": True,
            "veto_reason": "承诺未兑现",
        },
    ]
    result = evaluate(rule, {"candidates": candidates}, template=five)
    assert result.outcome == [3, 1]
    rejected = result.details["rejected"]
    assert set(rejected) == {2, 4, 5}
    assert rejected[2] == "得分 88，名额（一支部）已满（2 名）"
    assert rejected[4] == "得分 80，名额（一支部）已满（2 名）"
    assert rejected[5] == "一票否决：承诺未兑现"
    # The quota is per branch: another branch recommends its own 1–2 members.
    other = [*candidates, {"id": 6, "name": "己", "score": 70, "unit": "二支部"}]
    assert evaluate(rule, {"candidates": other}, template=five).outcome == [3, 1, 6]
    honor = next(h for h in five.honors if h.slug == "excellent_member")
    assert "excellent_member_quota" in honor.rules and honor.approver == "上级党委"


def test_honor_veto_and_low_satisfaction(five):
    veto = five.rule("honor_veto")
    clean = {
        "facts": {"low_satisfaction": False},
        "satisfaction": {"dissatisfied_rate": 0.1},
        "commitments": {"unkept": 0},
    }
    assert evaluate(veto, clean).outcome is False
    unkept = {**clean, "commitments": {"unkept": 1}}
    assert evaluate(veto, unkept).details["reasons"] == ["承诺未兑现"]
    majority = {**clean, "satisfaction": {"dissatisfied_rate": 0.6}}
    assert evaluate(veto, majority).details["reasons"] == ["群众对创先争优活动满意度低"]
    low = five.rule("low_satisfaction")
    result = evaluate(low, {**clean, "facts": {"low_satisfaction": True}})
    assert result.outcome is True
    assert result.details["consequence"] == "no_excellent"
    assert result.details["consequence_text"] == "当年不得评先评优，并限期整改"


def test_majority_dissatisfied_orders_rectification(five):
    rule = five.rule("majority_dissatisfied_member")
    assert evaluate(rule, {"ballots": {"satisfied": 4, "dissatisfied": 6}}).outcome is True
    assert evaluate(rule, {"ballots": {"satisfied": 6, "dissatisfied": 4}}).outcome is False
    assert "majority_dissatisfied_member" in task(five, "rectify").rules
    assert [c.name for c in five.rectification.categories] == [
        "及时整改",
        "制定计划，逐步落实",
        "解释说明",
    ]


def test_evaluation_schemes(five):
    assert five.scheme("leader_comment_organization").anonymous is False
    assert five.scheme("fulfilment_rating").purpose == "fulfilment_rating"
    assert five.scheme("mass_review_member").evaluators == [
        "members",
        "masses_staff",
        "masses_students",
        "masses_parents",
    ]
    assert task(five, "comment_on_branches").evaluation_scheme == "leader_comment_organization"


# --- seed 003: 功能党小组 ------------------------------------------------------------------------

GROUP_KINDS = ["教学科研", "内部管理", "德育工作", "师德建设", "校园建设", "文体活动", "校园平安"]


def test_functional_group_procedure_in_order(groups):
    slugs = [t.slug for t in groups.phase("implement").tasks]
    procedure = [
        "propose_groups",
        "decide_groups",
        "sign_up",
        "decide_rosters",
        "elect_leaders",
        "publish_groups",
    ]
    assert [s for s in slugs if s in procedure] == procedure
    assert slugs.index("publish_groups") < slugs.index("branch_commitment")
    assert task(groups, "propose_groups").activity == "functional_groups"
    sign_up = task(groups, "sign_up")
    assert sign_up.responsible.unit == "each_member"
    assert "每个党员根据自己能力特长参加其中一个“功能党小组”" in sign_up.description
    assert "在与党员进行充分协商的基础上" in task(groups, "decide_rosters").description
    leaders = task(groups, "elect_leaders")
    assert leaders.responsible.organization_kind == "functional_group"
    assert "通过党员自荐、党小组成员选举的方式" in leaders.description
    publish = task(groups, "publish_groups")
    assert publish.public and "党务公开栏" in publish.description


def test_group_kinds(groups):
    text = task(groups, "propose_groups").description
    positions = [text.index(kind) for kind in GROUP_KINDS]
    assert positions == sorted(positions)
    assert "、".join(GROUP_KINDS) in groups.summary


def test_one_group_per_member_rule(groups):
    rule = groups.rule("one_group_per_member")
    assert evaluate(rule, {"facts": {"functional_groups_joined": 1}}).outcome is True
    assert evaluate(rule, {"facts": {"functional_groups_joined": 2}}).outcome is False
    assert evaluate(rule, {"facts": {"functional_groups_joined": 0}}).outcome is False
    assert {t.slug: t.value for t in groups.targets}["functional_groups_per_member"] == 1


def test_three_level_two_way_commitments(groups):
    levels = {
        "branch_commitment": ("each_organization", "branch", "向党员群众和上级党组织"),
        "group_commitment": ("each_organization", "functional_group", "向党员、师生和党支部"),
        "member_commitment": ("each_member", None, "向“功能党小组”和群众"),
    }
    for slug, (unit, kind, audience) in levels.items():
        item = task(groups, slug)
        assert (item.activity, item.cadence, item.public) == ("commitment", "yearly", True)
        assert (item.responsible.unit, item.responsible.organization_kind) == (unit, kind)
        assert audience in item.description
    assert "主要任务、工作内容、办结时限" in task(groups, "branch_commitment").description
    assert "“功能党小组”进行分解" in task(groups, "decompose_commitments").description


def test_functional_group_phases(groups):
    assert [(p.name, p.starts.offset_days, p.duration_days) for p in groups.phases] == [
        ("深入学习，宣传发动阶段", 0, 61),
        ("组织实施阶段", 61, 365),
        ("总结阶段", 426, 30),
    ]
    assert task(groups, "final_inspection").activity == "inspection"
    assert groups.leadership_group.roles[0].holder == "教育体育局党委书记"


def test_selection_follows_commitments(groups):
    gate = groups.rule("member_selection_gate")
    kept = {"status": "member", "commitments": {"total": 3, "unkept": 0}}
    assert evaluate(gate, kept).outcome is True
    assert evaluate(gate, {**kept, "commitments": {"total": 3, "unkept": 1}}).outcome is False
    assert evaluate(gate, {**kept, "commitments": {"total": 0, "unkept": 0}}).outcome is False
    assert [h.name for h in groups.honors] == ["优秀共产党员", "先进基层党组织"]
