"""领导小组 and 实施方案 over the API: the same selectors, permissions and services as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from xianfeng.api.errors import ERROR_RESPONSES
from xianfeng.campaigns.models import Campaign
from xianfeng.core.access import get_visible_or_404, require
from xianfeng.core.errors import DomainError
from xianfeng.leadership import services
from xianfeng.leadership.models import (
    ImplementationPlan,
    LeadershipGroup,
    LeadershipRole,
    PlanStatus,
    RoleKind,
    WorkingGroup,
)
from xianfeng.leadership.selectors import (
    campaigns_for,
    leadership_group_of,
    people_to_choose,
    plan_of,
)
from xianfeng.people.models import Person

router = Router(tags=["领导小组与实施方案"])


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    title: str
    person_id: int | None
    person_name: str | None
    duties: str

    @staticmethod
    def resolve_role_label(obj: LeadershipRole) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_person_name(obj: LeadershipRole) -> str | None:
        return obj.person.name if obj.person else None


class WorkingGroupMemberOut(Schema):
    person_id: int
    person_name: str
    role: str


class WorkingGroupOut(Schema):
    id: int
    name: str
    duties: str
    leader_id: int | None
    leader_name: str | None
    members: list[WorkingGroupMemberOut]

    @staticmethod
    def resolve_leader_name(obj: WorkingGroup) -> str | None:
        return obj.leader.name if obj.leader else None

    @staticmethod
    def resolve_members(obj: WorkingGroup) -> list[dict[str, Any]]:
        return [
            {"person_id": m.person_id, "person_name": m.person.name, "role": m.role}
            for m in obj.members.all()
        ]


class GroupOut(Schema):
    id: int
    campaign_id: int
    name: str
    office_name: str
    office_duties: str
    roles: list[RoleOut]
    working_groups: list[WorkingGroupOut]

    @staticmethod
    def resolve_roles(obj: LeadershipGroup) -> list[LeadershipRole]:
        return list(obj.roles.all())

    @staticmethod
    def resolve_working_groups(obj: LeadershipGroup) -> list[WorkingGroup]:
        return list(obj.working_groups.all())


class RoleIn(Schema):
    role: RoleKind = Field(..., description="职务")
    person_id: int | None = Field(None, description="人员 ID；人选未定时为空")
    title: str = Field("", max_length=100, description="称谓（方案中的写法）")
    duties: str = Field("", max_length=2000, description="分工与职责")


class PlanOut(Schema):
    id: int
    campaign_id: int
    title: str
    theme: str
    carrier: str
    conditions: str
    commitment_content: str
    body: str
    status: str
    status_label: str
    missing: list[str]
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    published_at: datetime.datetime | None
    return_note: str

    @staticmethod
    def resolve_status_label(obj: ImplementationPlan) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_missing(obj: ImplementationPlan) -> list[str]:
        return services.plan_missing_clarities(obj)


class PlanIn(Schema):
    title: str = Field(..., max_length=200, description="方案标题")
    theme: str = Field("", max_length=2000, description="实践主题")
    carrier: str = Field("", max_length=4000, description="活动载体")
    conditions: str = Field("", max_length=8000, description="创建条件")
    commitment_content: str = Field("", max_length=8000, description="承诺内容")
    body: str = Field("", max_length=200000, description="正文（HTML 或纯文本，保存时净化）")


class PlanActionIn(Schema):
    note: str = Field("", max_length=4000, description="退回意见（仅退回时需要）")


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(campaigns_for(user=request.user), pk=campaign_id)


def _loaded_group(campaign: Campaign) -> LeadershipGroup:
    group = leadership_group_of(campaign=campaign)
    if group is None:
        raise Http404("该活动尚未建立领导小组。")
    return group


@router.get(
    "/campaigns/{int:campaign_id}/group",
    response={200: GroupOut, **ERROR_RESPONSES},
    summary="活动的领导小组",
)
def leadership_group_detail(request: HttpRequest, campaign_id: int) -> LeadershipGroup:
    campaign = _campaign(request, campaign_id)
    require(request.user, "leadership.view_group", campaign)
    return _loaded_group(campaign)


@router.post(
    "/campaigns/{int:campaign_id}/group",
    response={201: GroupOut, **ERROR_RESPONSES},
    summary="按活动模板建立领导小组",
)
def leadership_group_create(request: HttpRequest, campaign_id: int) -> Status[LeadershipGroup]:
    campaign = _campaign(request, campaign_id)
    require(request.user, "leadership.change_group", campaign)
    services.leadership_group_setup(campaign=campaign)
    return Status(201, _loaded_group(campaign))


@router.post(
    "/campaigns/{int:campaign_id}/group/roles",
    response={201: RoleOut, **ERROR_RESPONSES},
    summary="增加领导小组成员",
)
def leadership_role_create(
    request: HttpRequest, campaign_id: int, payload: RoleIn
) -> Status[LeadershipRole]:
    campaign = _campaign(request, campaign_id)
    require(request.user, "leadership.change_group", campaign)
    group = _loaded_group(campaign)
    person: Person | None = None
    if payload.person_id is not None:
        person = people_to_choose(user=request.user).filter(pk=payload.person_id).first()
        if person is None:
            raise DomainError("没有找到该人员，或您无权查看。", field="person_id")
    entry = services.leadership_role_add(
        group=group,
        role=payload.role,
        person=person,
        title=payload.title,
        duties=payload.duties,
    )
    return Status(201, entry)


def _plan(campaign: Campaign) -> ImplementationPlan:
    plan = plan_of(campaign=campaign)
    if plan is None:
        raise Http404("该活动还没有实施方案。")
    return plan


@router.get(
    "/campaigns/{int:campaign_id}/plan",
    response={200: PlanOut, **ERROR_RESPONSES},
    summary="活动的实施方案（公布前只有起草和审批的人能看到）",
)
def implementation_plan_detail(request: HttpRequest, campaign_id: int) -> ImplementationPlan:
    campaign = _campaign(request, campaign_id)
    require(request.user, "leadership.view_plan", campaign)
    plan = _plan(campaign)
    user = request.user
    if plan.status != PlanStatus.PUBLISHED and not (
        user.has_perm("leadership.change_plan", campaign)
        or user.has_perm("leadership.approve_plan", campaign)
    ):
        raise Http404("实施方案尚未公布。")
    return plan


@router.put(
    "/campaigns/{int:campaign_id}/plan",
    response={200: PlanOut, **ERROR_RESPONSES},
    summary="起草或修改实施方案（仅草稿）",
)
def implementation_plan_save(
    request: HttpRequest, campaign_id: int, payload: PlanIn
) -> ImplementationPlan:
    campaign = _campaign(request, campaign_id)
    require(request.user, "leadership.change_plan", campaign)
    return services.plan_save(campaign=campaign, user=request.user, **payload.model_dump())  # type: ignore[arg-type]


PLAN_PERMISSIONS = {
    "submit": "leadership.change_plan",
    "approve": "leadership.approve_plan",
    "return": "leadership.approve_plan",
    "publish": "leadership.change_plan",
}


@router.post(
    "/campaigns/{int:campaign_id}/plan/{action}",
    response={200: PlanOut, **ERROR_RESPONSES},
    summary="实施方案流转：submit 提交审批、approve 批准、return 退回、publish 公布",
)
def implementation_plan_transition(
    request: HttpRequest, campaign_id: int, action: str, payload: PlanActionIn
) -> ImplementationPlan:
    campaign = _campaign(request, campaign_id)
    if action not in PLAN_PERMISSIONS:
        raise Http404("没有这个操作。")
    require(request.user, PLAN_PERMISSIONS[action], campaign)
    plan = _plan(campaign)
    user: Any = request.user
    if action == "submit":
        return services.plan_submit(plan=plan, user=user)
    if action == "approve":
        return services.plan_approve(plan=plan, user=user)
    if action == "return":
        return services.plan_return(plan=plan, user=user, note=payload.note)
    return services.plan_publish(plan=plan)
