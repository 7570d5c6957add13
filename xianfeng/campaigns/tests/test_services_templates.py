"""Template versions: copy, edit (YAML and structured), and campaigns keeping their version."""

from __future__ import annotations

import datetime

import pytest

from xianfeng.campaigns.models import CampaignTemplate
from xianfeng.campaigns.services import campaign_create
from xianfeng.campaigns.template_services import (
    PhaseChange,
    TaskChange,
    TemplateRejected,
    latest_version,
    template_copy,
    template_criterion_update,
    template_import,
    template_phase_update,
    template_task_update,
    template_version_save,
)
from xianfeng.campaigns.tests.helpers import MINIMAL, START, make_campaign, tenant_template
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Role
from xianfeng.testing import School


@pytest.fixture
def builtin(db: None) -> CampaignTemplate:
    return template_import(tenant=None, text=MINIMAL, user=None, builtin=True).template


def test_copy_makes_a_tenant_template_with_version_1(
    school: School, builtin: CampaignTemplate
) -> None:
    source = latest_version(builtin)
    copy = template_copy(
        source=source,
        tenant=school.tenant,
        user=school.users[Role.SECRETARY],
        slug="school_minimal",
        name="第一中学先进性教育",
    )
    version = latest_version(copy)
    assert (copy.tenant_id, copy.is_builtin, copy.copied_from_id) == (
        school.tenant.pk,
        False,
        source.pk,
    )
    assert version.version == 1
    model = version.model()
    assert (model.slug, model.name, model.version) == ("school_minimal", "第一中学先进性教育", 1)
    assert "slug: school_minimal" in version.yaml_text
    # Apart from its identity the copy is the built-in, comments included.
    assert version.yaml_text.startswith("# 一个小而完整的模板示例")
    assert model.phases == source.model().phases


def test_copy_refuses_bad_or_taken_slugs(school: School, builtin: CampaignTemplate) -> None:
    source = latest_version(builtin)
    user = school.users[Role.SECRETARY]
    with pytest.raises(DomainError, match="小写英文字母") as bad:
        template_copy(source=source, tenant=school.tenant, user=user, slug="第一", name="x")
    assert bad.value.field == "slug"
    with pytest.raises(DomainError, match="内置"):
        template_copy(
            source=source, tenant=school.tenant, user=user, slug="minimal_example", name="x"
        )
    template_copy(source=source, tenant=school.tenant, user=user, slug="mine", name="一")
    with pytest.raises(DomainError, match="本单位已有"):
        template_copy(source=source, tenant=school.tenant, user=user, slug="mine", name="二")


def test_editing_saves_a_new_version_and_old_campaigns_keep_theirs(school: School) -> None:
    campaign = make_campaign(school)
    template = campaign.template_version.template
    old = campaign.template_version
    text = old.yaml_text.replace("title: 读书笔记", "title: 读书笔记（不少于五千字）")
    version, created = template_version_save(
        template=template, text=text, user=school.users[Role.SECRETARY], note="改任务名称"
    )
    assert created and version.version == 2 and version.note == "改任务名称"
    assert "version: 2" in version.yaml_text
    campaign.refresh_from_db()
    assert campaign.template_version_id == old.pk
    assert campaign.tasks.get(slug="member_notes").title == "读书笔记"
    newer = campaign_create(
        template_version=latest_version(template),
        root=school.school,
        name="第二次",
        starts_on=START,
        user=None,
    )
    assert newer.tasks.get(slug="member_notes").title == "读书笔记（不少于五千字）"


def test_saving_the_same_text_saves_nothing(school: School) -> None:
    template = tenant_template(school)
    version, created = template_version_save(
        template=template, text=latest_version(template).yaml_text, user=None
    )
    assert not created and version.version == 1


def test_an_invalid_edit_saves_nothing_and_lists_every_error(school: School) -> None:
    template = tenant_template(school)
    text = latest_version(template).yaml_text
    broken = text.replace("duration_days: 92", "duration_days: -3").replace(
        "organization_kind: group", "organization_kind: club"
    )
    with pytest.raises(TemplateRejected) as refused:
        template_version_save(template=template, text=broken, user=None)
    paths = {issue.path for issue in refused.value.issues}
    assert "phases[0].duration_days" in paths
    assert "phases[1].tasks[1].responsible.organization_kind" in paths
    assert all(issue.line for issue in refused.value.issues)
    assert template.versions.count() == 1


def test_the_slug_of_a_template_stays(school: School) -> None:
    template = tenant_template(school)
    text = latest_version(template).yaml_text.replace("slug: small_campaign", "slug: renamed")
    text = text.replace("name: 小型测试活动", "name: 改名的活动")
    version, _created = template_version_save(template=template, text=text, user=None)
    template.refresh_from_db()
    assert version.model().slug == "small_campaign"
    assert template.name == "改名的活动"


def test_builtins_are_read_only(builtin: CampaignTemplate) -> None:
    with pytest.raises(DomainError, match="先复制"):
        template_version_save(template=builtin, text=MINIMAL, user=None)
    with pytest.raises(DomainError, match="内置模板"):
        template_import(tenant=None, text=MINIMAL, user=None)


def test_importing_a_builtin_slug_into_a_tenant_is_refused(
    school: School, builtin: CampaignTemplate
) -> None:
    with pytest.raises(DomainError, match="内置"):
        template_import(tenant=school.tenant, text=MINIMAL, user=None)
    assert CampaignTemplate.objects.count() == 1


def test_structured_phase_edit(school: School) -> None:
    template = tenant_template(school)
    change = PhaseChange(
        name="学习动员",
        description="统一思想",
        starts_offset_days=0,
        starts_date=None,
        duration_days=60,
        ends_date=None,
    )
    version, created = template_phase_update(
        template=template, phase_slug="first", change=change, user=None
    )
    assert created and version.version == 2
    phase = version.model().phase("first")
    assert (phase.name, phase.description, phase.duration_days) == ("学习动员", "统一思想", 60)
    assert latest_version(template).model().phase("second") == template.versions.get(
        version=1
    ).model().phase("second")


def test_structured_phase_edit_to_fixed_dates(school: School) -> None:
    template = tenant_template(school)
    change = PhaseChange(
        name="第二阶段",
        description="",
        starts_offset_days=None,
        starts_date=datetime.date(2026, 7, 1),
        duration_days=None,
        ends_date=datetime.date(2026, 7, 31),
    )
    version, _created = template_phase_update(
        template=template, phase_slug="second", change=change, user=None
    )
    phase = version.model().phase("second")
    assert phase.starts.date == datetime.date(2026, 7, 1) and phase.ends.date == datetime.date(
        2026, 7, 31
    )


def test_structured_task_edit(school: School) -> None:
    template = tenant_template(school)
    change = TaskChange(
        title="每周支部会议",
        description="每周一次",
        due_kind="offset",
        due_offset_days=3,
        due_date=None,
        cadence="weekly",
    )
    version, _created = template_task_update(
        template=template, task_slug="monthly_meeting", change=change, user=None
    )
    task = next(t for _p, t in version.model().tasks() if t.slug == "monthly_meeting")
    assert (task.title, task.cadence, task.due.offset_days) == ("每周支部会议", "weekly", 3)
    # The evidence and responsible unit the form does not show are kept.
    assert [e.kind for e in task.evidence] == ["minutes"]


def test_structured_edit_that_breaks_a_check_is_refused(school: School) -> None:
    template = tenant_template(school)
    change = TaskChange(
        title="读书笔记",
        description="",
        due_kind="offset",
        due_offset_days=400,
        due_date=None,
        cadence="once",
    )
    with pytest.raises(TemplateRejected) as refused:
        template_task_update(template=template, task_slug="member_notes", change=change, user=None)
    assert any("超出阶段时长" in issue.message for issue in refused.value.issues)
    assert template.versions.count() == 1


def test_structured_criterion_edit(school: School) -> None:
    template = tenant_template(school, MINIMAL)
    version, _created = template_criterion_update(
        template=template,
        set_slug="five_leads",
        criterion_slug="study",
        name="带头学习提高",
        text="带头学习政治理论和业务知识。",
        user=None,
    )
    criterion = version.model().standard_set("five_leads").criteria[0]
    assert criterion.text == "带头学习政治理论和业务知识。"
    with pytest.raises(DomainError, match="没有这项标准条件"):
        template_criterion_update(
            template=template,
            set_slug="five_leads",
            criterion_slug="nope",
            name="x",
            text="",
            user=None,
        )
