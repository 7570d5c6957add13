"""Campaign pages: list, create, the campaign, its dashboard, items with evidence, 通报 and 督办."""

from __future__ import annotations

import datetime
import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.campaigns import describe
from xianfeng.campaigns.forms import (
    CampaignForm,
    CircularForm,
    EvidenceForm,
    ReminderForm,
    ReplyForm,
)
from xianfeng.campaigns.models import (
    Campaign,
    CampaignStatus,
    ChecklistItem,
    Evidence,
    ItemStatus,
    Reminder,
    ReminderStatus,
)
from xianfeng.campaigns.selectors import (
    campaign_dashboard,
    campaign_visible,
    circular_list,
    item_owned,
    item_visible,
    reminder_visible,
    reminders_to_answer,
    template_visible,
)
from xianfeng.campaigns.services import (
    EvidenceInput,
    campaign_close,
    campaign_create,
    campaign_publish,
    campaign_sync_units,
    circular_publish,
    item_reopen,
    item_submit,
    missing_evidence,
    reminder_reply,
    reminder_send,
)
from xianfeng.campaigns.template_services import latest_version
from xianfeng.campaigns.templating import schema as s
from xianfeng.core.access import Capability, get_visible_or_404, require, restrict
from xianfeng.core.errors import DomainError
from xianfeng.organizations.forms import add_domain_error
from xianfeng.organizations.models import Organization

PAGE_SIZE = 50


def today() -> datetime.date:
    return timezone.localdate()


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_visible_or_404(campaign_visible(user=request.user), pk=pk)


def _item(request: HttpRequest, pk: int) -> ChecklistItem:
    return get_visible_or_404(item_visible(user=request.user), pk=pk)


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(campaign_visible(user=request.user).order_by("-starts_on", "-id"))
    context = {
        "campaigns": campaigns,
        "can_create": request.user.has_perm("campaigns.add_campaign"),
        "today": today(),
    }
    return render(request, "campaigns/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "campaigns.add_campaign")
    roots = restrict(
        Organization.objects.all(), request.user, path_field="path", capability=Capability.CHANGE
    )
    templates = template_visible(user=request.user)
    initial: dict[str, Any] = {"starts_on": today(), "publish": True}
    chosen = request.GET.get("template")
    if chosen and chosen.isdigit():
        template = templates.filter(pk=int(chosen)).first()
        if template is not None:
            initial["template"] = template.pk
            initial["name"] = template.name
    form = CampaignForm(
        request.POST or None,
        templates=templates,
        roots=roots.order_by("path"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(request.user, "campaigns.add_campaign", data["root"])
        try:
            campaign = campaign_create(
                template_version=latest_version(data["template"]),
                root=data["root"],
                name=data["name"],
                starts_on=data["starts_on"],
                user=request.user,  # type: ignore[arg-type]
                keep_template_dates=data["keep_template_dates"],
                publish=data["publish"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            count = campaign.items.count()
            messages.success(
                request,
                _("已创建活动“%(name)s”，生成 %(count)d 项工作清单。")
                % {"name": campaign.name, "count": count},
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/create.html", {"form": form})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    user = request.user
    phases = list(campaign.phases.prefetch_related("tasks").order_by("position"))
    mine = list(
        item_owned(user=user)
        .filter(campaign=campaign)
        .exclude(status=ItemStatus.DONE)
        .order_by("due_on", "id")[:20]
    )
    context = {
        "campaign": campaign,
        "phases": phases,
        "tasks_described": {
            task.pk: {
                "responsible": describe.responsible(task.model().responsible),
                "due": describe.due(task.model()),
                "cadence": s.CADENCE_LABELS[task.model().cadence],
                "evidence": describe.evidence(task.model()),
            }
            for phase in phases
            for task in phase.tasks.all()
        },
        "circulars": list(circular_list(campaign=campaign)[:20]),
        "mine": mine,
        "to_answer": list(reminders_to_answer(user=user).filter(campaign=campaign)),
        "can_oversee": user.has_perm("campaigns.oversee_campaign", campaign),
        "can_run": user.has_perm("campaigns.change_campaign", campaign),
        "today": today(),
    }
    return render(request, "campaigns/detail.html", context)


STATUS_ACTIONS = {
    "publish": (
        gettext_lazy("发布活动"),
        gettext_lazy("发布后各责任单位即可办理清单。"),
        gettext_lazy("已发布活动。"),
    ),
    "close": (
        gettext_lazy("结束活动"),
        gettext_lazy("结束后清单、通报和督办都不能再修改。确定结束吗？"),
        gettext_lazy("活动已结束。"),
    ),
    "sync": (
        gettext_lazy("补充清单"),
        gettext_lazy("为活动开始后新增的组织和人员（如新组建的功能党小组、新党员）补充清单项。"),
        gettext_lazy("已补充清单。"),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def campaign_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = _campaign(request, pk)
    if action not in STATUS_ACTIONS:
        raise Http404(_("没有这个操作。"))
    require(request.user, "campaigns.change_campaign", campaign)
    title, question, done_message = STATUS_ACTIONS[action]
    done = str(done_message)
    error = None
    if request.method == "POST":
        try:
            if action == "publish":
                campaign_publish(campaign=campaign)
            elif action == "close":
                campaign_close(campaign=campaign)
            else:
                added = campaign_sync_units(campaign=campaign)
                done = (
                    _("已补充 %(count)d 项清单。") % {"count": added}
                    if added
                    else str(_("没有需要补充的清单项。"))
                )
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, done)
            return redirect("campaigns:detail", pk=campaign.pk)
    context = {"campaign": campaign, "title": title, "question": question, "error": error}
    return render(request, "campaigns/confirm.html", context, status=400 if error else 200)


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    require(request.user, "campaigns.oversee_campaign", campaign)
    board = campaign_dashboard(campaign=campaign, today=today())
    context = {
        "campaign": campaign,
        "board": board,
        "chart": board.chart(),
        "can_run": request.user.has_perm("campaigns.change_campaign", campaign),
    }
    return render(request, "campaigns/dashboard.html", context)


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    items = item_owned(user=request.user).filter(
        campaign__status__in=[CampaignStatus.ACTIVE, CampaignStatus.CLOSED]
    )
    if show == "open":
        items = items.exclude(status=ItemStatus.DONE)
    elif show == "done":
        items = items.filter(status=ItemStatus.DONE)
    page = Paginator(items.order_by("due_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "to_answer": list(reminders_to_answer(user=request.user)),
        "today": today(),
    }
    return render(request, "campaigns/my_tasks.html", context)


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _render_item(request, item, EvidenceForm(item=item))


def _render_item(
    request: HttpRequest, item: ChecklistItem, form: EvidenceForm, status: int = 200
) -> HttpResponse:
    user = request.user
    task = item.task.model()
    context = {
        "item": item,
        "task": task,
        "form": form,
        "evidence": list(item.evidence.select_related("uploaded_by")),
        "missing": missing_evidence(item) if item.status != ItemStatus.DONE else [],
        "responsible": describe.responsible(task.responsible),
        "requirements": describe.evidence(task),
        "numbers": describe.numbers(task),
        "reminders": list(item.reminders.select_related("organization")),
        "can_complete": user.has_perm("campaigns.complete_item", item)
        and item.status != ItemStatus.DONE
        and item.campaign.status == CampaignStatus.ACTIVE,
        "can_reopen": user.has_perm("campaigns.reopen_item", item)
        and item.status == ItemStatus.DONE
        and item.campaign.status == CampaignStatus.ACTIVE,
        "can_remind": user.has_perm("campaigns.change_campaign", item.campaign),
        "today": today(),
    }
    return render(request, "campaigns/item.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def item_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    require(request.user, "campaigns.complete_item", item)
    form = EvidenceForm(request.POST, request.FILES, item=item)
    if form.is_valid():
        pieces = []
        for kind, text, files in form.pieces():
            if files:
                pieces += [EvidenceInput(kind=kind, text=text, file=f) for f in files]
            else:
                pieces.append(EvidenceInput(kind=kind, text=text))
        complete = request.POST.get("action") == "complete"
        try:
            item_submit(item=item, user=request.user, evidence=pieces, complete=complete)  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已完成该事项。") if complete else _("已保存材料。"))
            return redirect("campaigns:item", pk=item.pk)
    return _render_item(request, item, form, status=400)


@login_required
@require_http_methods(["POST"])
def item_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    require(request.user, "campaigns.reopen_item", item)
    try:
        item_reopen(item=item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已退回，可继续补充材料。"))
    return redirect("campaigns:item", pk=item.pk)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    visible = item_visible(user=request.user).values("pk")
    evidence = get_visible_or_404(Evidence.objects.filter(item__in=visible).exclude(file=""), pk=pk)
    name = evidence.original_name or evidence.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件已不存在。")) from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def circular_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    require(request.user, "campaigns.change_campaign", campaign)
    form = CircularForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            circular_publish(
                campaign=campaign,
                user=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已发布通报。"))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/circular_form.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reminder_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    require(request.user, "campaigns.change_campaign", campaign)
    organizations = Organization.objects.filter(
        tenant_id=campaign.tenant_id, path__startswith=campaign.root.path
    ).order_by("path")
    item = None
    item_id = request.GET.get("item") or request.POST.get("item")
    if item_id and str(item_id).isdigit():
        item = get_visible_or_404(
            item_visible(user=request.user).filter(campaign=campaign), pk=int(item_id)
        )
    initial: dict[str, Any] = {"reply_due_on": today() + datetime.timedelta(days=3)}
    chosen = request.GET.get("organization")
    if chosen and chosen.isdigit():
        initial["organization"] = int(chosen)
    if item is not None:
        initial["organization"] = item.organization_id
        who = item.person.name if item.person else item.organization.name
        initial["message"] = _(
            "“%(task)s”（%(who)s）办结时限为 %(due)s，请抓紧办理并回复进展。"
        ) % {"task": item.task.title, "who": who, "due": f"{item.due_on:%Y-%m-%d}"}
    form = ReminderForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reminder_send(
                campaign=campaign,
                user=request.user,  # type: ignore[arg-type]
                organization=form.cleaned_data["organization"],
                message=form.cleaned_data["message"],
                reply_due_on=form.cleaned_data["reply_due_on"],
                today=today(),
                item=item,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已发出督办。"))
            return redirect("campaigns:dashboard", pk=campaign.pk)
    context = {"campaign": campaign, "form": form, "item": item}
    return render(request, "campaigns/reminder_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    reminder: Reminder = get_visible_or_404(reminder_visible(user=request.user), pk=pk)
    require(request.user, "campaigns.reply_reminder", reminder)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reminder_reply(reminder=reminder, user=request.user, reply=form.cleaned_data["reply"])  # type: ignore[arg-type]
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已回复督办。"))
            return redirect("campaigns:detail", pk=reminder.campaign_id)
    context = {
        "reminder": reminder,
        "form": form,
        "answered": reminder.status == ReminderStatus.REPLIED,
        "today": today(),
    }
    return render(request, "campaigns/reminder_reply.html", context)
