"""Templates and their versions; campaigns with phases, tasks, checklist items, evidence, 通报 and 督办."""

from __future__ import annotations

import datetime
import os
import uuid
from typing import Any

from django.conf import settings
from django.db import models

from xianfeng.campaigns.templating import schema as s
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Tenant
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Person


def keep_campaign_records(collector: Any, field: Any, sub_objs: Any, using: str) -> None:
    """on_delete of organizations referenced by campaigns: refuse, in words the pages show.

    Like PROTECT, but a DomainError, which the organization pages and the API already turn into
    a Chinese message instead of a server error.
    """
    raise DomainError("该组织参加过主题活动，活动记录需要保留，不能删除。")


# Within this many days of its due date an open item is amber (due soon) on the dashboard.
DUE_SOON_DAYS = 7


class CampaignTemplate(models.Model):
    """活动模板: a named, versioned template; without a tenant it is shared with every tenant."""

    tenant = models.ForeignKey(
        Tenant, verbose_name="教育系统", on_delete=models.CASCADE, null=True, blank=True
    )
    slug = models.CharField("标识", max_length=64)
    name = models.CharField("名称", max_length=200)
    is_builtin = models.BooleanField("内置", default=False)
    copied_from = models.ForeignKey(
        "TemplateVersion",
        verbose_name="复制自",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
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
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "活动模板"
        verbose_name_plural = "活动模板"
        ordering = ["-is_builtin", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "slug"],
                condition=models.Q(tenant__isnull=False),
                name="template_unique_slug_per_tenant",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(tenant__isnull=True),
                name="template_unique_shared_slug",
            ),
            models.CheckConstraint(
                condition=models.Q(is_builtin=False) | models.Q(tenant__isnull=True),
                name="template_builtin_is_shared",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.tenant_id is None


class TemplateVersion(models.Model):
    """模板版本: the YAML of one version and its parsed snapshot; never changed once saved."""

    tenant = models.ForeignKey(
        Tenant, verbose_name="教育系统", on_delete=models.CASCADE, null=True, blank=True
    )
    template = models.ForeignKey(
        CampaignTemplate, verbose_name="模板", on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField("版本号")
    yaml_text = models.TextField("YAML")
    parsed = models.JSONField("解析结果")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "模板版本"
        verbose_name_plural = "模板版本"
        ordering = ["template_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="templateversion_unique"),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="templateversion_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} 第 {self.version} 版"

    def model(self) -> s.CampaignTemplate:
        """The template as schema objects, rebuilt from the snapshot (it was valid when saved)."""
        cached = getattr(self, "_model", None)
        if cached is None:
            cached = s.CampaignTemplate.model_validate(self.parsed)
            self._model = cached
        return cached


class CampaignStatus(models.TextChoices):
    """活动状态: 草稿 → 进行中 → 已结束."""

    DRAFT = "draft", "草稿"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class Campaign(models.Model):
    """主题活动: one template version run for an organization subtree from a real start date."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    template_version = models.ForeignKey(
        TemplateVersion, verbose_name="模板版本", on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField("活动名称", max_length=200)
    root = models.ForeignKey(
        Organization,
        verbose_name="开展组织",
        on_delete=keep_campaign_records,
        related_name="campaigns",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    # The template's fixed dates (an old plan's calendar) moved by this many days; 0 keeps them.
    date_shift_days = models.IntegerField("固定日期平移天数", default=0)
    status = models.CharField(
        "状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
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

    class Meta:
        verbose_name = "主题活动"
        verbose_name_plural = "主题活动"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status"], name="campaign_tenant_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def organization(self) -> Organization:
        # The object permissions scope a campaign by its root organization.
        return self.root


class CampaignPhase(models.Model):
    """活动阶段 with the real dates computed from the template."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    campaign = models.ForeignKey(
        Campaign, verbose_name="主题活动", on_delete=models.CASCADE, related_name="phases"
    )
    slug = models.CharField("标识", max_length=64)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("顺序")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = "活动阶段"
        verbose_name_plural = "活动阶段"
        ordering = ["campaign_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="campaignphase_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaignphase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTask(models.Model):
    """活动任务: the template's task as it was when the campaign was made (a JSON snapshot)."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    campaign = models.ForeignKey(
        Campaign, verbose_name="主题活动", on_delete=models.CASCADE, related_name="tasks"
    )
    phase = models.ForeignKey(
        CampaignPhase, verbose_name="阶段", on_delete=models.CASCADE, related_name="tasks"
    )
    slug = models.CharField("标识", max_length=64)
    title = models.CharField("任务", max_length=200)
    position = models.PositiveSmallIntegerField("顺序")
    spec = models.JSONField("任务内容")

    class Meta:
        verbose_name = "活动任务"
        verbose_name_plural = "活动任务"
        ordering = ["phase__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="campaigntask_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def model(self) -> s.Task:
        cached = getattr(self, "_model", None)
        if cached is None:
            cached = s.Task.model_validate(self.spec)
            self._model = cached
        return cached


class ItemStatus(models.TextChoices):
    """清单项的存储状态; 逾期 is computed from the due date, never stored."""

    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"


OVERDUE_LABEL = "逾期"


class Rag(models.TextChoices):
    """Traffic light of the dashboard."""

    RED = "red", "逾期"
    AMBER = "amber", "7 天内到期"
    GREEN = "green", "正常"


def rag_of(*, status: str, due_on: datetime.date, today: datetime.date) -> str:
    if status == ItemStatus.DONE:
        return Rag.GREEN
    if due_on < today:
        return Rag.RED
    if due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return Rag.AMBER
    return Rag.GREEN


class ChecklistItem(models.Model):
    """清单项: one task for one responsible unit (an organization, or one person in it), one occurrence."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    campaign = models.ForeignKey(
        Campaign, verbose_name="主题活动", on_delete=models.CASCADE, related_name="items"
    )
    task = models.ForeignKey(
        CampaignTask, verbose_name="任务", on_delete=models.CASCADE, related_name="items"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="责任组织",
        on_delete=keep_campaign_records,
        related_name="checklist_items",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checklist_items",
    )
    occurrence = models.PositiveSmallIntegerField("第几次", default=1)
    due_on = models.DateField("办结时限")
    status = models.CharField(
        "状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认完成人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "清单项"
        verbose_name_plural = "清单项"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organization", "person", "occurrence"],
                condition=models.Q(person__isnull=False),
                name="checklistitem_unique_person",
            ),
            models.UniqueConstraint(
                fields=["task", "organization", "occurrence"],
                condition=models.Q(person__isnull=True),
                name="checklistitem_unique_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ItemStatus.values), name="checklistitem_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ItemStatus.DONE, completed_at__isnull=False)
                | (~models.Q(status=ItemStatus.DONE) & models.Q(completed_at__isnull=True)),
                name="checklistitem_done_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(occurrence__gte=1), name="checklistitem_occurrence_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "due_on"], name="item_campaign_status_due"),
            models.Index(fields=["tenant", "organization"], name="item_tenant_org"),
            models.Index(fields=["person", "status"], name="item_person_status"),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id and self.person else self.organization.name
        return f"{self.task.title} · {who}"

    def rag(self, today: datetime.date) -> str:
        return rag_of(status=self.status, due_on=self.due_on, today=today)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != ItemStatus.DONE and self.due_on < today

    def status_label(self, today: datetime.date) -> str:
        return OVERDUE_LABEL if self.is_overdue(today) else str(self.get_status_display())


class EvidenceKind(models.TextChoices):
    """佐证材料类别, the codes of the template format."""

    DOCUMENT = "document", s.EVIDENCE_LABELS["document"]
    PHOTO = "photo", s.EVIDENCE_LABELS["photo"]
    SIGN_IN_SHEET = "sign_in_sheet", s.EVIDENCE_LABELS["sign_in_sheet"]
    MINUTES = "minutes", s.EVIDENCE_LABELS["minutes"]
    PLAN = "plan", s.EVIDENCE_LABELS["plan"]
    REPORT = "report", s.EVIDENCE_LABELS["report"]
    FORM = "form", s.EVIDENCE_LABELS["form"]
    VIDEO = "video", s.EVIDENCE_LABELS["video"]
    NOTES = "notes", s.EVIDENCE_LABELS["notes"]
    OTHER = "other", s.EVIDENCE_LABELS["other"]


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # The tenant leads the path so one school system's files can be listed, moved or purged alone;
    # the random name keeps an uploader's file name out of the URL and avoids collisions.
    extension = os.path.splitext(filename)[1].lower()[:10]
    return (
        f"campaigns/tenant-{instance.tenant_id}/campaign-{instance.item.campaign_id}/"
        f"{uuid.uuid4().hex}{extension}"
    )


class Evidence(models.Model):
    """佐证材料: text and/or one uploaded file of a kind the task asks for."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    item = models.ForeignKey(
        ChecklistItem, verbose_name="清单项", on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField("材料类别", max_length=20, choices=EvidenceKind.choices)
    text = models.TextField("文字说明", blank=True)
    file = models.FileField("文件", upload_to=evidence_upload_to, blank=True, max_length=255)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["item_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(text="") | ~models.Q(file=""), name="evidence_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name or self.text[:20]}"


class Circular(models.Model):
    """通报: a notice about a campaign, read by everyone in the campaign's subtree."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    campaign = models.ForeignKey(
        Campaign, verbose_name="主题活动", on_delete=models.CASCADE, related_name="circulars"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReminderStatus(models.TextChoices):
    """督办状态 as stored; 逾期未回复 is computed from the reply deadline."""

    PENDING = "pending", "待回复"
    REPLIED = "replied", "已回复"


REMINDER_OVERDUE_LABEL = "逾期未回复"


class Reminder(models.Model):
    """督办: a reminder to an organization (about one item or in general) that needs a reply."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    campaign = models.ForeignKey(
        Campaign, verbose_name="主题活动", on_delete=models.CASCADE, related_name="reminders"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="督办对象",
        on_delete=keep_campaign_records,
        related_name="reminders",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name="督办事项",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    message = models.TextField("督办内容")
    reply_due_on = models.DateField("回复期限")
    status = models.CharField(
        "状态", max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField("督办时间")
    reply = models.TextField("回复", blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReminderStatus.values), name="reminder_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ReminderStatus.PENDING, replied_at__isnull=True)
                | models.Q(status=ReminderStatus.REPLIED, replied_at__isnull=False),
                name="reminder_replied_has_time",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "organization", "status"], name="reminder_org")]

    def __str__(self) -> str:
        return f"督办 {self.organization.name}：{self.message[:20]}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == ReminderStatus.PENDING and self.reply_due_on < today

    def status_label(self, today: datetime.date) -> str:
        if self.is_overdue(today):
            return REMINDER_OVERDUE_LABEL
        return str(self.get_status_display())
