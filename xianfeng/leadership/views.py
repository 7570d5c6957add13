"""Pages of a campaign's 领导小组 and 实施方案, mounted under /campaigns/<campaign_pk>/leadership/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xianfeng.campaigns.models import Campaign
from xianfeng.core.access import get_visible_or_404, require
from xianfeng.core.errors import DomainError
from xianfeng.leadership import services
from xianfeng.leadership.forms import (
    GroupForm,
    PlanForm,
    ReturnForm,
    RoleForm,
    WorkingGroupForm,
    WorkingGroupMemberForm,
)
from xianfeng.leadership.models import (
    ImplementationPlan,
    LeadershipGroup,
    LeadershipRole,
    PlanStatus,
    WorkingGroup,
    WorkingGroupMember,
)
from xianfeng.leadership.selectors import (
    campaigns_for,
    leadership_group_of,
    people_to_choose,
    plan_of,
)
from xianfeng.organizations.forms import add_domain_error


def _campaign(request: HttpRequest, campaign_pk: int) -> Campaign:
    return get_visible_or_404(campaigns_for(user=request.user), pk=campaign_pk)


def _group(campaign: Campaign) -> LeadershipGroup:
    group = LeadershipGroup.objects.filter(campaign=campaign).select_related("campaign").first()
    if group is None:
        raise Http404("该活动尚未建立领导小组。")
    return group


def _group_url(campaign: Campaign) -> str:
    return reverse("leadership:group", kwargs={"campaign_pk": campaign.pk})


def _confirm(
    request: HttpRequest,
    *,
    campaign: Campaign,
    title: str,
    question: str,
    back: str,
    error: str | None = None,
    form: forms.Form | None = None,
) -> HttpResponse:
    context = {
        "campaign": campaign,
        "title": title,
        "question": question,
        "back": back,
        "error": error,
        "form": form,
    }
    return render(request, "leadership/confirm.html", context, status=400 if error else 200)


# --- 领导小组 --------------------------------------------------------------------------------------


@login_required
@require_GET
def group(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.view_group", campaign)
    leadership = leadership_group_of(campaign=campaign)
    template = services.template_of(campaign).leadership_group
    context = {
        "campaign": campaign,
        "group": leadership,
        "roles": list(leadership.roles.all()) if leadership else [],
        "working_groups": list(leadership.working_groups.all()) if leadership else [],
        "template_has_group": template is not None,
        "plan": plan_of(campaign=campaign),
        "can_change": request.user.has_perm("leadership.change_group", campaign),
    }
    return render(request, "leadership/group.html", context)


@login_required
@require_POST
def group_setup(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    try:
        leadership = services.leadership_group_setup(campaign=campaign)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已按活动模板建立“{leadership.name}”，请为各职务指定人员。")
    return redirect(_group_url(campaign))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    leadership = _group(campaign)
    initial = {
        "name": leadership.name,
        "office_name": leadership.office_name,
        "office_duties": leadership.office_duties,
    }
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.leadership_group_update(group=leadership, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存领导小组。")
            return redirect(_group_url(campaign))
    return _form(request, campaign, form, "修改领导小组与办公室")


def _form(
    request: HttpRequest,
    campaign: Campaign,
    form: forms.Form,
    title: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"campaign": campaign, "form": form, "title": title, "back": _group_url(campaign)}
    return render(request, "leadership/form.html", context | (extra or {}))


def _role(campaign: Campaign, pk: int) -> LeadershipRole:
    return get_visible_or_404(
        LeadershipRole.objects.filter(group__campaign=campaign).select_related("group", "person"),
        pk=pk,
    )


def _role_save(
    request: HttpRequest, campaign: Campaign, entry: LeadershipRole | None
) -> HttpResponse:
    leadership = _group(campaign)
    people = people_to_choose(user=request.user)
    initial = (
        {
            "role": entry.role,
            "person": entry.person_id,
            "title": entry.title,
            "duties": entry.duties,
        }
        if entry
        else {}
    )
    form = RoleForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if entry is None:
                services.leadership_role_add(group=leadership, **data)
            else:
                services.leadership_role_update(entry=entry, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存领导小组成员。")
            return redirect(_group_url(campaign))
    return _form(request, campaign, form, "修改领导小组成员" if entry else "增加领导小组成员")


@login_required
@require_http_methods(["GET", "POST"])
def role_add(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    return _role_save(request, campaign, None)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, campaign_pk: int, pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    return _role_save(request, campaign, _role(campaign, pk))


def _delete(
    request: HttpRequest,
    campaign: Campaign,
    *,
    title: str,
    question: str,
    action: Callable[[], None],
    done: str,
    back: str | None = None,
) -> HttpResponse:
    back = back or _group_url(campaign)
    error = None
    if request.method == "POST":
        try:
            action()
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, done)
            return redirect(back)
    return _confirm(
        request, campaign=campaign, title=title, question=question, back=back, error=error
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_delete(request: HttpRequest, campaign_pk: int, pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    entry = _role(campaign, pk)
    return _delete(
        request,
        campaign,
        title="移出领导小组",
        question=f"确定要删除“{entry.label} {entry.person.name if entry.person else '（待定）'}”这一条吗？",
        action=lambda: services.leadership_role_remove(entry=entry),
        done="已删除该条目。",
    )


def _working_group(campaign: Campaign, pk: int) -> WorkingGroup:
    return get_visible_or_404(
        WorkingGroup.objects.filter(group__campaign=campaign).select_related("group", "leader"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def working_group_add(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    leadership = _group(campaign)
    form = WorkingGroupForm(request.POST or None, people=people_to_choose(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.working_group_add(group=leadership, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已增加工作小组。")
            return redirect(_group_url(campaign))
    return _form(request, campaign, form, "增加工作小组")


@login_required
@require_http_methods(["GET", "POST"])
def working_group_edit(request: HttpRequest, campaign_pk: int, pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    working_group = _working_group(campaign, pk)
    people = people_to_choose(user=request.user)
    initial = {
        "name": working_group.name,
        "duties": working_group.duties,
        "leader": working_group.leader_id,
    }
    form = WorkingGroupForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.working_group_update(working_group=working_group, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已保存“{working_group.name}”。")
            return redirect(_group_url(campaign))
    extra = {
        "working_group": working_group,
        "members": list(working_group.members.select_related("person")),
        "member_form": WorkingGroupMemberForm(people=people),
    }
    return _form(request, campaign, form, f"修改工作小组：{working_group.name}", extra)


@login_required
@require_http_methods(["GET", "POST"])
def working_group_delete(request: HttpRequest, campaign_pk: int, pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    working_group = _working_group(campaign, pk)
    return _delete(
        request,
        campaign,
        title="删除工作小组",
        question=f"确定要删除工作小组“{working_group.name}”及其成员名单吗？",
        action=lambda: services.working_group_remove(working_group=working_group),
        done=f"已删除工作小组“{working_group.name}”。",
    )


@login_required
@require_POST
def working_group_member_add(request: HttpRequest, campaign_pk: int, pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    working_group = _working_group(campaign, pk)
    form = WorkingGroupMemberForm(request.POST, people=people_to_choose(user=request.user))
    back = reverse("leadership:working_group_edit", kwargs={"campaign_pk": campaign.pk, "pk": pk})
    if not form.is_valid():
        messages.error(request, "请选择要加入的人员。")
        return redirect(back)
    try:
        member = services.working_group_member_add(working_group=working_group, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已把{member.person.name}加入“{working_group.name}”。")
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def working_group_member_remove(request: HttpRequest, campaign_pk: int, pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_group", campaign)
    member = get_visible_or_404(
        WorkingGroupMember.objects.filter(working_group__group__campaign=campaign).select_related(
            "working_group__group__campaign", "person"
        ),
        pk=pk,
    )
    back = reverse(
        "leadership:working_group_edit",
        kwargs={"campaign_pk": campaign.pk, "pk": member.working_group_id},
    )
    return _delete(
        request,
        campaign,
        title="移出工作小组",
        question=f"确定要把{member.person.name}移出“{member.working_group.name}”吗？",
        action=lambda: services.working_group_member_remove(member=member),
        done=f"已把{member.person.name}移出“{member.working_group.name}”。",
        back=back,
    )


# --- 实施方案 --------------------------------------------------------------------------------------


def _plan_url(campaign: Campaign) -> str:
    return reverse("leadership:plan", kwargs={"campaign_pk": campaign.pk})


@login_required
@require_GET
def plan(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.view_plan", campaign)
    current = plan_of(campaign=campaign)
    can_change = request.user.has_perm("leadership.change_plan", campaign)
    can_approve = request.user.has_perm("leadership.approve_plan", campaign)
    # Before publication a plan is a working paper of those who write and approve it.
    shown = current is not None and (
        current.status == PlanStatus.PUBLISHED or can_change or can_approve
    )
    context = {
        "campaign": campaign,
        "plan": current if shown else None,
        "unpublished": current is not None and not shown,
        "missing": services.plan_missing_clarities(current) if current else [],
        "can_change": can_change,
        "can_approve": can_approve,
    }
    return render(request, "leadership/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    require(request.user, "leadership.change_plan", campaign)
    current = plan_of(campaign=campaign)
    if current is None:
        initial = services.plan_initial(campaign=campaign)
    else:
        initial = {
            name: getattr(current, name)
            for name in ("title", "theme", "carrier", "conditions", "commitment_content", "body")
        }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(campaign=campaign, user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存实施方案草稿。")
            return redirect(_plan_url(campaign))
    context = {
        "campaign": campaign,
        "form": form,
        "plan": current,
        "title": "起草实施方案" if current is None else "修改实施方案",
        "back": _plan_url(campaign),
    }
    return render(request, "leadership/plan_form.html", context)


PLAN_ACTIONS: dict[str, tuple[str, str, str, str]] = {
    # action: (permission, title, question, done)
    "submit": (
        "leadership.change_plan",
        "提交审批",
        "提交后方案不能再修改，由上级党组织审批。确定提交吗？",
        "已提交实施方案，等待上级审批。",
    ),
    "approve": (
        "leadership.approve_plan",
        "批准方案",
        "确定批准该实施方案吗？批准后由活动组织者向群众公布。",
        "已批准实施方案。",
    ),
    "return": (
        "leadership.approve_plan",
        "退回修改",
        "退回后方案回到草稿状态，由起草人按意见修改后重新提交。",
        "已退回实施方案。",
    ),
    "publish": (
        "leadership.change_plan",
        "公布方案",
        "公布后全体党员均可查看该实施方案，且不能再修改。确定公布吗？",
        "已公布实施方案。",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def plan_action(request: HttpRequest, campaign_pk: int, action: str) -> HttpResponse:
    campaign = _campaign(request, campaign_pk)
    if action not in PLAN_ACTIONS:
        raise Http404("没有这个操作。")
    permission, title, question, done = PLAN_ACTIONS[action]
    require(request.user, permission, campaign)
    current: ImplementationPlan | None = plan_of(campaign=campaign)
    if current is None:
        raise Http404("该活动还没有实施方案。")
    form = ReturnForm(request.POST or None) if action == "return" else None
    error = None
    if request.method == "POST":
        user: Any = request.user
        try:
            if action == "submit":
                services.plan_submit(plan=current, user=user)
            elif action == "approve":
                services.plan_approve(plan=current, user=user)
            elif action == "return":
                note = form.cleaned_data["note"] if form is not None and form.is_valid() else ""
                services.plan_return(plan=current, user=user, note=note)
            else:
                services.plan_publish(plan=current)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, done)
            return redirect(_plan_url(campaign))
    return _confirm(
        request,
        campaign=campaign,
        title=title,
        question=question,
        back=_plan_url(campaign),
        error=error,
        form=form,
    )
