"""功能党小组 over the API: the same selectors, permissions and services as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from xianfeng.api.errors import ERROR_RESPONSES
from xianfeng.core.access import get_visible_or_404, require
from xianfeng.core.errors import DomainError
from xianfeng.functional_groups import services
from xianfeng.functional_groups.models import (
    DriveStatus,
    FunctionalGroupDrive,
    GroupArea,
    ProposedGroup,
    SignUp,
)
from xianfeng.functional_groups.permissions import person_of
from xianfeng.functional_groups.selectors import (
    branches_to_run,
    campaigns_to_link,
    drive_groups,
    drive_visible,
    eligible_people,
    group_visible,
)

router = Router(tags=["功能党小组"])


class DriveOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    branch_id: int
    branch_name: str
    campaign_id: int | None
    signup_deadline: datetime.date
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj: FunctionalGroupDrive) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_branch_name(obj: FunctionalGroupDrive) -> str:
        return obj.branch.name


class MemberOut(Schema):
    person_id: int
    name: str


class NomineeOut(Schema):
    nomination_id: int
    person_id: int
    name: str
    statement: str


class GroupOut(Schema):
    id: int
    name: str
    area: str
    area_label: str
    description: str
    leader_id: int | None
    leader_name: str | None
    organization_id: int | None
    members: list[MemberOut]
    nominees: list[NomineeOut]

    @staticmethod
    def resolve_area_label(obj: ProposedGroup) -> str:
        return str(obj.get_area_display())

    @staticmethod
    def resolve_leader_name(obj: ProposedGroup) -> str | None:
        return obj.leader.name if obj.leader else None

    @staticmethod
    def resolve_members(obj: ProposedGroup) -> list[dict[str, Any]]:
        return [{"person_id": s.person_id, "name": s.person.name} for s in obj.signups.all()]

    @staticmethod
    def resolve_nominees(obj: ProposedGroup) -> list[dict[str, Any]]:
        return [
            {
                "nomination_id": n.pk,
                "person_id": n.person_id,
                "name": n.person.name,
                "statement": n.statement,
            }
            for n in obj.nominations.all()
        ]


class DriveDetailOut(DriveOut):
    groups: list[GroupOut]
    board_url: str | None

    @staticmethod
    def resolve_groups(obj: FunctionalGroupDrive) -> list[ProposedGroup]:
        return drive_groups(drive=obj)

    @staticmethod
    def resolve_board_url(obj: FunctionalGroupDrive) -> str | None:
        if obj.status != DriveStatus.PUBLISHED:
            return None
        return reverse("functional_groups:board", kwargs={"pk": obj.pk, "token": obj.board_token})


class DriveIn(Schema):
    branch_id: int = Field(..., description="党支部 ID")
    title: str = Field(..., max_length=200, description="名称")
    signup_deadline: datetime.date = Field(..., description="报名截止日期")
    campaign_id: int | None = Field(None, description="所属主题活动 ID")


class GroupIn(Schema):
    name: str = Field(..., max_length=100, description="小组名称")
    area: GroupArea = Field(..., description="功能定位")
    description: str = Field("", max_length=4000, description="职责与说明")


class SignUpIn(Schema):
    group_id: int = Field(..., description="报名参加的小组 ID")
    reason: str = Field("", max_length=1000, description="特长与理由")


class SignUpOut(Schema):
    id: int
    person_id: int
    person_name: str
    group_id: int
    group_name: str

    @staticmethod
    def resolve_person_name(obj: SignUp) -> str:
        return obj.person.name

    @staticmethod
    def resolve_group_name(obj: SignUp) -> str:
        return obj.group.name


class RosterIn(Schema):
    person_id: int = Field(..., description="党员 ID")
    group_id: int = Field(..., description="安排到的小组 ID")


class NominationIn(Schema):
    statement: str = Field(..., max_length=2000, description="自荐理由")


class VoteIn(Schema):
    nomination_id: int = Field(..., description="所选自荐人（自荐 ID）")


class LeaderIn(Schema):
    nomination_id: int = Field(..., description="从得票相同者中确定的组长（自荐 ID）")


class TallyOut(Schema):
    nomination_id: int
    name: str
    votes: int


class ResultOut(Schema):
    group_id: int
    group_name: str
    members: int
    voters: int
    tallies: list[TallyOut]
    is_tie: bool
    leader_name: str | None
    message: str | None


def _drive(request: HttpRequest, drive_id: int) -> FunctionalGroupDrive:
    return get_visible_or_404(drive_visible(user=request.user), pk=drive_id)


def _group(request: HttpRequest, group_id: int) -> ProposedGroup:
    return get_visible_or_404(group_visible(user=request.user), pk=group_id)


def _drive_group(drive: FunctionalGroupDrive, group_id: int) -> ProposedGroup:
    group = drive.groups.filter(pk=group_id).first()
    if group is None:
        raise DomainError("所选小组不属于本次组建。", field="group_id")
    return group


@router.get("", response={200: list[DriveOut], **ERROR_RESPONSES}, summary="功能党小组组建列表")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE, max_page_size=settings.PAGE_SIZE)
def functional_group_drive_list(request: HttpRequest) -> QuerySet[FunctionalGroupDrive]:
    return drive_visible(user=request.user).order_by("-created_at", "-id")


@router.post(
    "", response={201: DriveDetailOut, **ERROR_RESPONSES}, summary="组建功能党小组（党支部）"
)
def functional_group_drive_add(
    request: HttpRequest, payload: DriveIn
) -> Status[FunctionalGroupDrive]:
    require(request.user, "functional_groups.add_drive")
    branch = branches_to_run(user=request.user).filter(pk=payload.branch_id).first()
    if branch is None:
        raise DomainError("没有找到该党支部，或您无权在该支部组建。", field="branch_id")
    campaign = None
    if payload.campaign_id is not None:
        campaign = campaigns_to_link(user=request.user).filter(pk=payload.campaign_id).first()
        if campaign is None:
            raise DomainError("没有找到该主题活动，或您无权查看。", field="campaign_id")
    drive = services.drive_create(
        branch=branch,
        title=payload.title,
        signup_deadline=payload.signup_deadline,
        campaign=campaign,
        user=request.user,  # type: ignore[arg-type]
    )
    return Status(201, drive)


@router.get(
    "/{int:drive_id}",
    response={200: DriveDetailOut, **ERROR_RESPONSES},
    summary="组建详情：小组、名单、自荐人",
)
def functional_group_drive_detail(request: HttpRequest, drive_id: int) -> FunctionalGroupDrive:
    return _drive(request, drive_id)


@router.post(
    "/{int:drive_id}/groups",
    response={201: GroupOut, **ERROR_RESPONSES},
    summary="提出拟设小组",
)
def functional_group_propose(
    request: HttpRequest, drive_id: int, payload: GroupIn
) -> Status[ProposedGroup]:
    drive = _drive(request, drive_id)
    require(request.user, "functional_groups.change_drive", drive)
    group = services.group_propose(
        drive=drive, name=payload.name, area=payload.area, description=payload.description
    )
    return Status(201, group)


STEPS = ("open_signup", "close_signup", "open_election", "close_election", "publish")


@router.post(
    "/{int:drive_id}/steps/{action}",
    response={200: DriveDetailOut, **ERROR_RESPONSES},
    summary=(
        "推进组建：open_signup 开始报名、close_signup 结束报名、open_election 确定名单并开始推选、"
        "close_election 结束选举、publish 公布名单"
    ),
)
def functional_group_drive_step(
    request: HttpRequest, drive_id: int, action: str
) -> FunctionalGroupDrive:
    drive = _drive(request, drive_id)
    if action not in STEPS:
        raise Http404("没有这个操作。")
    require(request.user, "functional_groups.change_drive", drive)
    if action == "open_signup":
        services.drive_open_signup(drive=drive, today=timezone.localdate())
    elif action == "close_signup":
        services.drive_close_signup(drive=drive)
    elif action == "open_election":
        services.drive_open_election(drive=drive)
    elif action == "close_election":
        services.drive_close_election(drive=drive)
    else:
        services.drive_publish(drive=drive)
    return _drive(request, drive_id)


@router.post(
    "/{int:drive_id}/signup",
    response={201: SignUpOut, **ERROR_RESPONSES},
    summary="党员报名参加一个小组（本人）",
)
def functional_group_signup(
    request: HttpRequest, drive_id: int, payload: SignUpIn
) -> Status[SignUp]:
    drive = _drive(request, drive_id)
    require(request.user, "functional_groups.take_part", drive)
    person = person_of(request.user)
    assert person is not None
    signup = services.signup_create(
        drive=drive,
        person=person,
        group=_drive_group(drive, payload.group_id),
        reason=payload.reason,
        today=timezone.localdate(),
    )
    return Status(201, signup)


@router.post(
    "/{int:drive_id}/roster",
    response={200: SignUpOut, **ERROR_RESPONSES},
    summary="支部安排或调整党员所在小组（审议名单阶段）",
)
def functional_group_roster_assign(
    request: HttpRequest, drive_id: int, payload: RosterIn
) -> SignUp:
    drive = _drive(request, drive_id)
    require(request.user, "functional_groups.change_drive", drive)
    person = eligible_people(drive=drive, user=request.user).filter(pk=payload.person_id).first()
    if person is None:
        raise DomainError("没有找到该党员，或其不是本支部的党员。", field="person_id")
    return services.roster_assign(
        drive=drive,
        person=person,
        group=_drive_group(drive, payload.group_id),
        user=request.user,  # type: ignore[arg-type]
    )


@router.post(
    "/groups/{int:group_id}/nominations",
    response={201: NomineeOut, **ERROR_RESPONSES},
    summary="自荐为本组组长候选人（本人）",
)
def functional_group_nominate(
    request: HttpRequest, group_id: int, payload: NominationIn
) -> Status[dict[str, Any]]:
    group = _group(request, group_id)
    require(request.user, "functional_groups.take_part", group)
    person = person_of(request.user)
    assert person is not None
    nomination = services.nomination_create(group=group, person=person, statement=payload.statement)
    return Status(
        201,
        {
            "nomination_id": nomination.pk,
            "person_id": person.pk,
            "name": person.name,
            "statement": nomination.statement,
        },
    )


@router.post(
    "/groups/{int:group_id}/votes",
    response={204: None, **ERROR_RESPONSES},
    summary="投票选举组长（本人，每组一票，不记录投票对象与投票人的对应）",
)
def functional_group_vote(request: HttpRequest, group_id: int, payload: VoteIn) -> Status[None]:
    group = _group(request, group_id)
    require(request.user, "functional_groups.take_part", group)
    person = person_of(request.user)
    assert person is not None
    nomination = group.nominations.filter(pk=payload.nomination_id).first()
    if nomination is None:
        raise DomainError("所选自荐人不是本组的候选人。", field="nomination_id")
    services.vote_cast(
        group=group, person=person, nomination=nomination, today=timezone.localdate()
    )
    return Status(204, None)


def _result_out(result: services.GroupResult) -> dict[str, Any]:
    group = result.group
    return {
        "group_id": group.pk,
        "group_name": group.name,
        "members": result.members,
        "voters": result.voters,
        "tallies": [
            {"nomination_id": t.nomination.pk, "name": t.nomination.person.name, "votes": t.votes}
            for t in result.tallies
        ],
        "is_tie": result.is_tie,
        "leader_name": group.leader.name if group.leader else None,
        "message": services.tie_message(result) if result.is_tie and not group.leader else None,
    }


@router.get(
    "/{int:drive_id}/results",
    response={200: list[ResultOut], **ERROR_RESPONSES},
    summary="选举结果（选举结束后公开；选举中仅支部可看）",
)
def functional_group_results(request: HttpRequest, drive_id: int) -> list[dict[str, Any]]:
    drive = _drive(request, drive_id)
    finished = drive.status in (DriveStatus.ELECTED, DriveStatus.PUBLISHED)
    if not finished:
        require(request.user, "functional_groups.change_drive", drive)
        if drive.status != DriveStatus.ELECTING:
            raise DomainError("还没有开始选举。")
    return [_result_out(services.group_result(group=g)) for g in drive_groups(drive=drive)]


@router.post(
    "/groups/{int:group_id}/leader",
    response={200: GroupOut, **ERROR_RESPONSES},
    summary="得票相同时由支部确定组长",
)
def functional_group_leader_choose(
    request: HttpRequest, group_id: int, payload: LeaderIn
) -> ProposedGroup:
    group = _group(request, group_id)
    require(request.user, "functional_groups.change_drive", group)
    nomination = group.nominations.filter(pk=payload.nomination_id).first()
    if nomination is None:
        raise DomainError("所选自荐人不是本组的候选人。", field="nomination_id")
    services.leader_choose(group=group, nomination=nomination)
    return next(g for g in drive_groups(drive=group.drive) if g.pk == group.pk)
