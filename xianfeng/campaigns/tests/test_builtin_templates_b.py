"""Built-in templates from seeds 000 (十星), 002 (先进性教育三阶段) and 004 (争三星 + 党员示范课).

The expected texts below are the seeds' wording with the OCR substitutions undone, written out in
full so that a slip in a template's YAML shows up as a failing comparison.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from xianfeng.campaigns.rules.engine import evaluate, evaluate_many
from xianfeng.campaigns.templating.loader import dump_template, load_template
from xianfeng.campaigns.templating.schema import CampaignTemplate

BUILTIN = Path(__file__).resolve().parent.parent / "builtin_templates"
FILES = {
    "ten_stars": "ten_stars.yaml",
    "advanced_nature_education": "advanced_nature_education.yaml",
    "three_stars_demo_lesson": "three_stars_demo_lesson.yaml",
}


def text_of(slug: str) -> str:
    return (BUILTIN / FILES[slug]).read_text(encoding="utf-8")


def load(slug: str) -> CampaignTemplate:
    return load_template(text_of(slug))


@pytest.fixture(scope="module")
def ten_stars() -> CampaignTemplate:
    return load("ten_stars")


@pytest.fixture(scope="module")
def education() -> CampaignTemplate:
    return load("advanced_nature_education")


@pytest.fixture(scope="module")
def three_stars() -> CampaignTemplate:
    return load("three_stars_demo_lesson")


# --- all three ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", FILES)
def test_loads_and_round_trips(slug):
    template = load(slug)
    assert template.slug == slug
    assert template.version == 1
    again = load_template(dump_template(template))
    assert again == template
    # A second export is byte-identical: nothing drifts on repeated import/export.
    assert dump_template(again) == dump_template(template)


@pytest.mark.parametrize(
    ("slug", "source"),
    [
        ("ten_stars", "《小学深入开展创先争优活动的实施方案》"),
        ("advanced_nature_education", "《学校开展先进性教育活动的实施方案》"),
        ("three_stars_demo_lesson", "《大连育明高中关于在党员中深入开展创先争优活动实施方案》"),
    ],
)
def test_source_names_the_seed_document(slug, source):
    assert load(slug).source.startswith(source)


@pytest.mark.parametrize("slug", FILES)
def test_every_text_is_in_chinese_punctuation(slug):
    # The seeds were extracted with ASCII commas; the templates restore full-width punctuation.
    template = load(slug)
    texts = [c.text for s in template.standard_sets for c in s.criteria]
    texts += [t.description for _, t in template.tasks()]
    for text in texts:
        assert "," not in text and ";" not in text, text


# --- seed 000: 十星 --------------------------------------------------------------------------


def test_ten_stars_sets_in_seed_order(ten_stars):
    names = {
        s.slug: [c.name for c in s.criteria]
        for s in ten_stars.standard_sets
        if s.slug.startswith("ten_stars")
    }
    assert names == {
        "ten_stars_organization": [
            "发展星",
            "勤政星",
            "先锋星",
            "党性星",
            "民主星",
            "高效星",
            "服务星",
            "业绩星",
            "满意星",
            "形象星",
        ],
        "ten_stars_member": [
            "理论星",
            "能力星",
            "修养星",
            "履职星",
            "开拓星",
            "奉献星",
            "服务星",
            "纪律星",
            "守法星",
            "正气星",
        ],
        "ten_stars_worker": [
            "信念星",
            "实践星",
            "能力星",
            "实绩星",
            "创新星",
            "务实星",
            "服务星",
            "公正星",
            "法制星",
            "操守星",
        ],
    }
    subjects = {s.slug: (s.subject, s.kind) for s in ten_stars.standard_sets}
    assert subjects["ten_stars_organization"] == ("organization", "stars")
    assert subjects["ten_stars_member"] == ("member", "stars")
    assert subjects["ten_stars_worker"] == ("party_affairs_worker", "stars")


STAR_TEXTS = [
    (
        "ten_stars_organization",
        "发展星",
        "领导班子能深入学习实践科学发展观，全面贯彻党的教育方针和政策。",
    ),
    ("ten_stars_organization", "党性星", "顾大局，讲原则，守纪律，党员意识强。"),
    ("ten_stars_organization", "民主星", "落实民主集中制原则，规范、落实管理民主制度。"),
    ("ten_stars_organization", "服务星", "围绕中心，服务大局，面向基层，服务群众。"),
    (
        "ten_stars_organization",
        "业绩星",
        "在深化教育改革、推进教育实践各项工作中成绩显著，围绕中心、服务大局事迹突出。",
    ),
    (
        "ten_stars_organization",
        "满意星",
        "扎实为群众办好事实事，有效治理三乱行为，在群众中有较高威信，群众满意率高。",
    ),
    ("ten_stars_member", "理论星", "认真学习实践科学发展观，遵循教育规律，严谨笃学。"),
    ("ten_stars_member", "能力星", "不断提高学习创新能力，提高教学科研管理服务水平。"),
    ("ten_stars_member", "修养星", "有较强的党性原则，恪守社会公德、家庭美德和职业道德。"),
    (
        "ten_stars_member",
        "履职星",
        "爱岗敬业，具有强烈的事业心和责任感，能够出色完成本岗位工作任务。",
    ),
    (
        "ten_stars_member",
        "服务星",
        "服务群众，服务师生，积极帮助群众和师生解决实际困难，自觉维护群众和师生利益。",
    ),
    (
        "ten_stars_member",
        "正气星",
        "带头弘扬正气，敢于同不良风气与违法违纪行为作斗争，自觉抵制三乱行为，做学生和群众的表率。",
    ),
    (
        "ten_stars_worker",
        "信念星",
        "坚持学习实践科学发展观，坚定理想信念，经得起各种风浪考验。",
    ),
    (
        "ten_stars_worker",
        "能力星",
        "坚持追求卓越，热爱和熟悉党务工作，模范执行党的路线方针政策，有较强的宣传教育、组织协调、群众工作能力。",
    ),
    ("ten_stars_worker", "实绩星", "坚持抓基层、打基础，搞好典型培养，党建工作业绩突出。"),
    ("ten_stars_worker", "服务星", "坚持工作在一线，服务在基层，真心实意为党员和群众服务。"),
    (
        "ten_stars_worker",
        "操守星",
        "坚持廉洁自律，不滥用职权，不谋求私利，带头抵制三乱行为，自觉接受党和人民的监督。",
    ),
]


@pytest.mark.parametrize(("set_slug", "star", "text"), STAR_TEXTS)
def test_star_full_texts(ten_stars, set_slug, star, text):
    standard = ten_stars.standard_set(set_slug)
    assert {c.name: c.text for c in standard.criteria}[star] == text


def test_every_star_has_its_text(ten_stars):
    for standard in ten_stars.standard_sets:
        if standard.kind == "stars":
            assert len(standard.criteria) == 10
            for criterion in standard.criteria:
                assert len(criterion.text) > 8, criterion.name


def test_ocr_substitutions_are_undone():
    text = text_of("ten_stars")
    # The seed's OCR wording may only appear in the header comment that documents the fixes.
    body = text.split("\nslug:", 1)[1]
    for wrong in (
        "效劳",
        "原那么",
        "根底",
        "广阔",
        "开展星",
        "科学开展观",
        "创立",
        "本钱",
        "坚决理想",
    ):
        assert wrong not in body, wrong
    assert "202223" not in body and "2023" not in body
    # Seed 002 masked 民主 as "**" (民主评议, 民主生活会); only the issuer's name stays masked.
    education = load("advanced_nature_education")
    for _, task in education.tasks():
        assert "**" not in task.description, task.slug
    life_meeting = next(t for _, t in education.tasks() if t.slug == "democratic_life_meeting")
    assert "参加领导班子专题民主生活会" in life_meeting.description


def test_five_goods_leads_strengths(ten_stars):
    expected = {
        "five_goods": (
            "organization",
            ["领导班子好", "党员队伍好", "工作机制好", "工作业绩好", "群众反映好"],
        ),
        "five_leads": (
            "member",
            ["带头学习提高", "带头争创佳绩", "带头服务群众", "带头遵纪守法", "带头弘扬正气"],
        ),
        "five_strengths": (
            "party_affairs_worker",
            ["党性观念强", "能力素质强", "创新意识强", "工作作风强", "自律意识强"],
        ),
    }
    for slug, (subject, names) in expected.items():
        standard = ten_stars.standard_set(slug)
        assert standard.kind == "attainment"
        assert standard.subject == subject
        assert [c.name for c in standard.criteria] == names


def test_ten_stars_phases_and_tasks(ten_stars):
    dates = [(p.name, p.starts.date, p.ends.date) for p in ten_stars.phases]
    assert dates[:2] == [
        ("广泛发动，安排部署", datetime.date(2010, 6, 21), datetime.date(2010, 6, 30)),
        ("全面争创，扎实推进", datetime.date(2010, 7, 1), datetime.date(2011, 6, 30)),
    ]
    first = [t.title for t in ten_stars.phase("mobilize").tasks]
    assert first == [
        "制订活动方案",
        "召开动员大会",
        "学习先进人物和典型事迹",
        "提出具体打算，作出承诺",
        "对照十星标准召开专题组织生活会",
    ]
    meeting = ten_stars.phase("mobilize").tasks[4]
    assert meeting.description == (
        "召开以对照十星具体标准，找差距、明方向、定措施为主题的专题组织生活会，"
        "明确党员自身与五带头模范党员的差距。"
    )
    pursuit = {t.slug: t.standard_set for t in ten_stars.phase("pursue").tasks}
    assert pursuit["organization_star_pursuit"] == "ten_stars_organization"
    assert pursuit["member_star_pursuit"] == "ten_stars_member"
    assert pursuit["worker_star_pursuit"] == "ten_stars_worker"
    lesson = next(t for t in ten_stars.phase("pursue").tasks if t.slug == "post_excellence")
    assert "党员示范课、党员基本功比武" in lesson.description


def test_ten_stars_worker_gate(ten_stars):
    gate = ten_stars.rule("worker_star_gate")
    assert gate.subject == "party_affairs_worker"
    assert evaluate(gate, {"status": "member"}).outcome is True
    assert evaluate(gate, {"status": "activist"}).outcome is False
    honors = {h.slug: h.standard_set for h in ten_stars.honors}
    assert honors == {
        "advanced_party_organization": "ten_stars_organization",
        "excellent_member": "ten_stars_member",
        "excellent_party_worker": "ten_stars_worker",
    }


# --- seed 002: 先进性教育 --------------------------------------------------------------------


def test_education_phases(education):
    assert education.min_duration_days == 90
    phases = [(p.name, p.starts.offset_days, p.duration_days) for p in education.phases]
    assert phases[:3] == [("学习动员", 0, 30), ("分析评议", 30, 40), ("整改提高", 70, 30)]
    # Consolidation follows the concentrated education: 两到三个月.
    assert phases[3] == ("巩固和扩大整改成果", 100, 90)


def test_education_study_numbers(education):
    study = next(t for _, t in education.tasks() if t.slug == "concentrated_study")
    assert study.numbers.min_hours == Decimal(40)
    assert study.responsible.unit == "each_member"
    assert {t.slug: t.value for t in education.targets}["study_hours"] == Decimal(40)
    activities = {t.activity for t in education.phase("mobilize").tasks}
    assert {"meeting", "study", "reading_notes", "reflection", "discussion"} <= activities
    kickoff = education.phase("mobilize").tasks[1]
    assert "吸收入党积极分子参加" in kickoff.description


def test_education_opinion_channels_and_feedback(education):
    tasks = {t.slug: t for t in education.phase("analyze").tasks}
    solicit = tasks["solicit_opinions"].description
    for channel in ("座谈会", "个别谈话", "意见箱", "征求意见表", "热线电话"):
        assert channel in solicit
    assert tasks["feed_back_opinions"].description == "对收集到的意见，经梳理后向党员本人如实反馈。"
    talks = [t for t in tasks.values() if t.activity == "heart_to_heart"]
    assert {t.responsible.unit for t in talks} == {
        "each_leader",
        "each_organization",
        "each_member",
    }
    assert "班子成员与分管部门负责人之间" in tasks["leadership_talks"].description
    assert tasks["democratic_life_meeting"].activity == "democratic_life_meeting"
    assert tasks["org_life_meeting"].activity == "org_life_meeting"
    assert tasks["evaluation_opinions"].public is True


def test_education_review_chain(education):
    chain = education.rule("analysis_review")
    assert [(s.reviewer, s.reviewee, s.relation) for s in chain.steps] == [
        ("organization_head", "leadership_member", "any"),
        ("leadership_member", "department_head", "supervises"),
        ("branch_secretary", "member", "same_unit"),
    ]
    analysis = next(t for _, t in education.tasks() if t.slug == "party_spirit_analysis")
    assert analysis.rules == ["analysis_review"]
    people = [
        {"id": "head", "roles": ["organization_head", "member"], "unit": "school"},
        {
            "id": "vice",
            "roles": ["leadership_member", "member"],
            "unit": "school",
            "supervises": ["dean"],
        },
        {"id": "dean", "roles": ["department_head", "member"], "unit": "branch1"},
        {"id": "sec", "roles": ["branch_secretary", "member"], "unit": "branch1"},
        {"id": "teacher", "roles": ["member"], "unit": "branch1"},
    ]
    result = evaluate(chain, {"people": people}, template=education)
    pairs = {(a["reviewee"], a["reviewer"], a["step"]) for a in result.outcome}
    assert ("vice", "head", "leadership_members") in pairs
    assert ("dean", "vice", "department_heads") in pairs
    assert ("teacher", "sec", "branch_members") in pairs
    # The department head is reviewed by the leader who supervises him, not by the branch.
    assert not any(p[0] == "dean" and p[1] == "sec" for p in pairs)


def test_education_member_evaluation(education):
    scheme = education.scheme("member_evaluation")
    assert [g.name for g in scheme.grade_scale] == ["优秀", "合格", "基本合格", "不合格"]
    assert scheme.anonymous is True
    follow_up = education.rule("unqualified_member_follow_up")
    assert evaluate(follow_up, {"evaluation": {"grade": "unqualified"}}).outcome is True
    assert evaluate(follow_up, {"evaluation": {"grade": "qualified"}}).outcome is False


def test_education_redo_when_most_dissatisfied(education):
    rule = education.rule("majority_dissatisfied_redo")
    assert rule.consequence == "redo"
    most = evaluate(
        rule,
        {"ballots": {"satisfied": 10, "basically_satisfied": 5, "dissatisfied": 16}},
        template=education,
    )
    assert most.outcome is True
    assert most.details["consequence"] == "redo"
    assert "补课" in most.conclusion
    few = evaluate(
        rule,
        {"ballots": {"satisfied": 20, "basically_satisfied": 5, "dissatisfied": 6}},
        template=education,
    )
    assert few.outcome is False
    survey = next(t for _, t in education.tasks() if t.slug == "satisfaction_survey")
    assert survey.evaluation_scheme == "satisfaction"
    assert survey.due.at_phase_end is True


def test_education_low_satisfaction_rule(education):
    rule = education.rule("low_satisfaction")
    assert rule.consequence == "no_excellent"
    assert rule.consequence_text == "当年不得评先评优，并限期整改"
    inputs = {"satisfaction": {"rate": Decimal("0.5")}, "facts": {"low_satisfaction_line": 0.6}}
    assert evaluate(rule, inputs, template=education).outcome is True
    inputs["satisfaction"]["rate"] = Decimal("0.9")
    assert evaluate(rule, inputs, template=education).outcome is False


def test_education_rectification(education):
    rect = education.rectification
    assert [c.name for c in rect.categories] == [
        "立即解决",
        "集中力量解决",
        "暂时解决不了的作出说明",
    ]
    assert rect.categories[2].description == "对暂时解决不了的问题，要向广大师生员工作出说明。"
    assert rect.public is True
    redo = education.rule(rect.redo_rule)
    assert redo.consequence == "re_rectify"
    outcome = evaluate(
        redo,
        {"ballots": {"satisfied": 3, "basically_satisfied": 2, "dissatisfied": 9}},
        template=education,
    )
    assert outcome.outcome is True
    plans = [t for t in education.phase("rectify").tasks if t.slug.endswith("rectification_plan")]
    assert {t.responsible.unit for t in plans} == {
        "each_member",
        "each_organization",
        "leadership_group",
    }


# --- seed 004: 争三星 + 党员示范课 -----------------------------------------------------------


def test_three_stars_eligibility_and_deliverables(three_stars):
    stars = {c.slug: c for c in three_stars.standard_set("three_stars").criteria}
    assert [c.name for c in stars.values()] == ["德育之星", "教学之星", "科学之星"]
    assert stars["moral_star"].eligible_post_categories == ["administrator", "head_teacher"]
    assert stars["teaching_star"].eligible_post_categories == ["teacher"]
    assert stars["science_star"].eligible_post_categories == []
    assert [d.name for d in stars["moral_star"].deliverables] == [
        "典型经验论文或总结",
        "一次模范事迹讲座或一次好班会",
        "节假日亲情家访",
    ]
    assert [d.name for d in stars["teaching_star"].deliverables] == ["精品课", "优秀教学案例"]
    assert stars["teaching_star"].deliverables[0].description == "设计、讲授一堂精品课"
    assert stars["science_star"].deliverables[0].options == ["发表的科研论文", "完成的科研课题实验"]
    assert stars["teaching_star"].text == (
        "树立先进教育教学理念，自觉遵循教学规律，充当课程改革的先锋，"
        "并设计、讲授一堂精品课，撰写优秀教学案例。"
    )
    assert stars["science_star"].text == (
        "要树立科学发展观，积极推进教育创新，不断探索教改新路径，"
        "撰写并发表高质量的科研论文或承担并完成了科研课题的实验。"
    )
    assert stars["moral_star"].text == (
        "自觉加强师德修养，模范遵守《中小学教师职业道德规范》，树立服务于教育教学的意识；"
        "为人师表，以良好的思想和道德影响培养学生；大力提倡潜心钻研教育规律，认真总结教育经验，"
        "成为热爱学习、终身学习和锐意创新的楷模，并撰写出典型的经验论文或总结，"
        "搞一次模范事迹讲座或组织一次好班会，利用节假日做好“亲情家访”工作。"
    )


@pytest.mark.parametrize(
    ("gate", "post", "eligible"),
    [
        ("moral_star_gate", "administrator", True),
        ("moral_star_gate", "head_teacher", True),
        ("moral_star_gate", "teacher", False),
        ("teaching_star_gate", "teacher", True),
        ("teaching_star_gate", "head_teacher", False),
        ("teaching_star_gate", "administrator", False),
        ("science_star_gate", "administrator", True),
        ("science_star_gate", "head_teacher", True),
        ("science_star_gate", "teacher", True),
    ],
)
def test_three_stars_gates(three_stars, gate, post, eligible):
    result = evaluate(three_stars.rule(gate), {"status": "member", "post_category": post})
    assert result.outcome is eligible


def test_star_awarded_only_with_all_deliverables(three_stars):
    rule = three_stars.rule("star_deliverables_complete")
    done = {"deliverables": {"required": 3, "accepted": 3}}
    partly = {"deliverables": {"required": 3, "accepted": 2}}
    assert evaluate(rule, done).outcome is True
    assert evaluate(rule, partly).outcome is False
    assert {c.rule for c in three_stars.standard_set("three_stars").criteria} == {
        "star_deliverables_complete"
    }


def test_demonstration_lessons(three_stars):
    tasks = {t.slug: t for t in three_stars.phase("pursue").tasks}
    group = tasks["group_demo_lesson"]
    assert group.activity == "demonstration_lesson"
    assert group.responsible.post_categories == ["teacher"]
    assert group.numbers.min_count == 1
    assert group.evaluation_scheme == "lesson_observation"
    school = tasks["school_demo_lesson"]
    assert school.responsible.organization_kind == "branch"
    assert "由学科支部推出一名佼佼者上全校示范课" in school.description
    quota = three_stars.rule("school_lesson_quota")
    candidates = [
        {"id": "a", "score": 92, "unit": "语文支部"},
        {"id": "b", "score": 95, "unit": "语文支部"},
        {"id": "c", "score": 88, "unit": "数学支部"},
    ]
    assert sorted(evaluate(quota, {"candidates": candidates}).outcome) == ["b", "c"]
    assert three_stars.scheme("lesson_observation").purpose == "lesson_observation"


def test_three_stars_phase_dates(three_stars):
    assert [(p.name, p.starts.date, p.ends.date) for p in three_stars.phases] == [
        ("广泛发动，安排部署", datetime.date(2010, 6, 11), datetime.date(2010, 6, 30)),
        ("全面争创，扎实推进", datetime.date(2010, 7, 1), datetime.date(2011, 6, 30)),
        ("对标定位，晋档升级", datetime.date(2011, 7, 1), datetime.date(2012, 6, 30)),
        ("系统总结，完善机制", datetime.date(2012, 7, 1), datetime.date(2012, 11, 7)),
    ]
    due = {t.slug: t.due.date for _, t in three_stars.tasks() if t.due and t.due.date}
    assert due["kickoff_meeting"] == datetime.date(2010, 6, 30)
    assert due["ethics_education"] == datetime.date(2010, 9, 9)
    assert [t.title for t in three_stars.phase("summarize").tasks] == [
        "展示成果",
        "搞好总结",
        "组织评议",
        "完善机制",
    ]


def test_three_stars_duty_reports_and_honors(three_stars):
    duty = next(t for _, t in three_stars.tasks() if t.slug == "duty_report")
    assert duty.activity == "duty_report"
    assert three_stars.scheme(duty.evaluation_scheme).purpose == "duty_assessment"
    assert "述职、考核、评议制度" in duty.description
    honors = {h.slug: h for h in three_stars.honors}
    assert honors["advanced_party_organization"].standard_set == "five_goods"
    assert honors["three_stars_award"].standard_set == "three_stars"
    assert "注重工作实绩和社会公认度" in honors["excellent_member"].description
    assert three_stars.leadership_group.roles[0].holder == "陈德军同志"
    assert three_stars.carriers == ["争三星", "党员示范课"]


def test_three_stars_rules_evaluate_together(three_stars):
    gates = [
        three_stars.rule(slug) for slug in ("teaching_star_gate", "star_deliverables_complete")
    ]
    results = evaluate_many(
        gates,
        {
            "status": "probationary",
            "post_category": "teacher",
            "deliverables": {"required": 2, "accepted": 2},
        },
        template=three_stars,
    )
    assert all(result.outcome is True for result in results.values())
