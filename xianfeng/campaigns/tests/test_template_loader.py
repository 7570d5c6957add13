import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from xianfeng.campaigns.templating import schema
from xianfeng.campaigns.templating.loader import (
    TemplateError,
    dump_template,
    load_template,
    validate_template_text,
)

HERE = Path(__file__).resolve().parent.parent / "templating"
MINIMAL = (HERE / "examples" / "minimal.yaml").read_text(encoding="utf-8")
CJK = re.compile(r"[\u4e00-\u9fff]")


def minimal_data() -> dict[str, Any]:
    return yaml.safe_load(MINIMAL)


def errors_of(text: str) -> list[Any]:
    with pytest.raises(TemplateError) as caught:
        load_template(text)
    return caught.value.errors


def test_minimal_example_loads():
    template = load_template(MINIMAL)
    assert template.slug == "minimal_example"
    assert [phase.name for phase in template.phases] == ["学习动员", "分析评议", "整改提高"]
    assert template.rule("majority_dissatisfied").kind == "threshold"
    assert template.scheme("member_evaluation").min_participation == Decimal("0.8")
    science = template.standard_set("three_stars").criteria[1]
    assert science.deliverables[0].options == ["发表的科研论文", "完成的科研课题实验"]


def test_format_md_examples_load():
    text = (HERE / "FORMAT.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    complete = load_template(blocks[-1])
    assert complete.min_duration_days == 90
    # The snippets are sections: merged into the minimal example they must load too.
    standards, rules = (yaml.safe_load(block) for block in blocks[:-1])
    data = minimal_data()
    data["standard_sets"][1] = standards["standard_sets"][0]
    data["rules"] += rules["rules"]
    merged = load_template(yaml.safe_dump(data, allow_unicode=True))
    assert merged.standard_set("three_stars").criteria[0].name == "德育之星"
    assert merged.rule("analysis_review").kind == "review_chain"


def test_dump_round_trips():
    template = load_template(MINIMAL)
    text = dump_template(template)
    again = load_template(text)
    assert again == template
    assert dump_template(again) == text
    assert "教学之星" in text  # unicode written as is, not escaped
    assert text.startswith("slug: minimal_example\nname: ")


def test_dump_keeps_multiline_text_readable():
    data = minimal_data()
    data["summary"] = "第一段。\n第二段。"
    text = dump_template(load_template(yaml.safe_dump(data, allow_unicode=True)))
    assert "summary: |" in text
    assert load_template(text).summary == "第一段。\n第二段。"


def test_percent_strings_are_fractions():
    data = minimal_data()
    data["rules"][4] = {
        "slug": "excellent_quota",
        "kind": "quota",
        "name": "优秀比例",
        "max_percent": "15%",
    }
    template = load_template(yaml.safe_dump(data, allow_unicode=True))
    assert str(template.rule("excellent_quota").max_percent) == "0.15"


def test_codes_mirror_django_choices():
    from typing import get_args

    from xianfeng.organizations.models import OrganizationKind
    from xianfeng.people.models import PoliticalStatus, PostCategory

    assert set(get_args(schema.PostCategoryCode)) == {c for c in PostCategory.values if c}
    assert set(schema.POST_CATEGORY_LABELS) == {c for c in PostCategory.values if c}
    assert set(get_args(schema.OrganizationKindCode)) == set(OrganizationKind.values)
    assert set(get_args(schema.PoliticalStatusCode)) == set(PoliticalStatus.values)
    assert dict(PostCategory.choices)["teacher"] == schema.POST_CATEGORY_LABELS["teacher"]


# --- malformed templates ---------------------------------------------------------------------------


def set_in(data: dict, path: tuple, value: Any) -> None:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def mutation(*steps: tuple[tuple, Any]) -> Callable[[dict], None]:
    def apply(data: dict) -> None:
        for path, value in steps:
            if value is DELETE:
                target = data
                for key in path[:-1]:
                    target = target[key]
                del target[path[-1]]
            else:
                set_in(data, path, value)

    return apply


DELETE = object()
T0 = ("phases", 0, "tasks", 0)

MALFORMED: list[tuple[str, Callable[[dict], None], str, str]] = [
    ("unknown top-level key", mutation((("nmae",), "错字")), "nmae", "未知的字段"),
    (
        "unknown nested key",
        mutation(((*T0, "titel"), "x")),
        "phases[0].tasks[0].titel",
        "未知的字段",
    ),
    ("missing required", mutation((("theme",), DELETE)), "theme", "缺少必填项"),
    ("int as text", mutation((("version",), "第一版")), "version", "应为整数"),
    (
        "duration as text",
        mutation((("phases", 1, "duration_days"), "四十")),
        "phases[1].duration_days",
        "应为整数",
    ),
    ("string instead of list", mutation((("carriers",), {"a": 1})), "carriers", "应为列表"),
    (
        "bad date",
        mutation((("phases", 0, "starts"), {"date": "2010-13-45"})),
        "phases[0].starts.date",
        "应为日期",
    ),
    (
        "end before start",
        mutation(
            (("phases", 0, "starts"), {"date": "2010-06-15"}),
            (("phases", 0, "duration_days"), DELETE),
            (("phases", 0, "ends"), {"date": "2010-06-01"}),
            ((*T0, "due"), {"at_phase_end": True}),
        ),
        "phases[0].ends.date",
        "早于开始日期",
    ),
    (
        "negative offset",
        mutation((("phases", 2, "starts", "offset_days"), -5)),
        "phases[2].starts.offset_days",
        "不能为负数",
    ),
    (
        "duration and end both",
        mutation((("phases", 0, "ends"), {"offset_days": 29})),
        "phases[0]",
        "必须且只能填写一项",
    ),
    (
        "bad slug",
        mutation(((*T0, "slug"), "Kickoff Meeting")),
        "phases[0].tasks[0].slug",
        "小写英文字母",
    ),
    (
        "duplicate phase slug",
        mutation((("phases", 1, "slug"), "mobilize")),
        "phases[1].slug",
        "重复",
    ),
    (
        "duplicate task slug",
        mutation((("phases", 2, "tasks", 0, "slug"), "kickoff_meeting")),
        "phases[2].tasks[0].slug",
        "重复",
    ),
    (
        "unknown responsible unit",
        mutation(((*T0, "responsible", "unit"), "everyone")),
        "phases[0].tasks[0].responsible.unit",
        "取值应为",
    ),
    (
        "organization kind missing",
        mutation(((*T0, "responsible"), {"unit": "each_organization"})),
        "phases[0].tasks[0].responsible",
        "organization_kind",
    ),
    (
        "due beyond phase",
        mutation(((*T0, "due"), {"offset_days": 45})),
        "phases[0].tasks[0].due.offset_days",
        "超出阶段时长",
    ),
    (
        "unknown cadence",
        mutation(((*T0, "cadence"), "biweekly")),
        "phases[0].tasks[0].cadence",
        "取值应为",
    ),
    (
        "unknown evidence kind",
        mutation(((*T0, "evidence", 1, "kind"), "selfie")),
        "phases[0].tasks[0].evidence[1].kind",
        "取值应为",
    ),
    (
        "task names missing scheme",
        mutation((("phases", 1, "tasks", 1, "evaluation_scheme"), "peer_review")),
        "phases[1].tasks[1].evaluation_scheme",
        "不存在",
    ),
    (
        "unknown rule kind",
        mutation((("rules", 0, "kind"), "lottery")),
        "rules[0].kind",
        "未知的规则类型",
    ),
    (
        "missing rule kind",
        mutation((("rules", 0, "kind"), DELETE)),
        "rules[0].kind",
        "缺少规则类型",
    ),
    (
        "expression does not parse",
        mutation((("rules", 3, "expression"), "ballots.dissatisfied / > 50%")),
        "rules[3].expression",
        "第 24 列",
    ),
    (
        "expression unknown ballot",
        mutation((("rules", 3, "expression"), "ballots.angry > 3")),
        "rules[3].expression",
        "ballots.angry",
    ),
    (
        "expression wrong type",
        mutation((("rules", 0, "conditions", 0, "when"), "study.hours")),
        "rules[0].conditions[0].when",
        "真假值",
    ),
    (
        "grade that the scheme lacks",
        mutation((("rules", 1, "parts", 0, "grade_points", "outstanding"), 120)),
        "rules[1].parts[0].grade_points.outstanding",
        "没有等次",
    ),
    (
        "criterion that does not exist",
        mutation((("rules", 0, "applies_to"), ["standard_sets.three_stars.criteria.moon_star"])),
        "rules[0].applies_to[0]",
        "没有条件“moon_star”",
    ),
    (
        "honor names missing rule",
        mutation((("honors", 0, "rules", 0), "member_gat")),
        "honors[0].rules[0]",
        "不存在",
    ),
    (
        "quota over 100%",
        mutation((("rules", 4, "max_count"), DELETE), (("rules", 4, "max_percent"), "150%")),
        "rules[4].max_percent",
        "0 到 1",
    ),
    (
        "participation over 1",
        mutation((("evaluation_schemes", 0, "min_participation"), 1.5)),
        "evaluation_schemes[0].min_participation",
        "0 到 1",
    ),
    (
        "bands not descending",
        mutation((("rules", 2, "bands", 1, "min"), 95)),
        "rules[2].bands[1].min",
        "从高到低",
    ),
    (
        "post category unknown",
        mutation((("standard_sets", 1, "criteria", 0, "eligible_post_categories"), ["cook"])),
        "standard_sets[1].criteria[0].eligible_post_categories[0]",
        "取值应为",
    ),
    (
        "rectify_within without days",
        mutation((("rules", 3, "consequence"), "rectify_within")),
        "rules[3].rectify_days",
        "整改天数",
    ),
    (
        "too short overall",
        mutation((("min_duration_days",), 200)),
        "min_duration_days",
        "少于要求的 200 天",
    ),
    (
        "redo rule of the wrong kind",
        mutation((("rectification", "redo_rule"), "excellent_quota")),
        "rectification.redo_rule",
        "阈值规则",
    ),
    (
        "honor subject mismatch",
        mutation((("honors", 0, "subject"), "organization")),
        "honors[0].standard_set",
        "针对党员",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_template_is_refused_with_path(mutate, path, fragment):
    data = minimal_data()
    mutate(data)
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    matching = [issue for issue in errors if issue.path == path]
    assert matching, f"no error at {path}: {[str(e) for e in errors]}"
    assert any(fragment in issue.message for issue in matching), [str(e) for e in matching]
    for issue in errors:
        assert CJK.search(issue.message), issue
        assert issue.line is not None, issue


def test_at_least_twenty_malformed_cases():
    assert len(MALFORMED) >= 20


def test_every_structural_error_is_listed():
    data = minimal_data()
    data["version"] = "一"
    data["carriers"] = "争三星"
    data["phases"][1]["duration_days"] = "四十"
    data["phases"][0]["tasks"][0]["cadence"] = "biweekly"
    data["rules"][0]["kind"] = "lottery"
    data["unknown"] = 1
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert {issue.path for issue in errors} == {
        "version",
        "carriers",
        "phases[1].duration_days",
        "phases[0].tasks[0].cadence",
        "rules[0].kind",
        "unknown",
    }


def test_every_reference_error_is_listed():
    data = minimal_data()
    data["phases"][1]["slug"] = "mobilize"
    data["phases"][1]["tasks"][1]["rules"] = ["nope"]
    data["rules"][3]["scheme"] = "missing_scheme"
    data["honors"][0]["standard_set"] = "five_goods"
    data["standard_sets"][0]["rating_rule"] = "ghost"
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    paths = {issue.path for issue in errors}
    assert {
        "phases[1].slug",
        "phases[1].tasks[1].rules[0]",
        "rules[3].scheme",
        "honors[0].standard_set",
        "standard_sets[0].rating_rule",
    } <= paths
    # The threshold reads ballots of a scheme that does not exist: reported too, not skipped.
    assert "rules[3].expression" in paths


def test_rule_cycle_is_refused():
    data = minimal_data()
    data["rules"] += [
        {
            "slug": "a",
            "kind": "veto",
            "name": "甲",
            "conditions": [{"slug": "x", "name": "x", "when": "rules.b"}],
        },
        {
            "slug": "b",
            "kind": "veto",
            "name": "乙",
            "conditions": [{"slug": "y", "name": "y", "when": "rules.a"}],
        },
    ]
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True))
    assert any("循环引用" in issue.message and issue.path.startswith("rules[") for issue in errors)


def test_rule_may_not_read_itself_or_a_quota():
    data = minimal_data()
    data["rules"][2]["value"] = "rules.member_grade"
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True))
    assert [(e.path, "引用自己" in e.message) for e in errors] == [("rules[2].value", True)]
    data = minimal_data()
    data["rules"][2]["value"] = "rules.excellent_quota"
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True))
    assert "不能在表达式中使用" in errors[0].message


def test_yaml_syntax_error_has_line():
    text = MINIMAL.replace("theme: 保持共产党员先进性", "theme: [保持共产党员先进性")
    errors = errors_of(text)
    assert len(errors) == 1
    assert errors[0].message.startswith("YAML 格式错误（第 ")
    assert errors[0].line is not None and errors[0].line > 1


def test_duplicate_key_is_refused():
    text = MINIMAL.replace(
        "theme: 保持共产党员先进性", "theme: 保持共产党员先进性\ntheme: 另一个主题"
    )
    errors = errors_of(text)
    assert [(e.path, e.line) for e in errors] == [("theme", 7)]
    assert "字段重复（第 6 行" in errors[0].message


def test_aliases_are_refused():
    text = MINIMAL.replace(
        "carriers:\n  - 五好五带头", "carriers: &c\n  - 五好五带头\ngoals_copy: *c"
    )
    errors = errors_of(text)
    assert any("别名" in e.message for e in errors)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "模板为空"),
        ("# 只有注释\n", "模板为空"),
        ("- a\n- b\n", "顶层应为键值结构"),
        ("42", "顶层应为键值结构"),
    ],
)
def test_not_a_template(text, fragment):
    errors = errors_of(text)
    assert fragment in errors[0].message


def test_oversized_template():
    errors = errors_of("summary: " + "长" * 200_000)
    assert "模板过大" in errors[0].message


def test_validate_template_text_lists_problems():
    assert validate_template_text(MINIMAL) == []
    problems = validate_template_text(MINIMAL.replace("version: 1", "version: 0"))
    assert [(p.path, p.message) for p in problems] == [("version", "不能小于 1")]
    assert str(problems[0]) == "version：不能小于 1（第 4 行）"


def test_error_summary_lists_all():
    data = minimal_data()
    data["version"] = "一"
    data["theme"] = ""
    with pytest.raises(TemplateError) as caught:
        load_template(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    text = str(caught.value)
    assert text.startswith("模板有 2 处错误")
    assert "version：应为整数" in text and "theme：不能为空" in text
