"""功能党小组的组建 (seed 003): proposal, sign-up, roster, self-nomination and election, publication.

The procedure of seed 003: the branch proposes groups → each member signs up for exactly one →
the branch settles the roster after consulting → each group's members elect a leader from those
who nominated themselves → roster and leaders are published on the public board, and the groups
become real organizations (功能党小组) under the branch.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from xianfeng.campaigns.models import Campaign
from xianfeng.core.models import Tenant
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Person


class DriveStatus(models.TextChoices):
    """组建进度: 提出方案 → 党员报名 → 审议名单 → 推选组长 → 选举结束 → 已公布."""

    PROPOSING = "proposing", "提出方案"
    SIGNUP = "signup", "党员报名"
    CONFIRMING = "confirming", "审议名单"
    ELECTING = "electing", "推选组长"
    ELECTED = "elected", "选举结束"
    PUBLISHED = "published", "已公布"


class GroupArea(models.TextChoices):
    """功能定位: the work a functional group is set up around (seed 003)."""

    TEACHING_RESEARCH = "teaching_research", "教学科研"
    INTERNAL_MANAGEMENT = "internal_management", "内部管理"
    MORAL_EDUCATION = "moral_education", "德育工作"
    TEACHER_ETHICS = "teacher_ethics", "师德建设"
    CAMPUS_BUILDING = "campus_building", "校园建设"
    CULTURE_SPORTS = "culture_sports", "文体活动"
    CAMPUS_SAFETY = "campus_safety", "校园平安"
    OTHER = "other", "其他"


def new_board_token() -> str:
    return secrets.token_urlsafe(16)


class FunctionalGroupDrive(models.Model):
    """功能党小组组建: one branch setting up its functional groups."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    branch = models.ForeignKey(
        Organization,
        verbose_name="党支部",
        on_delete=models.PROTECT,
        related_name="functional_group_drives",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="所属主题活动",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="functional_group_drives",
    )
    title = models.CharField("名称", max_length=200)
    status = models.CharField(
        "进度", max_length=12, choices=DriveStatus.choices, default=DriveStatus.PROPOSING
    )
    signup_deadline = models.DateField("报名截止日期")
    # The public board is reached by id and this unguessable token, without an account.
    board_token = models.CharField(
        "公开栏口令", max_length=43, unique=True, default=new_board_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        verbose_name = "功能党小组组建"
        verbose_name_plural = "功能党小组组建"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DriveStatus.values), name="fgdrive_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DriveStatus.PUBLISHED)
                | models.Q(published_at__isnull=False),
                name="fgdrive_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status"], name="fgdrive_tenant_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def organization(self) -> Organization:
        # The object permissions scope a drive by its branch.
        return self.branch


class LeaderSource(models.TextChoices):
    NONE = "", "—"
    ELECTED = "elected", "党员选举产生"
    BRANCH = "branch", "得票相同，支部研究确定"


class ProposedGroup(models.Model):
    """拟设功能党小组: a group the branch proposes; once published, a real organization."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    drive = models.ForeignKey(
        FunctionalGroupDrive, verbose_name="组建", on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField("名称", max_length=100)
    area = models.CharField("功能定位", max_length=24, choices=GroupArea.choices)
    description = models.TextField("职责与说明", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    leader = models.ForeignKey(
        Person,
        verbose_name="组长",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader_source = models.CharField(
        "组长产生方式", max_length=10, choices=LeaderSource.choices, blank=True, default=""
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="成立的组织",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "拟设功能党小组"
        verbose_name_plural = "拟设功能党小组"
        ordering = ["drive_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["drive", "name"], name="proposedgroup_unique_name"),
            models.CheckConstraint(
                condition=models.Q(area__in=GroupArea.values), name="proposedgroup_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SignUp(models.Model):
    """报名: a member's place in one group of the drive — never in two."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    drive = models.ForeignKey(
        FunctionalGroupDrive, verbose_name="组建", on_delete=models.CASCADE, related_name="signups"
    )
    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.PROTECT, related_name="functional_signups"
    )
    group = models.ForeignKey(
        ProposedGroup, verbose_name="功能党小组", on_delete=models.CASCADE, related_name="signups"
    )
    reason = models.TextField("特长与理由", blank=True)
    # Set when the branch placed or moved the member while settling the roster.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="支部调整人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["group_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["drive", "person"], name="signup_one_group_per_drive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.group}"


class Nomination(models.Model):
    """自荐: a member of the group's confirmed roster offering to lead it."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    group = models.ForeignKey(
        ProposedGroup,
        verbose_name="功能党小组",
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    person = models.ForeignKey(
        Person, verbose_name="自荐人", on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField("自荐理由")
    created_at = models.DateTimeField("自荐时间", auto_now_add=True)

    class Meta:
        verbose_name = "自荐"
        verbose_name_plural = "自荐"
        ordering = ["group_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="nomination_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.group}）"


class VoterReceipt(models.Model):
    """投票记录: THAT a member voted in a group's election — never for whom.

    It is what makes "one vote per member" enforceable; the choice goes only into a LeaderTally
    count, which no receipt can be paired with."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    group = models.ForeignKey(
        ProposedGroup, verbose_name="功能党小组", on_delete=models.CASCADE, related_name="receipts"
    )
    person = models.ForeignKey(
        Person, verbose_name="投票人", on_delete=models.PROTECT, related_name="+"
    )
    voted_on = models.DateField("投票日期")

    class Meta:
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="voterreceipt_one_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.person} 已在“{self.group}”投票"


class LeaderTally(models.Model):
    """票数: how many votes one nominee has — the only trace a vote leaves of its choice.

    A row per cast vote, however anonymous its columns, can still be paired with its VoterReceipt
    by anyone reading the database: both are written by the same transaction, so they share its
    order of insertion (SQLite rowid, PostgreSQL heap order) and its transaction id (xmin). A
    count has no rows to pair. It names no voter, has no date or time, and is created at zero
    when the member nominates themself, so a vote only ever adds one to a number.
    """

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    group = models.ForeignKey(
        ProposedGroup, verbose_name="功能党小组", on_delete=models.CASCADE, related_name="tallies"
    )
    nominee = models.ForeignKey(
        Nomination, verbose_name="自荐人", on_delete=models.PROTECT, related_name="tallies"
    )
    votes = models.PositiveIntegerField("得票数", default=0)

    class Meta:
        verbose_name = "得票数"
        verbose_name_plural = "得票数"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "nominee"], name="leadertally_one_per_nominee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee}：{self.votes} 票"
