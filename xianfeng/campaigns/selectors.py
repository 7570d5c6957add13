"""Reads: what a user may see of templates and campaigns, and the campaign dashboard.

The dashboard is a fixed number of aggregate queries whatever the number of items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from xianfeng.campaigns.models import (
    DUE_SOON_DAYS,
    Campaign,
    CampaignPhase,
    CampaignTemplate,
    ChecklistItem,
    Circular,
    ItemStatus,
    Reminder,
    ReminderStatus,
    TemplateVersion,
)
from xianfeng.core.access import Capability, path_filter, restrict, scope_for
from xianfeng.core.models import Role

# --- templates ----------------------------------------------------------------------------------


def template_visible(*, user: Any) -> QuerySet[CampaignTemplate]:
    """Shared templates plus the user's tenant's own, for anyone holding a role."""
    scope = scope_for(user)
    if scope.tenant_id is None or not scope.can(Capability.VIEW):
        return CampaignTemplate.objects.none()
    return CampaignTemplate.objects.filter(
        Q(tenant__isnull=True) | Q(tenant_id=scope.tenant_id)
    ).select_related("created_by")


def template_versions(*, template: CampaignTemplate) -> list[TemplateVersion]:
    return list(
        template.versions.select_related("created_by")
        .defer("yaml_text", "parsed")
        .order_by("-version")
    )


def template_list(*, user: Any) -> list[dict[str, Any]]:
    templates = list(template_visible(user=user).annotate(version_count=Count("versions")))
    latest = {
        v.template_id: v
        for v in TemplateVersion.objects.filter(template__in=templates)
        .defer("yaml_text", "parsed")
        .order_by("template_id", "version")
    }
    return [{"template": t, "latest": latest.get(t.pk)} for t in templates]


# --- campaigns ----------------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def campaign_visible(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns whose subtree holds the user's place, or that lie inside what the user holds."""
    scope = scope_for(user)
    paths = scope.paths(Capability.VIEW)
    if scope.tenant_id is None or not paths:
        return Campaign.objects.none()
    covering = [ancestor for path in paths for ancestor in _ancestor_paths(path)]
    return Campaign.objects.filter(
        path_filter(paths, "root__path") | Q(root__path__in=covering), tenant_id=scope.tenant_id
    ).select_related("root", "template_version__template")


def item_visible(*, user: Any) -> QuerySet[ChecklistItem]:
    """Items of the organizations the user sees, and the user's own."""
    scope = scope_for(user)
    base = ChecklistItem.objects.select_related("task__phase", "organization", "person", "campaign")
    if scope.tenant_id is None:
        return base.none()
    mine = Q(tenant_id=scope.tenant_id, person__user_id=scope.user_id)
    seen = restrict(ChecklistItem.objects.all(), user, path_field="organization__path")
    return base.filter(Q(pk__in=seen.values("pk")) | mine)


def item_owned(*, user: Any) -> QuerySet[ChecklistItem]:
    """The items the user must do: their own, and those of the organizations they run."""
    scope = scope_for(user)
    base = ChecklistItem.objects.select_related("task__phase", "organization", "person", "campaign")
    if scope.tenant_id is None:
        return base.none()
    held = sorted(
        {
            g.path
            for g in scope.grants
            if g.role in (Role.SECRETARY, Role.DISTRICT_ADMIN, Role.GROUP_LEADER)
        }
    )
    condition = Q(person__user_id=scope.user_id)
    if held:
        condition |= path_filter(held, "organization__path") & Q(person__isnull=True)
    return base.filter(condition, tenant_id=scope.tenant_id)


def reminders_to_answer(*, user: Any) -> QuerySet[Reminder]:
    """督办 addressed to organizations the user runs and not yet answered."""
    scope = scope_for(user)
    held = sorted(
        {
            g.path
            for g in scope.grants
            if g.role in (Role.SECRETARY, Role.DISTRICT_ADMIN, Role.GROUP_LEADER)
        }
    )
    if scope.tenant_id is None or not held:
        return Reminder.objects.none()
    return (
        Reminder.objects.filter(
            path_filter(held, "organization__path"),
            tenant_id=scope.tenant_id,
            status=ReminderStatus.PENDING,
        )
        .select_related("organization", "campaign", "item__task")
        .order_by("reply_due_on", "id")
    )


def reminder_visible(*, user: Any) -> QuerySet[Reminder]:
    """Reminders the user may read: of organizations they see or run."""
    scope = scope_for(user)
    if scope.tenant_id is None:
        return Reminder.objects.none()
    seen = restrict(Reminder.objects.all(), user, path_field="organization__path")
    return Reminder.objects.filter(pk__in=seen.values("pk")).select_related(
        "organization", "campaign__root", "item__task", "sent_by", "replied_by"
    )


def circular_list(*, campaign: Campaign) -> QuerySet[Circular]:
    return campaign.circulars.select_related("published_by")


# --- dashboard ----------------------------------------------------------------------------------


def rag_counts(today: datetime.date) -> dict[str, Any]:
    """Aggregates that split items by the traffic light (and 已完成 out of green)."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_ = ~Q(status=ItemStatus.DONE)
    return {
        "total": Count("id"),
        "done": Count("id", filter=Q(status=ItemStatus.DONE)),
        "red": Count("id", filter=open_ & Q(due_on__lt=today)),
        "amber": Count("id", filter=open_ & Q(due_on__gte=today, due_on__lte=soon)),
        "later": Count("id", filter=open_ & Q(due_on__gt=soon)),
    }


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    red: int = 0
    amber: int = 0
    later: int = 0

    @property
    def green(self) -> int:
        return self.done + self.later

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def rag(self) -> str:
        if self.red:
            return "red"
        if self.amber:
            return "amber"
        return "green"

    @classmethod
    def of(cls, row: Any) -> Progress:
        row = row or {}
        return cls(
            **{name: row.get(name) or 0 for name in ("total", "done", "red", "amber", "later")}
        )


@dataclass
class PhaseRow:
    phase: CampaignPhase
    progress: Progress
    tasks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Dashboard:
    campaign: Campaign
    today: datetime.date
    overall: Progress
    phases: list[PhaseRow]
    organizations: list[dict[str, Any]]
    overdue: list[ChecklistItem]
    overdue_more: int
    reminders: list[Reminder]

    def chart(self) -> dict[str, Any]:
        return {
            "phases": [row.phase.name for row in self.phases],
            "done": [row.progress.done for row in self.phases],
            "later": [row.progress.later for row in self.phases],
            "amber": [row.progress.amber for row in self.phases],
            "red": [row.progress.red for row in self.phases],
        }


OVERDUE_SHOWN = 50


def campaign_dashboard(*, campaign: Campaign, today: datetime.date) -> Dashboard:
    items = ChecklistItem.objects.filter(campaign=campaign)
    aggregates = rag_counts(today)
    overall = Progress.of(items.aggregate(**aggregates))
    by_task = {
        row["task_id"]: row for row in items.values("task_id").annotate(**aggregates).order_by()
    }
    phases = []
    for phase in campaign.phases.prefetch_related("tasks").order_by("position"):
        row = PhaseRow(phase=phase, progress=Progress())
        for task in phase.tasks.all():
            progress = Progress.of(by_task.get(task.pk))
            row.tasks.append({"task": task, "progress": progress})
            for name in ("total", "done", "red", "amber", "later"):
                setattr(row.progress, name, getattr(row.progress, name) + getattr(progress, name))
        phases.append(row)
    organizations = [
        {
            "id": row["organization_id"],
            "name": row["organization__name"],
            "kind": row["organization__kind"],
            "depth": row["organization__depth"],
            "progress": Progress.of(row),
        }
        for row in items.values(
            "organization_id", "organization__name", "organization__kind", "organization__depth"
        )
        .annotate(**aggregates)
        .order_by("organization__path")
    ]
    overdue_items = items.filter(~Q(status=ItemStatus.DONE), due_on__lt=today)
    overdue = list(
        overdue_items.select_related("task__phase", "organization", "person").order_by(
            "due_on", "id"
        )[:OVERDUE_SHOWN]
    )
    reminders = list(
        campaign.reminders.select_related("organization", "item__task").order_by("-sent_at")[:20]
    )
    return Dashboard(
        campaign=campaign,
        today=today,
        overall=overall,
        phases=phases,
        organizations=organizations,
        overdue=overdue,
        overdue_more=max(overall.red - len(overdue), 0),
        reminders=reminders,
    )
