from django.test import Client
from django.urls import reverse

from xianfeng.core.models import Role
from xianfeng.leadership import services
from xianfeng.leadership.models import ImplementationPlan, LeadershipGroup, PlanStatus, RoleKind
from xianfeng.leadership.tests.helpers import FOUR, builtin_campaign, submitted_plan
from xianfeng.testing import PersonFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, campaign, **kwargs) -> str:
    return reverse(f"leadership:{name}", kwargs={"campaign_pk": campaign.pk, **kwargs})


def test_the_secretary_sets_up_and_fills_the_group(school):
    campaign = builtin_campaign(school)
    secretary = client_for(school.users[Role.SECRETARY])
    page = secretary.get(url("group", campaign)).content.decode()
    assert "该活动尚未建立领导小组" in page and "建立领导小组" in page
    assert secretary.post(url("group_setup", campaign)).status_code == 302
    group = LeadershipGroup.objects.get(campaign=campaign)
    page = secretary.get(url("group", campaign)).content.decode()
    for name in ("学习领导小组", "宣传领导小组", "后勤保障领导小组", "材料整理领导小组", "待定"):
        assert name in page
    principal = PersonFactory(organization=school.school, name="焦旭阳")
    leader = group.roles.get(role=RoleKind.LEADER)
    response = secretary.post(
        url("role_edit", campaign, pk=leader.pk),
        {"role": RoleKind.LEADER, "person": principal.pk, "title": "", "duties": "全面负责"},
    )
    assert response.status_code == 302
    clash = secretary.post(
        url("role_add", campaign), {"role": RoleKind.LEADER, "person": school.member.pk}
    )
    assert clash.status_code == 200
    assert "领导小组已有组长（焦旭阳）" in clash.content.decode()
    study = group.working_groups.get(name="学习领导小组")
    response = secretary.post(
        url("working_group_member_add", campaign, pk=study.pk),
        {"person": school.member.pk, "role": "member"},
    )
    assert response.status_code == 302
    assert study.members.get().person == school.member
    member_page = client_for(school.users[Role.MEMBER]).get(url("group", campaign)).content.decode()
    assert "焦旭阳" in member_page and "张三丰" in member_page


def test_the_plan_workflow_through_the_pages(school):
    campaign = builtin_campaign(school)
    secretary = client_for(school.users[Role.SECRETARY])
    form = secretary.get(url("plan_edit", campaign)).content.decode()
    assert "立足本职作贡献，科学发展上水平" in form and "四比三优一满意" in form
    incomplete = {**FOUR, "conditions": "", "commitment_content": ""}
    assert secretary.post(url("plan_edit", campaign), incomplete).status_code == 302
    refused = secretary.post(url("plan_action", campaign, action="submit"))
    assert refused.status_code == 400
    assert "还缺：明确创建条件、明确承诺内容" in refused.content.decode()
    secretary.post(url("plan_edit", campaign), FOUR)
    assert secretary.post(url("plan_action", campaign, action="submit")).status_code == 302
    # Before publication the members only learn that a plan is under way.
    member = client_for(school.users[Role.MEMBER])
    assert "正在制定和审批中" in member.get(url("plan", campaign)).content.decode()
    # The secretary runs the school's campaign but cannot approve its plan.
    assert secretary.post(url("plan_action", campaign, action="approve")).status_code == 403
    admin = client_for(school.users[Role.DISTRICT_ADMIN])
    assert admin.post(url("plan_action", campaign, action="approve")).status_code == 302
    assert secretary.post(url("plan_action", campaign, action="publish")).status_code == 302
    plan = ImplementationPlan.objects.get(campaign=campaign)
    assert plan.status == PlanStatus.PUBLISHED
    page = member.get(url("plan", campaign)).content.decode()
    assert "五个好、五带头" in page and "<p>一、指导思想</p>" in page


def test_self_approval_is_refused_on_the_page(school):
    campaign = builtin_campaign(school)
    admin_user = school.users[Role.DISTRICT_ADMIN]
    plan = services.plan_save(campaign=campaign, user=admin_user, **FOUR)
    services.plan_submit(plan=plan, user=admin_user)
    response = client_for(admin_user).post(url("plan_action", campaign, action="approve"))
    assert response.status_code == 400
    assert "不能审批自己起草或提交的实施方案" in response.content.decode()


def test_return_needs_reasons(school):
    campaign = builtin_campaign(school)
    submitted_plan(campaign, school)
    admin = client_for(school.users[Role.DISTRICT_ADMIN])
    assert (
        admin.post(url("plan_action", campaign, action="return"), {"note": ""}).status_code == 400
    )
    assert (
        admin.post(
            url("plan_action", campaign, action="return"), {"note": "请补充承诺"}
        ).status_code
        == 302
    )
    page = client_for(school.users[Role.SECRETARY]).get(url("plan", campaign)).content.decode()
    assert "请补充承诺" in page


def test_permissions_of_the_pages(school, other_school):
    campaign = builtin_campaign(school)
    theirs = builtin_campaign(other_school)
    member = client_for(school.users[Role.MEMBER])
    assert member.get(url("group", campaign)).status_code == 200
    assert member.post(url("group_setup", campaign)).status_code == 403
    assert member.get(url("plan_edit", campaign)).status_code == 403
    assert not LeadershipGroup.objects.exists()
    secretary = client_for(school.users[Role.SECRETARY])
    for name in ("group", "plan", "plan_edit"):
        assert secretary.get(url(name, theirs)).status_code == 404
    assert secretary.post(url("group_setup", theirs)).status_code == 404
    assert secretary.get(url("plan_action", campaign, action="unknown")).status_code == 404
