"""功能党小组 pages: the secretary runs the steps, members sign up, nominate and vote; a public board."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xianfeng.core.access import get_visible_or_404, require
from xianfeng.core.errors import DomainError
from xianfeng.functional_groups import services
from xianfeng.functional_groups.forms import (
    DriveForm,
    GroupForm,
    NominationForm,
    RosterForm,
    SignUpForm,
    VoteForm,
)
from xianfeng.functional_groups.models import (
    DriveStatus,
    FunctionalGroupDrive,
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
    my_part,
    unassigned_people,
)
from xianfeng.organizations.forms import add_domain_error

STEPS = [
    (DriveStatus.PROPOSING, "支部提出拟设小组"),
    (DriveStatus.SIGNUP, "党员自愿报名"),
    (DriveStatus.CONFIRMING, "支部协商确定名单"),
    (DriveStatus.ELECTING, "自荐并选举组长"),
    (DriveStatus.ELECTED, "确定组长"),
    (DriveStatus.PUBLISHED, "党务公开栏公布"),
]


def today() -> datetime.date:
    return timezone.localdate()


def _drive(request: HttpRequest, pk: int) -> FunctionalGroupDrive:
    return get_visible_or_404(drive_visible(user=request.user), pk=pk)


def _group(request: HttpRequest, pk: int) -> ProposedGroup:
    return get_visible_or_404(group_visible(user=request.user), pk=pk)


def _detail(drive: FunctionalGroupDrive) -> HttpResponse:
    return redirect("functional_groups:detail", pk=drive.pk)


def _confirm(
    request: HttpRequest,
    *,
    drive: FunctionalGroupDrive,
    title: str,
    question: str,
    action: Callable[[], Any],
    done: str | Callable[[Any], str],
) -> HttpResponse:
    """A confirmation page for a step that cannot be taken back; POST takes it."""
    error = None
    if request.method == "POST":
        try:
            outcome = action()
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, done(outcome) if callable(done) else done)
            return _detail(drive)
    context = {"drive": drive, "title": title, "question": question, "error": error}
    return render(request, "functional_groups/confirm.html", context, status=400 if error else 200)


# --- the secretary -------------------------------------------------------------------------------


@login_required
@require_GET
def drive_list(request: HttpRequest) -> HttpResponse:
    drives = list(drive_visible(user=request.user).order_by("-created_at", "-id"))
    context = {
        "drives": drives,
        "can_create": request.user.has_perm("functional_groups.add_drive"),
    }
    return render(request, "functional_groups/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def drive_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "functional_groups.add_drive")
    initial = {"signup_deadline": today() + datetime.timedelta(days=14)}
    form = DriveForm(
        request.POST or None,
        branches=branches_to_run(user=request.user),
        campaigns=campaigns_to_link(user=request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(request.user, "functional_groups.add_drive", data["branch"])
        try:
            drive = services.drive_create(user=request.user, **data)  # type: ignore[arg-type]
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已创建，请提出拟设的功能党小组。")
            return _detail(drive)
    return render(request, "functional_groups/form.html", {"form": form, "title": "组建功能党小组"})


@login_required
@require_http_methods(["GET", "POST"])
def drive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    require(request.user, "functional_groups.change_drive", drive)
    initial = {
        "title": drive.title,
        "signup_deadline": drive.signup_deadline,
        "campaign": drive.campaign_id,
    }
    form = DriveForm(
        request.POST or None,
        branches=None,
        campaigns=campaigns_to_link(user=request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.drive_update(drive=drive, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存。")
            return _detail(drive)
    context = {"form": form, "title": "修改名称与报名截止日期", "drive": drive}
    return render(request, "functional_groups/form.html", context)


@login_required
@require_GET
def drive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    user = request.user
    person = person_of(user)
    can_run = user.has_perm("functional_groups.change_drive", drive)
    can_take_part = user.has_perm("functional_groups.take_part", drive)
    groups = drive_groups(drive=drive)
    part = my_part(drive=drive, person=person if can_take_part else None)
    results = {}
    if drive.status in (DriveStatus.ELECTED, DriveStatus.PUBLISHED) or (
        can_run and drive.status == DriveStatus.ELECTING
    ):
        results = {g.pk: services.group_result(group=g) for g in groups}
    index = [str(state) for state, _label in STEPS].index(drive.status)
    context = {
        "drive": drive,
        "groups": groups,
        "results": results,
        "steps": [
            {"label": label, "done": i < index, "current": i == index}
            for i, (_state, label) in enumerate(STEPS)
        ],
        "can_run": can_run,
        "can_take_part": can_take_part,
        "part": part,
        "signup_form": SignUpForm(groups=drive.groups.all())
        if drive.status == DriveStatus.SIGNUP
        else None,
        "nomination_form": NominationForm(),
        "deadline_passed": today() > drive.signup_deadline,
        "board_url": reverse(
            "functional_groups:board", kwargs={"pk": drive.pk, "token": drive.board_token}
        ),
    }
    return render(request, "functional_groups/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    require(request.user, "functional_groups.change_drive", drive)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_propose(drive=drive, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已提出拟设小组“{group.name}”。")
            return _detail(drive)
    context = {"form": form, "title": "提出拟设小组", "drive": drive}
    return render(request, "functional_groups/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require(request.user, "functional_groups.change_drive", group)
    initial = {"name": group.name, "area": group.area, "description": group.description}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已保存“{group.name}”。")
            return _detail(group.drive)
    context = {"form": form, "title": f"修改拟设小组：{group.name}", "drive": group.drive}
    return render(request, "functional_groups/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require(request.user, "functional_groups.change_drive", group)
    return _confirm(
        request,
        drive=group.drive,
        title="删除拟设小组",
        question=f"确定要删除拟设小组“{group.name}”吗？",
        action=lambda: services.group_remove(group=group),
        done=f"已删除拟设小组“{group.name}”。",
    )


def _close_election_done(results: list[services.GroupResult]) -> str:
    ties = [services.tie_message(r) for r in results if r.is_tie]
    if ties:
        return "选举已结束。" + " ".join(ties)
    return "选举已结束，各小组组长已产生，可以公布名单。"


TRANSITIONS: dict[str, tuple[str, str]] = {
    "open_signup": (
        "开始报名",
        "开始报名后拟设小组不能再增删，党员可以选择一个小组报名。确定开始吗？",
    ),
    "close_signup": (
        "结束报名",
        "结束报名后党员不能再自行报名或退出，由支部与党员协商确定名单。确定结束吗？",
    ),
    "open_election": (
        "确定名单并开始推选组长",
        "名单确定后不能再调整。各小组党员可以自荐，并由本组党员投票选举组长。确定开始吗？",
    ),
    "close_election": (
        "结束选举",
        "结束后不能再自荐和投票，得票最多的自荐人当选组长；得票相同时由支部研究确定。确定结束吗？",
    ),
    "publish": (
        "公布名单",
        "公布后将在党支部下设立各功能党小组并登记组长和成员，名单和组长在党务公开栏公布，不能撤回。确定公布吗？",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    drive = _drive(request, pk)
    if action not in TRANSITIONS:
        raise Http404("没有这个操作。")
    require(request.user, "functional_groups.change_drive", drive)
    title, question = TRANSITIONS[action]
    steps: dict[str, tuple[Callable[[], Any], str | Callable[[Any], str]]] = {
        "open_signup": (
            lambda: services.drive_open_signup(drive=drive, today=today()),
            "已开始报名，请通知党员在截止日期前报名。",
        ),
        "close_signup": (
            lambda: services.drive_close_signup(drive=drive),
            "报名已结束，请与党员协商后确定名单。",
        ),
        "open_election": (
            lambda: services.drive_open_election(drive=drive),
            "名单已确定，各小组开始自荐和选举组长。",
        ),
        "close_election": (
            lambda: services.drive_close_election(drive=drive),
            _close_election_done,
        ),
        "publish": (
            lambda: services.drive_publish(drive=drive),
            "已公布名单和组长，各功能党小组已经成立。",
        ),
    }
    action_func, done = steps[action]
    return _confirm(
        request, drive=drive, title=title, question=question, action=action_func, done=done
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    require(request.user, "functional_groups.change_drive", drive)
    people = eligible_people(drive=drive, user=request.user)
    form = RosterForm(request.POST or None, people=people, groups=drive.groups.all())
    if request.method == "POST" and form.is_valid():
        try:
            signup = services.roster_assign(drive=drive, user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已把{signup.person.name}安排到“{signup.group.name}”。")
            return redirect("functional_groups:roster", pk=drive.pk)
    context = {
        "drive": drive,
        "groups": drive_groups(drive=drive),
        "form": form,
        "unassigned": list(unassigned_people(drive=drive, user=request.user)),
        "editable": drive.status == DriveStatus.CONFIRMING,
    }
    return render(
        request,
        "functional_groups/roster.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_remove(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_visible_or_404(
        SignUp.objects.filter(drive__in=drive_visible(user=request.user)).select_related(
            "drive__branch", "person", "group"
        ),
        pk=pk,
    )
    require(request.user, "functional_groups.change_drive", signup.drive)
    return _confirm(
        request,
        drive=signup.drive,
        title="移出名单",
        question=f"确定要把{signup.person.name}移出“{signup.group.name}”的名单吗？",
        action=lambda: services.roster_remove(signup=signup),
        done=f"已把{signup.person.name}移出名单。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def leader_choose(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require(request.user, "functional_groups.change_drive", group)
    result = services.group_result(group=group)
    tied = group.nominations.filter(pk__in=[t.nomination.pk for t in result.top]).select_related(
        "person"
    )
    form = VoteForm(request.POST or None, nominations=tied)
    if request.method == "POST" and form.is_valid():
        try:
            services.leader_choose(group=group, nomination=form.cleaned_data["nomination"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已确定“{group.name}”的组长。")
            return _detail(group.drive)
    context = {"drive": group.drive, "group": group, "form": form, "result": result}
    return render(request, "functional_groups/leader.html", context)


# --- the members ---------------------------------------------------------------------------------


def _me(request: HttpRequest, drive: FunctionalGroupDrive) -> Any:
    require(request.user, "functional_groups.take_part", drive)
    return person_of(request.user)


@login_required
@require_POST
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    person = _me(request, drive)
    form = SignUpForm(request.POST, groups=drive.groups.all())
    if not form.is_valid():
        messages.error(request, "请选择要参加的小组。")
        return _detail(drive)
    try:
        done = services.signup_create(
            drive=drive, person=person, today=today(), **form.cleaned_data
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已报名参加“{done.group.name}”。")
    return _detail(drive)


@login_required
@require_http_methods(["GET", "POST"])
def signup_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    person = _me(request, drive)
    return _confirm(
        request,
        drive=drive,
        title="退出报名",
        question="退出后可以在报名截止前重新选择一个小组报名。确定退出吗？",
        action=lambda: services.signup_withdraw(drive=drive, person=person),
        done="已退出报名。",
    )


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    person = _me(request, group.drive)
    form = NominationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写自荐理由。")
        return _detail(group.drive)
    try:
        services.nomination_create(group=group, person=person, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已自荐为“{group.name}”组长候选人。")
    return _detail(group.drive)


@login_required
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    person = _me(request, group.drive)
    nominations = group.nominations.select_related("person").order_by("id")
    form = VoteForm(request.POST or None, nominations=nominations)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_cast(
                group=group,
                person=person,
                nomination=form.cleaned_data["nomination"],
                today=today(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                "投票成功。系统只累计各自荐人的票数，不保存单张选票，任何人都无法知道您投给了谁。",
            )
            return _detail(group.drive)
    context = {
        "drive": group.drive,
        "group": group,
        "form": form,
        "nominations": list(nominations),
        "voted": group.receipts.filter(person=person).exists(),
        "on_roster": group.signups.filter(person=person).exists(),
    }
    return render(
        request,
        "functional_groups/vote.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


# --- the public board ------------------------------------------------------------------------------


@require_GET
def board(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """党务公开栏: the published roster and leaders, for anyone holding the link — names only."""
    drive = (
        FunctionalGroupDrive.objects.select_related("branch")
        .filter(pk=pk, status=DriveStatus.PUBLISHED)
        .first()
    )
    if drive is None or not secrets.compare_digest(drive.board_token, token):
        raise Http404("没有找到该公开栏。")
    groups = [
        {
            "name": group.name,
            "area": group.get_area_display(),
            "description": group.description,
            "leader": group.leader.name if group.leader else "",
            "leader_source": group.get_leader_source_display() if group.leader_source else "",
            "members": [
                s.person.name for s in group.signups.all() if s.person_id != group.leader_id
            ],
        }
        for group in drive_groups(drive=drive)
    ]
    context = {"drive": drive, "groups": groups}
    return render(request, "functional_groups/board.html", context)
