"""主题活动 over the API: templates, campaigns, checklist items, 通报 and 督办.

The same selectors, permissions and services as the pages, so the API allows exactly what they do.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from xianfeng.api.errors import ERROR_RESPONSES, DomainErrorOut
from xianfeng.campaigns.models import (
    Campaign,
    CampaignTemplate,
    ChecklistItem,
    Circular,
    EvidenceKind,
    ItemStatus,
    Reminder,
    TemplateVersion,
)
from xianfeng.campaigns.selectors import (
    campaign_visible,
    circular_list,
    item_owned,
    item_visible,
    reminder_visible,
    template_visible,
)
from xianfeng.campaigns.services import (
    EvidenceInput,
    campaign_create,
    circular_publish,
    item_submit,
    reminder_reply,
    reminder_send,
)
from xianfeng.campaigns.template_services import (
    TemplateRejected,
    latest_version,
    template_import,
)
from xianfeng.core.access import Capability, get_visible_or_404, require, restrict
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Tenant
from xianfeng.organizations.models import Organization

router = Router(tags=["主题活动"])


def _today() -> datetime.date:
    return timezone.localdate()


# --- schemas ------------------------------------------------------------------------------------


class TemplateVersionOut(Schema):
    version: int
    note: str
    created_at: datetime.datetime


class TemplateOut(Schema):
    id: int
    slug: str
    name: str
    is_builtin: bool
    is_shared: bool
    latest_version: int | None

    @staticmethod
    def resolve_latest_version(obj: CampaignTemplate) -> int | None:
        return getattr(obj, "latest", None)


class TemplateDetailOut(TemplateOut):
    versions: list[TemplateVersionOut]
    content: dict[str, Any] = Field(..., description="最新版本的解析结果（与 YAML 同构）")


class TemplateImportIn(Schema):
    yaml: str = Field(..., description="模板 YAML 全文")


class TemplateIssueOut(Schema):
    path: str
    message: str
    line: int | None


class TemplateErrorsOut(DomainErrorOut):
    errors: list[TemplateIssueOut]


class TemplateImportOut(Schema):
    template: TemplateOut
    version: int
    created_template: bool
    created_version: bool


class PhaseOut(Schema):
    slug: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class CampaignOut(Schema):
    id: int
    name: str
    status: str
    status_label: str
    root_id: int
    root_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    template_id: int
    template_name: str
    template_version: int

    @staticmethod
    def resolve_status_label(obj: Campaign) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_root_name(obj: Campaign) -> str:
        return obj.root.name

    @staticmethod
    def resolve_template_id(obj: Campaign) -> int:
        return obj.template_version.template_id

    @staticmethod
    def resolve_template_name(obj: Campaign) -> str:
        return obj.template_version.template.name

    @staticmethod
    def resolve_template_version(obj: Campaign) -> int:
        return obj.template_version.version


class CampaignDetailOut(CampaignOut):
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj: Campaign) -> list[Any]:
        return list(obj.phases.order_by("position"))


class CampaignCreateIn(Schema):
    template_id: int = Field(..., description="模板 ID（使用其最新版本）")
    root_id: int = Field(..., description="开展组织 ID")
    name: str = Field(..., max_length=200, description="活动名称")
    starts_on: datetime.date = Field(..., description="开始日期")
    keep_template_dates: bool = Field(False, description="沿用模板中的固定日期（默认平移）")
    publish: bool = Field(True, description="立即发布（否则为草稿）")


class ItemOut(Schema):
    id: int
    campaign_id: int
    task_slug: str
    task_title: str
    phase_name: str
    organization_id: int
    organization_name: str
    person_id: int | None
    person_name: str | None
    occurrence: int
    due_on: datetime.date
    status: str
    status_label: str
    overdue: bool
    completed_at: datetime.datetime | None

    @staticmethod
    def resolve_task_slug(obj: ChecklistItem) -> str:
        return obj.task.slug

    @staticmethod
    def resolve_task_title(obj: ChecklistItem) -> str:
        return obj.task.title

    @staticmethod
    def resolve_phase_name(obj: ChecklistItem) -> str:
        return obj.task.phase.name

    @staticmethod
    def resolve_organization_name(obj: ChecklistItem) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_person_name(obj: ChecklistItem) -> str | None:
        return obj.person.name if obj.person is not None else None

    @staticmethod
    def resolve_status_label(obj: ChecklistItem) -> str:
        return obj.status_label(_today())

    @staticmethod
    def resolve_overdue(obj: ChecklistItem) -> bool:
        return obj.is_overdue(_today())


class ItemFilter(Schema):
    campaign: int | None = Field(None, description="活动 ID")
    organization: int | None = Field(None, description="责任组织 ID")
    status: ItemStatus | None = Field(None, description="存储状态")
    overdue: bool | None = Field(None, description="只列逾期（true）或未逾期（false）")
    mine: bool = Field(False, description="只列本人及本人负责的组织要办的事项")


class EvidenceIn(Schema):
    kind: EvidenceKind = Field(..., description="材料类别")
    text: str = Field(..., min_length=1, max_length=20000, description="文字说明")


class ItemCompleteIn(Schema):
    evidence: list[EvidenceIn] = Field(default_factory=list, description="本次提交的材料")
    complete: bool = Field(True, description="提交后完成（false 时只保存材料）")


class CircularOut(Schema):
    id: int
    campaign_id: int
    title: str
    body: str
    published_at: datetime.datetime


class CircularIn(Schema):
    title: str = Field(..., max_length=200)
    body: str


class ReminderOut(Schema):
    id: int
    campaign_id: int
    organization_id: int
    item_id: int | None
    message: str
    reply_due_on: datetime.date
    status: str
    status_label: str
    reply: str
    replied_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj: Reminder) -> str:
        return obj.status_label(_today())


class ReminderIn(Schema):
    organization_id: int = Field(..., description="督办对象（组织 ID）")
    item_id: int | None = Field(None, description="督办事项（清单项 ID，可选）")
    message: str
    reply_due_on: datetime.date


class ReplyIn(Schema):
    reply: str


# --- templates ----------------------------------------------------------------------------------


def _templates(request: HttpRequest) -> QuerySet[CampaignTemplate]:
    require(request.user, "campaigns.view_template")
    return template_visible(user=request.user)


def _with_latest(template: CampaignTemplate) -> CampaignTemplate:
    template.latest = latest_version(template).version  # type: ignore[attr-defined]
    return template


@router.get(
    "/templates", response={200: list[TemplateOut], **ERROR_RESPONSES}, summary="活动模板列表"
)
def campaign_template_list(request: HttpRequest) -> list[CampaignTemplate]:
    templates = list(_templates(request).order_by("slug"))
    latest: dict[int, int] = {}
    for template_id, version in TemplateVersion.objects.filter(template__in=templates).values_list(
        "template_id", "version"
    ):
        latest[template_id] = max(version, latest.get(template_id, 0))
    for template in templates:
        template.latest = latest.get(template.pk)  # type: ignore[attr-defined]
    return templates


@router.get(
    "/templates/{int:template_id}",
    response={200: TemplateDetailOut, **ERROR_RESPONSES},
    summary="活动模板详情",
)
def campaign_template_detail(request: HttpRequest, template_id: int) -> dict[str, Any]:
    template = _with_latest(get_visible_or_404(_templates(request), pk=template_id))
    versions = list(template.versions.defer("yaml_text").order_by("-version"))
    return {
        **TemplateOut.from_orm(template).model_dump(),
        "versions": versions,
        "content": versions[0].parsed,
    }


@router.get(
    "/templates/{int:template_id}/export",
    response={200: str, **ERROR_RESPONSES},
    summary="导出模板 YAML（可用 ?version= 指定版本）",
)
def campaign_template_export(
    request: HttpRequest, template_id: int, version: int | None = None
) -> HttpResponse:
    template = get_visible_or_404(_templates(request), pk=template_id)
    versions = template.versions.order_by("-version")
    if version is not None:
        versions = versions.filter(version=version)
    found = versions.first()
    if found is None:
        raise Http404("没有这个版本。")
    response = HttpResponse(found.yaml_text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{template.slug}-v{found.version}.yaml"'
    )
    return response


@router.post(
    "/templates/import",
    response={
        **ERROR_RESPONSES,
        200: TemplateImportOut,
        201: TemplateImportOut,
        400: TemplateErrorsOut,
    },
    summary="导入模板 YAML（有错误时 400，列出全部错误及位置）",
)
def campaign_template_import(request: HttpRequest, payload: TemplateImportIn) -> Status[Any]:
    require(request.user, "campaigns.import_template")
    tenant: Tenant = request.user.tenant  # type: ignore[union-attr,assignment]
    try:
        result = template_import(tenant=tenant, text=payload.yaml, user=request.user)  # type: ignore[arg-type]
    except TemplateRejected as error:
        issues = [{"path": i.path, "message": i.message, "line": i.line} for i in error.issues]
        return Status(400, {"detail": error.message, "field": "yaml", "errors": issues})
    except DomainError as error:
        return Status(400, {"detail": error.message, "field": error.field or "yaml", "errors": []})
    body = {
        "template": _with_latest(result.template),
        "version": result.version.version,
        "created_template": result.created_template,
        "created_version": result.created_version,
    }
    return Status(201 if result.created_version else 200, body)


# --- campaigns ----------------------------------------------------------------------------------


@router.get("", response={200: list[CampaignOut], **ERROR_RESPONSES}, summary="主题活动列表")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE, max_page_size=settings.PAGE_SIZE)
def campaign_list_api(request: HttpRequest) -> QuerySet[Campaign]:
    return campaign_visible(user=request.user).order_by("-starts_on", "-id")


@router.get(
    "/{int:campaign_id}",
    response={200: CampaignDetailOut, **ERROR_RESPONSES},
    summary="主题活动详情",
)
def campaign_detail_api(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(campaign_visible(user=request.user), pk=campaign_id)


@router.post(
    "",
    response={201: CampaignDetailOut, **ERROR_RESPONSES},
    summary="开展主题活动（按模板生成清单）",
)
def campaign_add(request: HttpRequest, payload: CampaignCreateIn) -> Status[Campaign]:
    require(request.user, "campaigns.add_campaign")
    try:
        root = restrict(
            Organization.objects.all(),
            request.user,
            path_field="path",
            capability=Capability.CHANGE,
        ).get(pk=payload.root_id)
    except Organization.DoesNotExist:
        raise DomainError("没有找到该组织，或您无权在其中开展活动。", field="root_id") from None
    template = template_visible(user=request.user).filter(pk=payload.template_id).first()
    if template is None:
        raise DomainError("没有找到该模板，或您无权使用。", field="template_id")
    campaign = campaign_create(
        template_version=latest_version(template),
        root=root,
        name=payload.name,
        starts_on=payload.starts_on,
        user=request.user,  # type: ignore[arg-type]
        keep_template_dates=payload.keep_template_dates,
        publish=payload.publish,
    )
    return Status(201, campaign)


# --- checklist items ----------------------------------------------------------------------------


@router.get("/items", response={200: list[ItemOut], **ERROR_RESPONSES}, summary="清单项列表")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE, max_page_size=settings.PAGE_SIZE)
def checklist_item_list(
    request: HttpRequest, filters: Query[ItemFilter]
) -> QuerySet[ChecklistItem]:
    items = item_owned(user=request.user) if filters.mine else item_visible(user=request.user)
    if filters.campaign is not None:
        items = items.filter(campaign_id=filters.campaign)
    if filters.organization is not None:
        items = items.filter(organization_id=filters.organization)
    if filters.status is not None:
        items = items.filter(status=filters.status)
    if filters.overdue is not None:
        late = Q(due_on__lt=_today()) & ~Q(status=ItemStatus.DONE)
        items = items.filter(late) if filters.overdue else items.exclude(late)
    return items.order_by("due_on", "id")


@router.post(
    "/items/{int:item_id}/complete",
    response={200: ItemOut, **ERROR_RESPONSES},
    summary="提交材料并完成清单项（缺少必需材料时 400）",
)
def checklist_item_complete(
    request: HttpRequest, item_id: int, payload: ItemCompleteIn
) -> ChecklistItem:
    item = get_visible_or_404(item_visible(user=request.user), pk=item_id)
    require(request.user, "campaigns.complete_item", item)
    pieces = [EvidenceInput(kind=e.kind, text=e.text) for e in payload.evidence]
    item_submit(item=item, user=request.user, evidence=pieces, complete=payload.complete)  # type: ignore[arg-type]
    return item_visible(user=request.user).get(pk=item.pk)


# --- 通报 and 督办 -----------------------------------------------------------------------------


@router.get(
    "/{int:campaign_id}/circulars",
    response={200: list[CircularOut], **ERROR_RESPONSES},
    summary="活动的通报",
)
def circular_list_api(request: HttpRequest, campaign_id: int) -> QuerySet[Circular]:
    campaign = get_visible_or_404(campaign_visible(user=request.user), pk=campaign_id)
    return circular_list(campaign=campaign)


@router.post(
    "/{int:campaign_id}/circulars",
    response={201: CircularOut, **ERROR_RESPONSES},
    summary="发布通报",
)
def circular_add(request: HttpRequest, campaign_id: int, payload: CircularIn) -> Status[Circular]:
    campaign = get_visible_or_404(campaign_visible(user=request.user), pk=campaign_id)
    require(request.user, "campaigns.change_campaign", campaign)
    circular = circular_publish(
        campaign=campaign,
        user=request.user,  # type: ignore[arg-type]
        title=payload.title,
        body=payload.body,
    )
    return Status(201, circular)


@router.post(
    "/{int:campaign_id}/reminders",
    response={201: ReminderOut, **ERROR_RESPONSES},
    summary="督办一个组织（可指明清单项）",
)
def reminder_add(request: HttpRequest, campaign_id: int, payload: ReminderIn) -> Status[Reminder]:
    campaign = get_visible_or_404(campaign_visible(user=request.user), pk=campaign_id)
    require(request.user, "campaigns.change_campaign", campaign)
    organization = Organization.objects.filter(
        tenant_id=campaign.tenant_id, pk=payload.organization_id
    ).first()
    if organization is None:
        raise DomainError("没有找到该组织。", field="organization_id")
    item = None
    if payload.item_id is not None:
        item = campaign.items.filter(pk=payload.item_id).first()
        if item is None:
            raise DomainError("本活动中没有该清单项。", field="item_id")
    reminder = reminder_send(
        campaign=campaign,
        user=request.user,  # type: ignore[arg-type]
        organization=organization,
        message=payload.message,
        reply_due_on=payload.reply_due_on,
        today=_today(),
        item=item,
    )
    return Status(201, reminder)


@router.post(
    "/reminders/{int:reminder_id}/reply",
    response={200: ReminderOut, **ERROR_RESPONSES},
    summary="回复督办",
)
def reminder_answer(request: HttpRequest, reminder_id: int, payload: ReplyIn) -> Reminder:
    reminder = get_visible_or_404(reminder_visible(user=request.user), pk=reminder_id)
    require(request.user, "campaigns.reply_reminder", reminder)
    return reminder_reply(reminder=reminder, user=request.user, reply=payload.reply)  # type: ignore[arg-type]
