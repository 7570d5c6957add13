"""Test helpers: campaigns from a built-in template, and the leadership objects the matrix names."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xianfeng.campaigns.models import Campaign, CampaignTemplate
from xianfeng.campaigns.services import campaign_create
from xianfeng.campaigns.template_services import builtin_templates_load, latest_version
from xianfeng.core.models import Role
from xianfeng.leadership import services
from xianfeng.leadership.models import ImplementationPlan, LeadershipGroup, RoleKind
from xianfeng.testing import School

FOUR = {
    "title": "第一中学创先争优活动实施方案",
    "theme": "立足本职作贡献，科学发展上水平",
    "carrier": "四比三优一满意",
    "conditions": "五个好、五带头",
    "commitment_content": "每名党员围绕岗位作出承诺",
    "body": "一、指导思想\n\n二、活动安排",
}


def builtin_campaign(school: School, slug: str = "five_goods_five_leads") -> Campaign:
    """A campaign over the school from one of the built-in templates (seed 001 for the default)."""
    if not CampaignTemplate.objects.filter(tenant__isnull=True, slug=slug).exists():
        builtin_templates_load()
    template = CampaignTemplate.objects.get(tenant__isnull=True, slug=slug)
    return campaign_create(
        template_version=latest_version(template),
        root=school.school,
        name="创先争优活动",
        starts_on=timezone.localdate(),
        user=school.users[Role.SECRETARY],
    )


def submitted_plan(campaign: Campaign, school: School) -> ImplementationPlan:
    secretary = school.users[Role.SECRETARY]
    plan = services.plan_save(campaign=campaign, user=secretary, **FOUR)
    return services.plan_submit(plan=plan, user=secretary)


# --- for the permission matrix (xianfeng/core/tests/permission_table.py) ------------------------

MADE: dict[int, Any] = {}


def matrix_group(campaign: Campaign) -> dict[str, Any]:
    group = services.leadership_group_setup(campaign=campaign)
    MADE[campaign.tenant_id] = group
    return {"campaign_pk": campaign.pk}


def matrix_role(campaign: Campaign) -> dict[str, Any]:
    group: LeadershipGroup = services.leadership_group_setup(campaign=campaign)
    entry = services.leadership_role_add(group=group, role=RoleKind.MEMBER, person=None)
    return {"campaign_pk": campaign.pk, "pk": entry.pk}


def matrix_working_group(campaign: Campaign) -> dict[str, Any]:
    group = services.leadership_group_setup(campaign=campaign)
    working_group = services.working_group_add(group=group, name="宣传工作小组")
    return {"campaign_pk": campaign.pk, "pk": working_group.pk}


def matrix_working_group_member(campaign: Campaign, school: School) -> dict[str, Any]:
    group = services.leadership_group_setup(campaign=campaign)
    working_group = services.working_group_add(group=group, name="宣传工作小组")
    member = services.working_group_member_add(working_group=working_group, person=school.member)
    return {"campaign_pk": campaign.pk, "pk": member.pk}


def matrix_submitted_plan(campaign: Campaign, school: School) -> Campaign:
    submitted_plan(campaign, school)
    return campaign


def matrix_published_plan(campaign: Campaign, school: School) -> Campaign:
    plan = submitted_plan(campaign, school)
    plan = services.plan_approve(plan=plan, user=school.users[Role.DISTRICT_ADMIN])
    services.plan_publish(plan=plan)
    return campaign
