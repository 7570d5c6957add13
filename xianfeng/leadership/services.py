"""Writes of the 领导小组 and the 实施方案: keyword-only, one transaction, DomainError in Chinese."""

from __future__ import annotations

import re
from typing import Any

import nh3
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import linebreaks

from xianfeng.campaigns.models import Campaign, CampaignStatus
from xianfeng.campaigns.templating import schema as s
from xianfeng.core.errors import DomainError
from xianfeng.core.models import User
from xianfeng.leadership.models import (
    SINGLE_ROLES,
    ImplementationPlan,
    LeadershipGroup,
    LeadershipRole,
    PlanStatus,
    RoleKind,
    WorkingGroup,
    WorkingGroupMember,
    WorkingGroupRole,
)
from xianfeng.people.models import Person

# The 四个明确 every 实施方案 must state (seed 001, 肖王乡中心学校), in the plan's field order.
FOUR_CLARITIES = (
    ("theme", "明确实践主题"),
    ("carrier", "明确活动载体"),
    ("conditions", "明确创建条件"),
    ("commitment_content", "明确承诺内容"),
)

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def sanitize_body(text: str) -> str:
    """The plan's body as safe HTML; plain text (no tags) becomes paragraphs."""
    text = text.strip()
    if not text:
        return ""
    if not _TAG.search(text):
        text = linebreaks(text, autoescape=True)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
    ).strip()


def template_of(campaign: Campaign) -> s.CampaignTemplate:
    """The template as it was when the campaign was made (the snapshot of its version)."""
    return campaign.template_version.model()


def _require_open(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise DomainError("活动已结束，领导小组和实施方案不能再修改。")


def _check_person(group: LeadershipGroup, person: Person | None, field: str = "person") -> None:
    if person is None:
        return
    if person.tenant_id != group.tenant_id:
        raise DomainError("该人员不属于本教育系统。", field=field)
    if not person.is_active:
        raise DomainError(f"{person.name}已不在册，不能进入领导小组。", field=field)


def _text(value: str, label: str, *, field: str, max_length: int = 200) -> str:
    value = value.strip()
    if not value:
        raise DomainError(f"请填写{label}。", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}最多 {max_length} 个字。", field=field)
    return value


# --- 领导小组 --------------------------------------------------------------------------------------


def _role_kind(role: s.LeadershipRole) -> str:
    """Which of our roles a template's role is: by its slug, else by its wording."""
    by_slug = {
        "leader": RoleKind.LEADER,
        "deputy": RoleKind.DEPUTY,
        "member": RoleKind.MEMBER,
        "office_director": RoleKind.OFFICE_DIRECTOR,
        "director": RoleKind.OFFICE_DIRECTOR,
    }
    if role.slug in by_slug:
        return by_slug[role.slug]
    if "副组长" in role.name:
        return RoleKind.DEPUTY
    if role.name.startswith("组长"):
        return RoleKind.LEADER
    if "主任" in role.name:
        return RoleKind.OFFICE_DIRECTOR
    return RoleKind.MEMBER


def leadership_group_setup(*, campaign: Campaign) -> LeadershipGroup:
    """Set up the campaign's 领导小组 from its template: roles to fill, the office, sub-groups."""
    _require_open(campaign)
    template = template_of(campaign).leadership_group
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        if LeadershipGroup.objects.filter(campaign=campaign).exists():
            raise DomainError("该活动的领导小组已经建立。")
        group = LeadershipGroup.objects.create(
            tenant_id=campaign.tenant_id,
            campaign=campaign,
            name=(template.name if template else "") or f"{campaign.name}领导小组",
            office_name=(template.office_name or "") if template else "",
            office_duties="\n".join(template.office_duties) if template else "",
        )
        roles: list[LeadershipRole] = []
        taken: set[str] = set()
        if template is not None:
            for role in template.roles:
                kind = _role_kind(role)
                if kind in SINGLE_ROLES and kind in taken:
                    kind = RoleKind.DEPUTY if kind == RoleKind.LEADER else RoleKind.OFFICE_MEMBER
                taken.add(kind)
                roles.append(
                    LeadershipRole(
                        role=kind,
                        title=role.name if role.name != RoleKind(kind).label else "",
                        duties=f"人选：{role.holder}" if role.holder else "",
                    )
                )
            if template.office_director and RoleKind.OFFICE_DIRECTOR not in taken:
                taken.add(RoleKind.OFFICE_DIRECTOR)
                roles.append(
                    LeadershipRole(
                        role=RoleKind.OFFICE_DIRECTOR, duties=f"人选：{template.office_director}"
                    )
                )
        if RoleKind.LEADER not in taken:
            roles.insert(0, LeadershipRole(role=RoleKind.LEADER))
        for position, role_entry in enumerate(roles, start=1):
            role_entry.tenant_id = campaign.tenant_id
            role_entry.group = group
            role_entry.sort_order = position
            role_entry.save()
        for position, subgroup in enumerate(template.subgroups if template else [], start=1):
            WorkingGroup.objects.create(
                tenant_id=campaign.tenant_id,
                group=group,
                name=subgroup.name,
                duties="\n".join(subgroup.duties),
                sort_order=position,
            )
    return group


def leadership_group_update(
    *, group: LeadershipGroup, name: str, office_name: str = "", office_duties: str = ""
) -> LeadershipGroup:
    _require_open(group.campaign)
    group.name = _text(name, "领导小组名称", field="name")
    group.office_name = office_name.strip()[:200]
    group.office_duties = office_duties.strip()
    with transaction.atomic():
        group.save()
    return group


def _check_single_role(
    group: LeadershipGroup, role: str, exclude: LeadershipRole | None = None
) -> None:
    if role not in SINGLE_ROLES:
        return
    others = LeadershipRole.objects.filter(group=group, role=role)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    holder = others.select_related("person").first()
    if holder is not None:
        who = holder.person.name if holder.person else "待定"
        raise DomainError(
            f"领导小组已有{RoleKind(role).label}（{who}），请修改该条目。", field="role"
        )


def _check_duplicate(
    group: LeadershipGroup, role: str, person: Person | None, exclude: LeadershipRole | None = None
) -> None:
    if person is None:
        return
    same = LeadershipRole.objects.filter(group=group, role=role, person=person)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise DomainError(f"{person.name}已是领导小组的{RoleKind(role).label}。", field="person")


def leadership_role_add(
    *,
    group: LeadershipGroup,
    role: str,
    person: Person | None,
    title: str = "",
    duties: str = "",
) -> LeadershipRole:
    _require_open(group.campaign)
    if role not in RoleKind.values:
        raise DomainError(f"未知的职务：{role}", field="role")
    _check_person(group, person)
    _check_single_role(group, role)
    _check_duplicate(group, role, person)
    last = group.roles.order_by("-sort_order").values_list("sort_order", flat=True).first()
    with transaction.atomic():
        return LeadershipRole.objects.create(
            tenant_id=group.tenant_id,
            group=group,
            role=role,
            person=person,
            title=title.strip()[:100],
            duties=duties.strip(),
            sort_order=(last or 0) + 1,
        )


def leadership_role_update(
    *,
    entry: LeadershipRole,
    role: str,
    person: Person | None,
    title: str = "",
    duties: str = "",
) -> LeadershipRole:
    group = entry.group
    _require_open(group.campaign)
    if role not in RoleKind.values:
        raise DomainError(f"未知的职务：{role}", field="role")
    _check_person(group, person)
    _check_single_role(group, role, exclude=entry)
    _check_duplicate(group, role, person, exclude=entry)
    entry.role = role
    entry.person = person
    entry.title = title.strip()[:100]
    entry.duties = duties.strip()
    with transaction.atomic():
        entry.save()
    return entry


def leadership_role_remove(*, entry: LeadershipRole) -> None:
    _require_open(entry.group.campaign)
    with transaction.atomic():
        entry.delete()


def working_group_add(
    *, group: LeadershipGroup, name: str, duties: str = "", leader: Person | None = None
) -> WorkingGroup:
    _require_open(group.campaign)
    name = _text(name, "工作小组名称", field="name", max_length=100)
    _check_person(group, leader, field="leader")
    if WorkingGroup.objects.filter(group=group, name=name).exists():
        raise DomainError(f"已有名为“{name}”的工作小组。", field="name")
    last = group.working_groups.order_by("-sort_order").values_list("sort_order", flat=True).first()
    with transaction.atomic():
        return WorkingGroup.objects.create(
            tenant_id=group.tenant_id,
            group=group,
            name=name,
            duties=duties.strip(),
            leader=leader,
            sort_order=(last or 0) + 1,
        )


def working_group_update(
    *, working_group: WorkingGroup, name: str, duties: str = "", leader: Person | None = None
) -> WorkingGroup:
    group = working_group.group
    _require_open(group.campaign)
    name = _text(name, "工作小组名称", field="name", max_length=100)
    _check_person(group, leader, field="leader")
    if WorkingGroup.objects.filter(group=group, name=name).exclude(pk=working_group.pk).exists():
        raise DomainError(f"已有名为“{name}”的工作小组。", field="name")
    working_group.name = name
    working_group.duties = duties.strip()
    working_group.leader = leader
    with transaction.atomic():
        working_group.save()
    return working_group


def working_group_remove(*, working_group: WorkingGroup) -> None:
    _require_open(working_group.group.campaign)
    with transaction.atomic():
        working_group.delete()


def working_group_member_add(
    *, working_group: WorkingGroup, person: Person, role: str = WorkingGroupRole.MEMBER
) -> WorkingGroupMember:
    group = working_group.group
    _require_open(group.campaign)
    if role not in WorkingGroupRole.values:
        raise DomainError(f"未知的职务：{role}", field="role")
    _check_person(group, person)
    if working_group.leader_id == person.pk:
        raise DomainError(f"{person.name}是该小组的组长。", field="person")
    if WorkingGroupMember.objects.filter(working_group=working_group, person=person).exists():
        raise DomainError(f"{person.name}已在“{working_group.name}”中。", field="person")
    try:
        with transaction.atomic():
            return WorkingGroupMember.objects.create(
                tenant_id=group.tenant_id, working_group=working_group, person=person, role=role
            )
    except IntegrityError:
        raise DomainError(f"{person.name}已在“{working_group.name}”中。", field="person") from None


def working_group_member_remove(*, member: WorkingGroupMember) -> None:
    _require_open(member.working_group.group.campaign)
    with transaction.atomic():
        member.delete()


# --- 实施方案 --------------------------------------------------------------------------------------


def plan_initial(*, campaign: Campaign) -> dict[str, Any]:
    """What a new plan starts with: the campaign's name, the template's theme and carriers."""
    template = template_of(campaign)
    return {
        "title": f"{campaign.name}实施方案",
        "theme": template.theme,
        "carrier": "\n".join(template.carriers),
        "conditions": "",
        "commitment_content": "",
        "body": "",
    }


def plan_save(
    *,
    campaign: Campaign,
    user: User | None,
    title: str,
    theme: str,
    carrier: str,
    conditions: str,
    commitment_content: str,
    body: str,
) -> ImplementationPlan:
    """Create the campaign's plan or change its draft."""
    _require_open(campaign)
    title = _text(title, "方案标题", field="title")
    with transaction.atomic():
        plan = ImplementationPlan.objects.select_for_update().filter(campaign=campaign).first()
        if plan is None:
            plan = ImplementationPlan(tenant_id=campaign.tenant_id, campaign=campaign, author=user)
        elif plan.status != PlanStatus.DRAFT:
            raise DomainError(
                f"实施方案{plan.get_status_display()}，只有草稿可以修改（待审批的方案可由审批人退回）。"
            )
        plan.title = title
        plan.theme = theme.strip()
        plan.carrier = carrier.strip()
        plan.conditions = conditions.strip()
        plan.commitment_content = commitment_content.strip()
        plan.body = sanitize_body(body)
        plan.save()
    return plan


def plan_missing_clarities(plan: ImplementationPlan) -> list[str]:
    return [label for name, label in FOUR_CLARITIES if not getattr(plan, name).strip()]


def _locked(plan: ImplementationPlan, expected: str, doing: str) -> ImplementationPlan:
    locked = ImplementationPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != expected:
        raise DomainError(
            f"实施方案当前为“{locked.get_status_display()}”，"
            f"只有“{PlanStatus(expected).label}”的方案可以{doing}。"
        )
    return locked


def plan_submit(*, plan: ImplementationPlan, user: User) -> ImplementationPlan:
    """草稿 → 待审批, only when all four 明确 are stated."""
    _require_open(plan.campaign)
    with transaction.atomic():
        plan = _locked(plan, PlanStatus.DRAFT, "提交审批")
        missing = plan_missing_clarities(plan)
        if missing:
            raise DomainError(
                f"实施方案须做到“四个明确”，还缺：{'、'.join(missing)}。请补充后再提交。"
            )
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_by = user
        plan.submitted_at = timezone.now()
        plan.return_note = ""
        plan.save()
    return plan


def plan_approve(*, plan: ImplementationPlan, user: User) -> ImplementationPlan:
    """待审批 → 已批准, by someone other than who drafted or submitted it."""
    with transaction.atomic():
        plan = _locked(plan, PlanStatus.SUBMITTED, "批准")
        if user.pk in {plan.author_id, plan.submitted_by_id}:
            raise DomainError("不能审批自己起草或提交的实施方案，请由上级党组织的其他同志审批。")
        plan.status = PlanStatus.APPROVED
        plan.approved_by = user
        plan.approved_at = timezone.now()
        plan.save()
    return plan


def plan_return(*, plan: ImplementationPlan, user: User, note: str) -> ImplementationPlan:
    """待审批 → 草稿, with the approver's reasons."""
    note = note.strip()
    if not note:
        raise DomainError("退回时请写明需要修改的地方。", field="note")
    with transaction.atomic():
        plan = _locked(plan, PlanStatus.SUBMITTED, "退回")
        plan.status = PlanStatus.DRAFT
        plan.return_note = note
        plan.save()
    return plan


def plan_publish(*, plan: ImplementationPlan) -> ImplementationPlan:
    """已批准 → 已公布."""
    _require_open(plan.campaign)
    with transaction.atomic():
        plan = _locked(plan, PlanStatus.APPROVED, "公布")
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save()
    return plan
