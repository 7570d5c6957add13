"""领导小组 (with its office and working sub-groups) and 实施方案 of a campaign."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xianfeng.campaigns.models import Campaign
from xianfeng.core.models import Tenant
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Person


class LeadershipGroup(models.Model):
    """领导小组: the group that leads one campaign, and its office (办公室)."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    campaign = models.OneToOneField(
        Campaign,
        verbose_name="主题活动",
        on_delete=models.CASCADE,
        related_name="leadership_group",
    )
    name = models.CharField("名称", max_length=200)
    office_name = models.CharField("办公室名称", max_length=200, blank=True)
    office_duties = models.TextField("办公室职责", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "领导小组"
        verbose_name_plural = "领导小组"

    def __str__(self) -> str:
        return self.name

    @property
    def organization(self) -> Organization:
        return self.campaign.root


class RoleKind(models.TextChoices):
    """领导小组中的职务."""

    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"
    OFFICE_DIRECTOR = "office_director", "办公室主任"
    OFFICE_MEMBER = "office_member", "办公室成员"


# A group has one 组长 and its office one 主任; every other role may be held by several people.
SINGLE_ROLES = (RoleKind.LEADER, RoleKind.OFFICE_DIRECTOR)


class LeadershipRole(models.Model):
    """领导小组成员: one person in one role; without a person it is a place still to be filled."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    group = models.ForeignKey(
        LeadershipGroup, verbose_name="领导小组", on_delete=models.CASCADE, related_name="roles"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leadership_roles",
    )
    role = models.CharField("职务", max_length=20, choices=RoleKind.choices)
    title = models.CharField(
        "称谓", max_length=100, blank=True, help_text="方案中的写法，如“组长（第一责任人）”。"
    )
    duties = models.TextField("分工与职责", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        ordering = ["group_id", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=RoleKind.values), name="leadershiprole_role_valid"
            ),
            models.UniqueConstraint(
                fields=["group", "person", "role"],
                condition=models.Q(person__isnull=False),
                name="leadershiprole_unique_person_role",
            ),
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=models.Q(role__in=[r.value for r in SINGLE_ROLES]),
                name="leadershiprole_single_leader_director",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id and self.person else "（待定）"
        return f"{self.get_role_display()} {who}"

    @property
    def label(self) -> str:
        return self.title or str(self.get_role_display())


class WorkingGroup(models.Model):
    """工作小组: a working sub-group of the 领导小组 (学习、宣传、后勤保障、材料整理 …)."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    group = models.ForeignKey(
        LeadershipGroup,
        verbose_name="领导小组",
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    name = models.CharField("名称", max_length=100)
    duties = models.TextField("职责", blank=True)
    leader = models.ForeignKey(
        Person,
        verbose_name="组长",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_working_groups",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "工作小组"
        verbose_name_plural = "工作小组"
        ordering = ["group_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="workinggroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkingGroupRole(models.TextChoices):
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "组员"


class WorkingGroupMember(models.Model):
    """工作小组成员 (the leader is on the working group itself)."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    working_group = models.ForeignKey(
        WorkingGroup, verbose_name="工作小组", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="working_groups"
    )
    role = models.CharField(
        "职务", max_length=10, choices=WorkingGroupRole.choices, default=WorkingGroupRole.MEMBER
    )

    class Meta:
        verbose_name = "工作小组成员"
        verbose_name_plural = "工作小组成员"
        ordering = ["working_group_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "person"], name="workinggroupmember_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=WorkingGroupRole.values),
                name="workinggroupmember_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.working_group} {self.get_role_display()} {self.person}"


class PlanStatus(models.TextChoices):
    """实施方案状态: 草稿 → 待审批 → 已批准 → 已公布 (退回时回到草稿)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    PUBLISHED = "published", "已公布"


class ImplementationPlan(models.Model):
    """实施方案 of a campaign, stating the 四个明确 (主题、载体、创建条件、承诺内容)."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    campaign = models.OneToOneField(
        Campaign,
        verbose_name="主题活动",
        on_delete=models.CASCADE,
        related_name="implementation_plan",
    )
    title = models.CharField("标题", max_length=200)
    theme = models.TextField("实践主题", blank=True)
    carrier = models.TextField("活动载体", blank=True)
    conditions = models.TextField("创建条件", blank=True)
    commitment_content = models.TextField("承诺内容", blank=True)
    # Sanitized (nh3) when saved, so it is shown as HTML as it is.
    body = models.TextField("正文", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    return_note = models.TextField("退回意见", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = "实施方案"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[PlanStatus.APPROVED, PlanStatus.PUBLISHED])
                | models.Q(approved_at__isnull=False),
                name="plan_approved_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PlanStatus.PUBLISHED)
                | models.Q(published_at__isnull=False),
                name="plan_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organization(self) -> Organization:
        return self.campaign.root
