"""Writes on campaigns: instantiate a template version, run the workflow, evidence, 通报, 督办.

Every function is keyword-only, runs in one transaction and raises DomainError with a Chinese
message; the pages and the API only call these.
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xianfeng.campaigns.models import (
    Campaign,
    CampaignPhase,
    CampaignStatus,
    CampaignTask,
    ChecklistItem,
    Circular,
    Evidence,
    EvidenceKind,
    ItemStatus,
    Reminder,
    ReminderStatus,
    TemplateVersion,
)
from xianfeng.campaigns.schedule import (
    PhaseDates,
    campaign_phase_dates,
    fixed_date_shift,
    task_due_dates,
)
from xianfeng.campaigns.templating import schema as s
from xianfeng.core.errors import DomainError
from xianfeng.core.models import User
from xianfeng.organizations.models import Organization
from xianfeng.people.models import PARTY_STATUSES, Person

ITEM_BATCH = 500
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".wps",
    ".txt",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".heic",
    ".mp4",
    ".mov",
    ".zip",
}
FLAG_FIELDS = {
    "party_affairs_worker": "is_party_affairs_worker",
    "leadership_member": "is_leadership_member",
    "new_member": "is_new_member",
}


# --- fan-out ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    organization_id: int
    person_id: int | None


@dataclass(frozen=True)
class _Subtree:
    """Everything the fan-out needs from the organization subtree, read in two queries."""

    root: Organization
    organizations: list[Any]
    people: list[Any]


def _subtree(root: Organization) -> _Subtree:
    organizations = list(
        Organization.objects.filter(tenant_id=root.tenant_id, path__startswith=root.path)
        .order_by("path")
        .values("id", "kind")
    )
    people = list(
        Person.objects.filter(
            tenant_id=root.tenant_id, organization__path__startswith=root.path, is_active=True
        )
        .order_by("organization__path", "name_pinyin", "id")
        .values("id", "organization_id", "status", "post_category", *FLAG_FIELDS.values())
    )
    return _Subtree(root, organizations, people)


def responsible_units(responsible: s.Responsible, subtree: _Subtree) -> list[_Unit]:
    """Each unit a task fans out to: organizations of a kind, people by filters, or the root."""
    unit = responsible.unit
    if unit == "each_organization":
        return [
            _Unit(org["id"], None)
            for org in subtree.organizations
            if org["kind"] == responsible.organization_kind
        ]
    if unit in ("office", "leadership_group"):
        return [_Unit(subtree.root.pk, None)]
    if unit == "each_leader":
        return [
            _Unit(p["organization_id"], p["id"])
            for p in subtree.people
            if p["is_leadership_member"]
        ]
    statuses: set[str] = set(responsible.statuses) or {str(status) for status in PARTY_STATUSES}
    categories = set(responsible.post_categories)
    flags = [FLAG_FIELDS[flag] for flag in responsible.flags]
    return [
        _Unit(p["organization_id"], p["id"])
        for p in subtree.people
        if p["status"] in statuses
        and (not categories or p["post_category"] in categories)
        and all(p[flag] for flag in flags)
    ]


def _fan_out(
    *, campaign: Campaign, tasks: Sequence[CampaignTask], phases: dict[int, CampaignPhase]
) -> int:
    """Create the checklist items that do not exist yet; returns how many were created."""
    subtree = _subtree(campaign.root)
    shift = datetime.timedelta(days=campaign.date_shift_days)
    existing = set(
        ChecklistItem.objects.filter(campaign=campaign).values_list(
            "task_id", "organization_id", "person_id", "occurrence"
        )
    )
    items = []
    for task in tasks:
        spec = task.model()
        phase = phases[task.phase_id]
        dates = task_due_dates(spec, _phase_dates(phase), shift)
        for unit in responsible_units(spec.responsible, subtree):
            for occurrence, due_on in enumerate(dates, start=1):
                key = (task.pk, unit.organization_id, unit.person_id, occurrence)
                if key in existing:
                    continue
                items.append(
                    ChecklistItem(
                        tenant_id=campaign.tenant_id,
                        campaign=campaign,
                        task=task,
                        organization_id=unit.organization_id,
                        person_id=unit.person_id,
                        occurrence=occurrence,
                        due_on=due_on,
                    )
                )
    ChecklistItem.objects.bulk_create(items, batch_size=ITEM_BATCH)
    return len(items)


def _phase_dates(phase: CampaignPhase) -> PhaseDates:
    return PhaseDates(phase.slug, phase.starts_on, phase.ends_on)


# --- campaigns ----------------------------------------------------------------------------------


def campaign_create(
    *,
    template_version: TemplateVersion,
    root: Organization,
    name: str,
    starts_on: datetime.date,
    user: User | None,
    keep_template_dates: bool = False,
    publish: bool = True,
) -> Campaign:
    """Instantiate a template version for a subtree: phases with real dates, tasks, items."""
    name = name.strip()
    if not name:
        raise DomainError("请填写活动名称。", field="name")
    if len(name) > 200:
        raise DomainError("活动名称最多 200 个字。", field="name")
    if template_version.tenant_id not in (None, root.tenant_id):
        raise DomainError("不能使用其他教育系统的模板。", field="template")
    template = template_version.model()
    shift = fixed_date_shift(template, starts_on, keep_dates=keep_template_dates)
    dates = campaign_phase_dates(template, starts_on, keep_dates=keep_template_dates)
    ends_on = max([starts_on, *(d.ends_on for d in dates)])
    with transaction.atomic():
        campaign = Campaign.objects.create(
            tenant_id=root.tenant_id,
            template_version=template_version,
            name=name,
            root=root,
            starts_on=starts_on,
            ends_on=ends_on,
            date_shift_days=shift.days,
            status=CampaignStatus.ACTIVE if publish else CampaignStatus.DRAFT,
            created_by=user,
        )
        phases = CampaignPhase.objects.bulk_create(
            [
                CampaignPhase(
                    tenant_id=root.tenant_id,
                    campaign=campaign,
                    slug=phase.slug,
                    name=phase.name,
                    description=phase.description,
                    position=position,
                    starts_on=dated.starts_on,
                    ends_on=dated.ends_on,
                )
                for position, (phase, dated) in enumerate(
                    zip(template.phases, dates, strict=True), start=1
                )
            ]
        )
        by_slug = {phase.slug: phase for phase in phases}
        tasks = CampaignTask.objects.bulk_create(
            [
                CampaignTask(
                    tenant_id=root.tenant_id,
                    campaign=campaign,
                    phase=by_slug[phase.slug],
                    slug=task.slug,
                    title=task.title,
                    position=position,
                    spec=task.model_dump(mode="json"),
                )
                for phase in template.phases
                for position, task in enumerate(phase.tasks, start=1)
            ]
        )
        _fan_out(campaign=campaign, tasks=tasks, phases={p.pk: p for p in phases})
    return campaign


def campaign_sync_units(*, campaign: Campaign) -> int:
    """Add items for units that appeared after the campaign was made (新组建的功能党小组, 新党员)."""
    if campaign.status == CampaignStatus.CLOSED:
        raise DomainError("活动已结束，不能再补充清单。")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        phases = {p.pk: p for p in campaign.phases.all()}
        return _fan_out(campaign=campaign, tasks=list(campaign.tasks.all()), phases=phases)


def campaign_publish(*, campaign: Campaign) -> Campaign:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.DRAFT:
            raise DomainError("只有草稿状态的活动可以发布。")
        campaign.status = CampaignStatus.ACTIVE
        campaign.save(update_fields=["status"])
    return campaign


def campaign_close(*, campaign: Campaign) -> Campaign:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.ACTIVE:
            raise DomainError("只有进行中的活动可以结束。")
        campaign.status = CampaignStatus.CLOSED
        campaign.save(update_fields=["status"])
    return campaign


# --- checklist items ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    text: str = ""
    file: UploadedFile | None = None


def _check_evidence(piece: EvidenceInput) -> None:
    if piece.kind not in EvidenceKind.values:
        raise DomainError(f"未知的材料类别“{piece.kind}”。", field="evidence")
    if not piece.text.strip() and piece.file is None:
        raise DomainError("每份材料须有文字说明或上传的文件。", field="evidence")
    if piece.file is not None:
        extension = os.path.splitext(piece.file.name or "")[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            allowed = "、".join(sorted(ext.lstrip(".") for ext in ALLOWED_EXTENSIONS))
            raise DomainError(
                f"不支持的文件类型“{extension or '无扩展名'}”，可上传：{allowed}。", field="files"
            )
        if piece.file.size is not None and piece.file.size > MAX_EVIDENCE_BYTES:
            raise DomainError(
                f"文件“{piece.file.name}”超过 {MAX_EVIDENCE_BYTES // 1024 // 1024} MB。",
                field="files",
            )


def missing_evidence(item: ChecklistItem, extra: Iterable[EvidenceInput] = ()) -> list[str]:
    """What the task still needs before the item can be completed, in Chinese (空 = 齐全)."""
    have = Counter(item.evidence.values_list("kind", flat=True))
    have.update(piece.kind for piece in extra)
    missing = []
    for need in item.task.model().evidence:
        got = have[need.kind]
        if got < need.min_count:
            label = need.name or s.EVIDENCE_LABELS[need.kind]
            lack = need.min_count - got
            missing.append(f"{label}（还差 {lack} 份）" if need.min_count > 1 else label)
    return missing


def _require_active(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.DRAFT:
        raise DomainError("活动尚未发布，暂不能办理。")
    if campaign.status == CampaignStatus.CLOSED:
        raise DomainError("活动已结束，不能再修改。")


def item_submit(
    *,
    item: ChecklistItem,
    user: User,
    evidence: Sequence[EvidenceInput] = (),
    complete: bool = False,
) -> ChecklistItem:
    """Add evidence to an item and, if asked, complete it; all or nothing.

    Completing needs every evidence kind the task requires; the refusal names what is missing.
    """
    for piece in evidence:
        _check_evidence(piece)
    with transaction.atomic():
        item = (
            ChecklistItem.objects.select_for_update()
            .select_related("campaign", "task")
            .get(pk=item.pk)
        )
        _require_active(item.campaign)
        if item.status == ItemStatus.DONE:
            raise DomainError("该事项已完成；如需补充材料，请先由书记退回。")
        if complete:
            missing = missing_evidence(item, evidence)
            if missing:
                raise DomainError(
                    "还缺少以下佐证材料，不能完成：" + "、".join(missing) + "。", field="evidence"
                )
        for piece in evidence:
            Evidence.objects.create(
                tenant_id=item.tenant_id,
                item=item,
                kind=piece.kind,
                text=piece.text.strip(),
                file=piece.file,
                original_name=(piece.file.name or "")[:255] if piece.file else "",
                uploaded_by=user,
            )
        if complete:
            item.status = ItemStatus.DONE
            item.completed_at = timezone.now()
            item.completed_by = user
            item.save(update_fields=["status", "completed_at", "completed_by"])
        elif evidence and item.status == ItemStatus.NOT_STARTED:
            item.status = ItemStatus.IN_PROGRESS
            item.save(update_fields=["status"])
        elif not evidence:
            raise DomainError("请先填写或上传材料。", field="evidence")
    return item


def item_reopen(*, item: ChecklistItem) -> ChecklistItem:
    """退回: a completed item goes back to 进行中 so that its evidence can be completed."""
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().select_related("campaign").get(pk=item.pk)
        _require_active(item.campaign)
        if item.status != ItemStatus.DONE:
            raise DomainError("只有已完成的事项可以退回。")
        item.status = ItemStatus.IN_PROGRESS
        item.completed_at = None
        item.completed_by = None
        item.save(update_fields=["status", "completed_at", "completed_by"])
    return item


# --- 通报 and 督办 -----------------------------------------------------------------------------


def circular_publish(*, campaign: Campaign, user: User, title: str, body: str) -> Circular:
    title, body = title.strip(), body.strip()
    if not title:
        raise DomainError("请填写通报标题。", field="title")
    if len(title) > 200:
        raise DomainError("通报标题最多 200 个字。", field="title")
    if not body:
        raise DomainError("请填写通报内容。", field="body")
    if campaign.status == CampaignStatus.DRAFT:
        raise DomainError("活动尚未发布，不能发通报。")
    with transaction.atomic():
        return Circular.objects.create(
            tenant_id=campaign.tenant_id,
            campaign=campaign,
            title=title,
            body=body,
            published_by=user,
            published_at=timezone.now(),
        )


def reminder_send(
    *,
    campaign: Campaign,
    user: User,
    organization: Organization,
    message: str,
    reply_due_on: datetime.date,
    today: datetime.date,
    item: ChecklistItem | None = None,
) -> Reminder:
    """督办 an organization of the campaign (about one of its items, or in general)."""
    message = message.strip()
    if not message:
        raise DomainError("请填写督办内容。", field="message")
    _require_active(campaign)
    if organization.tenant_id != campaign.tenant_id or not organization.path.startswith(
        campaign.root.path
    ):
        raise DomainError("督办对象不在本次活动的范围内。", field="organization")
    if item is not None and (
        item.campaign_id != campaign.pk or item.organization_id != organization.pk
    ):
        raise DomainError("督办事项不属于该组织。", field="item")
    if reply_due_on < today:
        raise DomainError("回复期限不能早于今天。", field="reply_due_on")
    with transaction.atomic():
        return Reminder.objects.create(
            tenant_id=campaign.tenant_id,
            campaign=campaign,
            organization=organization,
            item=item,
            message=message,
            reply_due_on=reply_due_on,
            sent_by=user,
            sent_at=timezone.now(),
        )


def reminder_reply(*, reminder: Reminder, user: User, reply: str) -> Reminder:
    reply = reply.strip()
    if not reply:
        raise DomainError("请填写回复内容。", field="reply")
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.status != ReminderStatus.PENDING:
            raise DomainError("该督办已经回复过了。")
        reminder.reply = reply
        reminder.status = ReminderStatus.REPLIED
        reminder.replied_at = timezone.now()
        reminder.replied_by = user
        reminder.save(update_fields=["reply", "status", "replied_at", "replied_by"])
    return reminder
