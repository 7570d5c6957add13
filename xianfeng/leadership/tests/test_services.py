import pytest
from django.db import IntegrityError, transaction

from xianfeng.campaigns.services import campaign_close
from xianfeng.campaigns.tests.helpers import make_campaign
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Role
from xianfeng.leadership import services
from xianfeng.leadership.models import LeadershipRole, PlanStatus, RoleKind, WorkingGroupRole
from xianfeng.leadership.tests.helpers import FOUR, builtin_campaign, submitted_plan
from xianfeng.testing import PersonFactory


def test_the_group_is_set_up_from_the_templates_leadership_group(school):
    campaign = builtin_campaign(school)
    group = services.leadership_group_setup(campaign=campaign)
    assert group.name == "创先争优活动领导小组"
    assert group.office_name == "创先争优活动领导小组办公室"
    assert "负责日常事务" in group.office_duties
    roles = list(group.roles.order_by("sort_order"))
    assert [(r.role, r.label) for r in roles] == [
        (RoleKind.LEADER, "组长"),
        (RoleKind.DEPUTY, "副组长"),
        (RoleKind.MEMBER, "组员"),
        (RoleKind.OFFICE_DIRECTOR, "办公室主任"),
    ]
    assert roles[0].duties == "人选：党支部书记（书记兼校长）"
    assert all(r.person is None for r in roles)
    # 长安小学's four working groups, each with its duties (seed 001).
    working = list(group.working_groups.order_by("sort_order"))
    assert [w.name for w in working] == [
        "学习领导小组",
        "宣传领导小组",
        "后勤保障领导小组",
        "材料整理领导小组",
    ]
    assert "全面负责学习活动的保障工作" in working[2].duties


def test_a_template_without_a_leadership_group_gives_a_group_with_a_leader_place(school):
    campaign = make_campaign(school)
    group = services.leadership_group_setup(campaign=campaign)
    assert group.name == "测试活动领导小组"
    assert [r.role for r in group.roles.all()] == [RoleKind.LEADER]
    assert not group.working_groups.exists()


def test_a_group_is_set_up_once(school):
    campaign = builtin_campaign(school)
    services.leadership_group_setup(campaign=campaign)
    with pytest.raises(DomainError, match="领导小组已经建立"):
        services.leadership_group_setup(campaign=campaign)


def test_people_fill_the_roles_and_the_working_groups(school):
    campaign = builtin_campaign(school)
    group = services.leadership_group_setup(campaign=campaign)
    leader_place = group.roles.get(role=RoleKind.LEADER)
    principal = PersonFactory(organization=school.school, name="焦旭阳", title="书记兼校长")
    services.leadership_role_update(
        entry=leader_place, role=RoleKind.LEADER, person=principal, duties="全面负责"
    )
    deputy = PersonFactory(organization=school.school, name="罗德勇")
    services.leadership_role_add(group=group, role=RoleKind.DEPUTY, person=deputy)
    with pytest.raises(DomainError, match="罗德勇已是领导小组的副组长"):
        services.leadership_role_add(group=group, role=RoleKind.DEPUTY, person=deputy)
    with pytest.raises(DomainError, match="领导小组已有组长（焦旭阳），请修改该条目"):
        services.leadership_role_add(group=group, role=RoleKind.LEADER, person=deputy)
    study = group.working_groups.get(name="学习领导小组")
    services.working_group_update(
        working_group=study, name=study.name, duties=study.duties, leader=principal
    )
    services.working_group_member_add(
        working_group=study, person=deputy, role=WorkingGroupRole.DEPUTY
    )
    with pytest.raises(DomainError, match="已在“学习领导小组”中"):
        services.working_group_member_add(working_group=study, person=deputy)
    with pytest.raises(DomainError, match="是该小组的组长"):
        services.working_group_member_add(working_group=study, person=principal)
    with pytest.raises(DomainError, match="已有名为“宣传领导小组”的工作小组"):
        services.working_group_add(group=group, name="宣传领导小组")


def test_the_database_allows_one_leader_and_one_office_director(school):
    campaign = builtin_campaign(school)
    group = services.leadership_group_setup(campaign=campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadershipRole.objects.create(tenant=school.tenant, group=group, role=RoleKind.LEADER)


def test_a_person_of_another_tenant_is_refused(school, other_school):
    campaign = builtin_campaign(school)
    group = services.leadership_group_setup(campaign=campaign)
    with pytest.raises(DomainError, match="不属于本教育系统"):
        services.leadership_role_add(group=group, role=RoleKind.MEMBER, person=other_school.member)


def test_a_new_plan_starts_from_the_templates_theme_and_carriers(school):
    campaign = builtin_campaign(school)
    initial = services.plan_initial(campaign=campaign)
    assert initial["title"] == "创先争优活动实施方案"
    assert initial["theme"] == "立足本职作贡献，科学发展上水平"
    assert initial["carrier"].splitlines()[:3] == [
        "创建“五好”先进基层党组织、争当“五带头”优秀共产党员",
        "四比三优一满意",
        "三比三看",
    ]


def test_submitting_without_the_four_clarities_names_the_missing_ones(school):
    campaign = builtin_campaign(school)
    secretary = school.users[Role.SECRETARY]
    plan = services.plan_save(
        campaign=campaign,
        user=secretary,
        **{**services.plan_initial(campaign=campaign), "conditions": "  "},
    )
    with pytest.raises(DomainError) as refused:
        services.plan_submit(plan=plan, user=secretary)
    assert refused.value.message == (
        "实施方案须做到“四个明确”，还缺：明确创建条件、明确承诺内容。请补充后再提交。"
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_plan_goes_from_draft_to_published(school):
    campaign = builtin_campaign(school)
    plan = submitted_plan(campaign, school)
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(DomainError, match="只有草稿可以修改"):
        services.plan_save(campaign=campaign, user=school.users[Role.SECRETARY], **FOUR)
    with pytest.raises(DomainError, match="只有“已批准”的方案可以公布"):
        services.plan_publish(plan=plan)
    admin = school.users[Role.DISTRICT_ADMIN]
    plan = services.plan_approve(plan=plan, user=admin)
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == admin and plan.approved_at is not None
    with pytest.raises(DomainError, match="只有“待审批”的方案可以批准"):
        services.plan_approve(plan=plan, user=admin)
    plan = services.plan_publish(plan=plan)
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.published_at is not None


def test_the_author_cannot_approve_their_own_plan(school):
    campaign = builtin_campaign(school)
    admin = school.users[Role.DISTRICT_ADMIN]
    plan = services.plan_save(campaign=campaign, user=admin, **FOUR)
    plan = services.plan_submit(plan=plan, user=school.users[Role.SECRETARY])
    with pytest.raises(DomainError, match="不能审批自己起草或提交的实施方案"):
        services.plan_approve(plan=plan, user=admin)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_returned_plan_is_a_draft_again_with_the_reasons(school):
    campaign = builtin_campaign(school)
    plan = submitted_plan(campaign, school)
    admin = school.users[Role.DISTRICT_ADMIN]
    with pytest.raises(DomainError, match="请写明需要修改的地方"):
        services.plan_return(plan=plan, user=admin, note=" ")
    plan = services.plan_return(plan=plan, user=admin, note="承诺内容要具体到每名党员")
    assert plan.status == PlanStatus.DRAFT
    assert plan.return_note == "承诺内容要具体到每名党员"
    services.plan_save(campaign=campaign, user=school.users[Role.SECRETARY], **FOUR)


def test_the_body_is_sanitized(school):
    campaign = builtin_campaign(school)
    plan = services.plan_save(
        campaign=campaign,
        user=school.users[Role.SECRETARY],
        **{
            **FOUR,
            "body": '<p onclick="x()">一、指导思想</p><script>alert(1)</script>'
            '<a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)>',
        },
    )
    assert "<script" not in plan.body and "onclick" not in plan.body
    assert "javascript:" not in plan.body and "<img" not in plan.body
    assert "<p>一、指导思想</p>" in plan.body
    plain = services.plan_save(
        campaign=campaign, user=None, **{**FOUR, "body": "第一段 <小于号\n\n第二段"}
    )
    assert plain.body == "<p>第一段 &lt;小于号</p>\n\n<p>第二段</p>"


def test_a_closed_campaign_is_not_changed(school):
    campaign = builtin_campaign(school)
    group = services.leadership_group_setup(campaign=campaign)
    campaign_close(campaign=campaign)
    group.campaign.refresh_from_db()
    with pytest.raises(DomainError, match="活动已结束"):
        services.leadership_role_add(group=group, role=RoleKind.MEMBER, person=school.member)
    campaign.refresh_from_db()
    with pytest.raises(DomainError, match="活动已结束"):
        services.plan_save(campaign=campaign, user=None, **FOUR)
