"""Writes of 功能党小组组建: keyword-only, one transaction each, DomainError in Chinese.

Every step checks the drive's current state under a row lock, so two secretaries (or a secretary
and a member) acting at once cannot both move it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, PositiveIntegerField, When
from django.utils import timezone

from xianfeng.campaigns.models import Campaign
from xianfeng.core.errors import DomainError
from xianfeng.core.models import User
from xianfeng.functional_groups.models import (
    DriveStatus,
    FunctionalGroupDrive,
    GroupArea,
    LeaderSource,
    LeaderTally,
    Nomination,
    ProposedGroup,
    SignUp,
    VoterReceipt,
)
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import PARTY_STATUSES, Person, PoliticalStatus, Position
from xianfeng.people.services import membership_add


def _text(value: str, label: str, *, field: str, max_length: int) -> str:
    value = value.strip()
    if not value:
        raise DomainError(f"请填写{label}。", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}最多 {max_length} 个字。", field=field)
    return value


def _locked(drive: FunctionalGroupDrive, *expected: str, doing: str) -> FunctionalGroupDrive:
    """The drive, locked for this transaction, if it is in one of the expected states."""
    locked = (
        FunctionalGroupDrive.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=drive.pk)
    )
    if locked.status not in expected:
        allowed = "、".join(f"“{DriveStatus(state).label}”" for state in expected)
        raise DomainError(
            f"“{locked.title}”当前处于“{locked.get_status_display()}”阶段，"
            f"只有在{allowed}阶段才能{doing}。"
        )
    return locked


def check_party_member(*, drive: FunctionalGroupDrive, person: Person) -> None:
    """Only the branch's own party members (正式、预备) take part in its functional groups."""
    if person.tenant_id != drive.tenant_id:
        raise DomainError("该人员不属于本教育系统。", field="person")
    if not person.is_active:
        raise DomainError(f"{person.name}已不在册。", field="person")
    if person.status not in PARTY_STATUSES:
        raise DomainError(
            f"只有正式党员和预备党员可以参加功能党小组，{person.name}是"
            f"{PoliticalStatus(person.status).label}。",
            field="person",
        )
    if not person.organization.path.startswith(drive.branch.path):
        raise DomainError(f"{person.name}不是“{drive.branch.name}”的党员。", field="person")


# --- the drive and its proposed groups ------------------------------------------------------------


def _check_campaign(branch: Organization, campaign: Campaign | None) -> None:
    if campaign is None:
        return
    if campaign.tenant_id != branch.tenant_id or not branch.path.startswith(campaign.root.path):
        raise DomainError("所选主题活动不包括该党支部。", field="campaign")


def drive_create(
    *,
    branch: Organization,
    title: str,
    signup_deadline: datetime.date,
    user: User | None,
    campaign: Campaign | None = None,
) -> FunctionalGroupDrive:
    if branch.kind != OrganizationKind.BRANCH:
        raise DomainError("功能党小组只能由党支部组建，请选择一个党支部。", field="branch")
    title = _text(title, "名称", field="title", max_length=200)
    _check_campaign(branch, campaign)
    with transaction.atomic():
        return FunctionalGroupDrive.objects.create(
            tenant_id=branch.tenant_id,
            branch=branch,
            campaign=campaign,
            title=title,
            signup_deadline=signup_deadline,
            created_by=user,
        )


def drive_update(
    *,
    drive: FunctionalGroupDrive,
    title: str,
    signup_deadline: datetime.date,
    campaign: Campaign | None = None,
) -> FunctionalGroupDrive:
    title = _text(title, "名称", field="title", max_length=200)
    _check_campaign(drive.branch, campaign)
    with transaction.atomic():
        drive = _locked(
            drive, DriveStatus.PROPOSING, DriveStatus.SIGNUP, doing="修改名称和报名截止日期"
        )
        drive.title = title
        drive.signup_deadline = signup_deadline
        drive.campaign = campaign
        drive.save(update_fields=["title", "signup_deadline", "campaign"])
    return drive


def _check_group_fields(name: str, area: str) -> str:
    name = _text(name, "小组名称", field="name", max_length=100)
    if area not in GroupArea.values:
        raise DomainError(f"未知的功能定位：{area}", field="area")
    return name


def group_propose(
    *, drive: FunctionalGroupDrive, name: str, area: str, description: str = ""
) -> ProposedGroup:
    name = _check_group_fields(name, area)
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.PROPOSING, doing="提出拟设小组")
        if ProposedGroup.objects.filter(drive=drive, name=name).exists():
            raise DomainError(f"已有名为“{name}”的拟设小组。", field="name")
        last = drive.groups.order_by("-sort_order").values_list("sort_order", flat=True).first()
        return ProposedGroup.objects.create(
            tenant_id=drive.tenant_id,
            drive=drive,
            name=name,
            area=area,
            description=description.strip(),
            sort_order=(last or 0) + 1,
        )


def group_update(
    *, group: ProposedGroup, name: str, area: str, description: str = ""
) -> ProposedGroup:
    name = _check_group_fields(name, area)
    with transaction.atomic():
        _locked(
            group.drive,
            DriveStatus.PROPOSING,
            DriveStatus.SIGNUP,
            DriveStatus.CONFIRMING,
            doing="修改拟设小组",
        )
        if (
            ProposedGroup.objects.filter(drive_id=group.drive_id, name=name)
            .exclude(pk=group.pk)
            .exists()
        ):
            raise DomainError(f"已有名为“{name}”的拟设小组。", field="name")
        group.name = name
        group.area = area
        group.description = description.strip()
        group.save(update_fields=["name", "area", "description"])
    return group


def group_remove(*, group: ProposedGroup) -> None:
    with transaction.atomic():
        _locked(group.drive, DriveStatus.PROPOSING, DriveStatus.CONFIRMING, doing="删除拟设小组")
        count = group.signups.count()
        if count:
            raise DomainError(
                f"“{group.name}”已有 {count} 名党员，请先把他们调整到其他小组再删除。"
            )
        group.delete()


# --- transitions ------------------------------------------------------------------------------------


def drive_open_signup(*, drive: FunctionalGroupDrive, today: datetime.date) -> FunctionalGroupDrive:
    """提出方案 → 党员报名."""
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.PROPOSING, doing="开始报名")
        if not drive.groups.exists():
            raise DomainError("请先提出至少一个拟设的功能党小组，再组织党员报名。")
        if drive.signup_deadline < today:
            raise DomainError(
                f"报名截止日期（{drive.signup_deadline:%Y-%m-%d}）已过，请先修改截止日期。"
            )
        drive.status = DriveStatus.SIGNUP
        drive.save(update_fields=["status"])
    return drive


def drive_close_signup(*, drive: FunctionalGroupDrive) -> FunctionalGroupDrive:
    """党员报名 → 审议名单: the branch consults members and settles who is in which group."""
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.SIGNUP, doing="结束报名")
        drive.status = DriveStatus.CONFIRMING
        drive.save(update_fields=["status"])
    return drive


def drive_open_election(*, drive: FunctionalGroupDrive) -> FunctionalGroupDrive:
    """审议名单 → 推选组长: the roster is confirmed as it stands."""
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.CONFIRMING, doing="确定名单并开始推选组长")
        groups = list(drive.groups.annotate(size=Count("signups")))
        empty = [g.name for g in groups if g.size == 0]
        if empty:
            raise DomainError(
                f"以下小组还没有成员：{'、'.join(empty)}。请调整名单或删除这些小组后再开始推选。"
            )
        drive.status = DriveStatus.ELECTING
        drive.save(update_fields=["status"])
    return drive


@dataclass(frozen=True)
class Tally:
    nomination: Nomination
    votes: int


@dataclass(frozen=True)
class GroupResult:
    group: ProposedGroup
    tallies: list[Tally]
    voters: int
    members: int

    @property
    def top(self) -> list[Tally]:
        if not self.tallies:
            return []
        best = self.tallies[0].votes
        return [t for t in self.tallies if t.votes == best]

    @property
    def is_tie(self) -> bool:
        return len(self.top) > 1


def group_result(*, group: ProposedGroup) -> GroupResult:
    """Votes per nominee, most first (ties in the order they nominated themselves).

    The counts are read from the LeaderTally rows: no individual vote is stored anywhere, so there
    is nothing to count but the tallies (see LeaderTally for why)."""
    counts = dict(LeaderTally.objects.filter(group=group).values_list("nominee_id", "votes"))
    nominations = list(group.nominations.select_related("person").order_by("id"))
    tallies = sorted(
        (Tally(nomination=n, votes=counts.get(n.pk, 0)) for n in nominations),
        key=lambda t: -t.votes,
    )
    return GroupResult(
        group=group,
        tallies=tallies,
        voters=VoterReceipt.objects.filter(group=group).count(),
        members=group.signups.count(),
    )


def drive_close_election(*, drive: FunctionalGroupDrive) -> list[GroupResult]:
    """推选组长 → 选举结束: the one with most votes leads; a tie is left to the branch."""
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.ELECTING, doing="结束选举")
        groups = list(drive.groups.annotate(nominees=Count("nominations")))
        without = [g.name for g in groups if g.nominees == 0]
        if without:
            raise DomainError(
                f"以下小组还没有人自荐：{'、'.join(without)}。请动员党员自荐后再结束选举。"
            )
        results = [group_result(group=group) for group in groups]
        for result in results:
            group = result.group
            if result.is_tie:
                group.leader = None
                group.leader_source = LeaderSource.NONE
            else:
                group.leader = result.top[0].nomination.person
                group.leader_source = LeaderSource.ELECTED
            group.save(update_fields=["leader", "leader_source"])
        drive.status = DriveStatus.ELECTED
        drive.save(update_fields=["status"])
    return results


def tie_message(result: GroupResult) -> str:
    names = "、".join(t.nomination.person.name for t in result.top)
    return (
        f"“{result.group.name}”的自荐人{names}得票相同（各 {result.top[0].votes} 票），"
        "请支部研究后从中确定组长。"
    )


def leader_choose(*, group: ProposedGroup, nomination: Nomination) -> ProposedGroup:
    """After a tie, the branch decides among those who tied."""
    with transaction.atomic():
        _locked(group.drive, DriveStatus.ELECTED, doing="确定组长")
        group = ProposedGroup.objects.select_for_update().get(pk=group.pk)
        if group.leader_id is not None:
            raise DomainError(f"“{group.name}”的组长已由选举产生，不需要支部确定。")
        result = group_result(group=group)
        tied = {t.nomination.pk for t in result.top}
        if nomination.pk not in tied:
            raise DomainError("只能从得票相同的自荐人中确定组长。", field="nomination")
        group.leader = nomination.person
        group.leader_source = LeaderSource.BRANCH
        group.save(update_fields=["leader", "leader_source"])
    return group


def drive_publish(*, drive: FunctionalGroupDrive) -> FunctionalGroupDrive:
    """选举结束 → 已公布: each group becomes a 功能党小组 under the branch, with its 组长 and 成员."""
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.ELECTED, doing="公布名单")
        groups = list(drive.groups.select_related("leader").order_by("sort_order", "id"))
        undecided = [g.name for g in groups if g.leader_id is None]
        if undecided:
            raise DomainError(f"以下小组尚未确定组长：{'、'.join(undecided)}。")
        today = timezone.localdate()
        for position, group in enumerate(groups, start=1):
            organization = organization_create(
                tenant=drive.tenant,
                name=group.name,
                kind=OrganizationKind.FUNCTIONAL_GROUP,
                parent=drive.branch,
                sort_order=position,
            )
            for signup in group.signups.select_related("person").order_by("id"):
                is_leader = signup.person_id == group.leader_id
                membership_add(
                    person=signup.person,
                    organization=organization,
                    position=Position.GROUP_LEADER if is_leader else Position.MEMBER,
                    since=today,
                )
            group.organization = organization
            group.save(update_fields=["organization"])
        drive.status = DriveStatus.PUBLISHED
        drive.published_at = timezone.now()
        drive.save(update_fields=["status", "published_at"])
    return drive


# --- sign-up and the roster -------------------------------------------------------------------------


def _group_of(drive: FunctionalGroupDrive, group: ProposedGroup) -> None:
    if group.drive_id != drive.pk:
        raise DomainError("所选小组不属于本次组建。", field="group")


def signup_create(
    *,
    drive: FunctionalGroupDrive,
    person: Person,
    group: ProposedGroup,
    reason: str = "",
    today: datetime.date,
) -> SignUp:
    """A member signs up for one group."""
    check_party_member(drive=drive, person=person)
    _group_of(drive, group)
    try:
        with transaction.atomic():
            drive = _locked(drive, DriveStatus.SIGNUP, doing="报名")
            if today > drive.signup_deadline:
                raise DomainError(f"报名已于 {drive.signup_deadline:%Y-%m-%d} 截止。")
            existing = (
                SignUp.objects.filter(drive=drive, person=person).select_related("group").first()
            )
            if existing is not None:
                raise DomainError(
                    f"{person.name}已报名参加“{existing.group.name}”。每名党员只能参加一个功能党小组，"
                    "如需改报，请先退出已报名的小组。",
                    field="group",
                )
            return SignUp.objects.create(
                tenant_id=drive.tenant_id,
                drive=drive,
                person=person,
                group=group,
                reason=reason.strip(),
            )
    except IntegrityError:
        # A second sign-up sent at the same moment: the database constraint has the last word.
        raise DomainError(
            f"{person.name}已经报名，每名党员只能参加一个功能党小组。", field="group"
        ) from None


def signup_withdraw(*, drive: FunctionalGroupDrive, person: Person) -> None:
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.SIGNUP, doing="退出报名")
        deleted, _ = SignUp.objects.filter(drive=drive, person=person).delete()
        if not deleted:
            raise DomainError(f"{person.name}还没有报名。")


def roster_assign(
    *, drive: FunctionalGroupDrive, person: Person, group: ProposedGroup, user: User | None
) -> SignUp:
    """The branch places a member in a group, or moves them, while settling the roster."""
    check_party_member(drive=drive, person=person)
    _group_of(drive, group)
    with transaction.atomic():
        drive = _locked(drive, DriveStatus.CONFIRMING, doing="调整名单")
        signup = SignUp.objects.select_for_update().filter(drive=drive, person=person).first()
        if signup is None:
            return SignUp.objects.create(
                tenant_id=drive.tenant_id,
                drive=drive,
                person=person,
                group=group,
                assigned_by=user,
            )
        signup.group = group
        signup.assigned_by = user
        signup.save(update_fields=["group", "assigned_by"])
    return signup


def roster_remove(*, signup: SignUp) -> None:
    with transaction.atomic():
        _locked(signup.drive, DriveStatus.CONFIRMING, doing="调整名单")
        signup.delete()


# --- self-nomination and the vote -------------------------------------------------------------------


def _on_roster(group: ProposedGroup, person: Person) -> None:
    if not SignUp.objects.filter(group=group, person=person).exists():
        raise DomainError(f"{person.name}不在“{group.name}”的名单中。", field="person")


def _zero_tallies(group: ProposedGroup) -> None:
    """A LeaderTally at zero for every nominee of the group that has none yet.

    The tally exists before the first vote, so a vote only adds one to a number and never creates
    a row whose insertion would mark the nominee of that vote."""
    missing = group.nominations.filter(tallies__isnull=True).values_list("pk", flat=True)
    LeaderTally.objects.bulk_create(
        LeaderTally(tenant_id=group.tenant_id, group=group, nominee_id=pk) for pk in missing
    )


def nomination_create(*, group: ProposedGroup, person: Person, statement: str) -> Nomination:
    """自荐: a member of the group's confirmed roster offers to lead it, before its voting starts.

    The nominee's LeaderTally is created here, at zero, in the same transaction."""
    statement = _text(statement, "自荐理由", field="statement", max_length=2000)
    with transaction.atomic():
        drive = _locked(group.drive, DriveStatus.ELECTING, doing="自荐")
        check_party_member(drive=drive, person=person)
        _on_roster(group, person)
        if Nomination.objects.filter(group=group, person=person).exists():
            raise DomainError(f"{person.name}已经自荐为“{group.name}”组长。")
        # A nominee appearing after votes were cast would meet an unequal contest.
        if VoterReceipt.objects.filter(group=group).exists():
            raise DomainError(f"“{group.name}”已开始投票，自荐已截止。")
        nomination = Nomination.objects.create(
            tenant_id=group.tenant_id, group=group, person=person, statement=statement
        )
        _zero_tallies(group)
    return nomination


def vote_cast(
    *, group: ProposedGroup, person: Person, nomination: Nomination, today: datetime.date
) -> None:
    """One vote per member per group: a VoterReceipt says THAT the member voted, and the nominee's
    LeaderTally goes up by one. Both are written in one transaction, or neither.

    Why a tally rather than a ballot row per vote: nobody, administrators and database readers
    included, may be able to link a voter to a choice. A ballot row, even without a voter column,
    is written by the same transaction as its receipt and can be paired with it by insertion order
    (SQLite rowid, PostgreSQL heap order) or by transaction id (PostgreSQL xmin). A count leaves
    no row of its own.

    Every tally of the group is rewritten — the chosen one plus one, the others unchanged — so on
    PostgreSQL all of them carry the transaction id of the latest vote alike, and that id does not
    single out the nominee who got it. The drive's row lock serialises votes, so no two of these
    updates interleave. LeaderTally is deliberately not audited: an entry would name the voter as
    its actor."""
    if nomination.group_id != group.pk:
        raise DomainError("所选自荐人不是本组的候选人。", field="nomination")
    try:
        with transaction.atomic():
            drive = _locked(group.drive, DriveStatus.ELECTING, doing="投票")
            check_party_member(drive=drive, person=person)
            _on_roster(group, person)
            if VoterReceipt.objects.filter(group=group, person=person).exists():
                raise DomainError(f"{person.name}已在“{group.name}”投过票，每人只能投一次。")
            VoterReceipt.objects.create(
                tenant_id=group.tenant_id, group=group, person=person, voted_on=today
            )
            _zero_tallies(group)
            LeaderTally.objects.filter(group=group).update(
                votes=Case(
                    When(nominee_id=nomination.pk, then=F("votes") + 1),
                    default=F("votes"),
                    output_field=PositiveIntegerField(),
                )
            )
    except IntegrityError:
        raise DomainError(f"{person.name}已在“{group.name}”投过票，每人只能投一次。") from None
