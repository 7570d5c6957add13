"""党组织 over the API: the same access helpers and services as the pages."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from xianfeng.api.errors import ERROR_RESPONSES, renamed_fields
from xianfeng.core.access import get_visible_or_404, require, restrict
from xianfeng.core.errors import DomainError
from xianfeng.organizations.models import BranchType, Organization, OrganizationKind
from xianfeng.organizations.services import (
    organization_create,
    organization_delete,
    organization_move,
    organization_update,
)

router = Router(tags=["党组织"])


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    branch_type: str
    branch_type_label: str
    unit_name: str
    is_school: bool
    parent_id: int | None
    parent_name: str | None
    path: str
    depth: int
    sort_order: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_branch_type_label(obj: Organization) -> str:
        return str(obj.get_branch_type_display()) if obj.branch_type else ""

    @staticmethod
    def resolve_parent_name(obj: Organization) -> str | None:
        return obj.parent.name if obj.parent is not None else None


class OrganizationFilter(Schema):
    kind: OrganizationKind | None = Field(None, description="组织类型")
    parent: int | None = Field(None, description="只列出该组织的直接下级（组织 ID）")
    q: str | None = Field(None, description="按名称搜索")


class OrganizationCreateIn(Schema):
    parent_id: int = Field(..., description="上级组织 ID")
    name: str = Field(..., max_length=100, description="名称")
    kind: OrganizationKind = Field(..., description="组织类型")
    branch_type: BranchType = Field(BranchType.NONE, description="支部类别（仅党支部）")
    unit_name: str = Field("", max_length=100, description="所在单位，留空时沿用上级的")
    is_school: bool = Field(False, description="是否为一所学校党组织的最高一级")
    sort_order: int = Field(0, ge=0, description="排序")


class OrganizationUpdateIn(Schema):
    """Only the fields sent are changed; a null is the same as leaving the field out."""

    name: str | None = Field(None, max_length=100, description="名称")
    branch_type: BranchType | None = Field(None, description="支部类别（仅党支部）")
    unit_name: str | None = Field(None, max_length=100, description="所在单位")
    is_school: bool | None = Field(None, description="是否为一所学校党组织的最高一级")
    sort_order: int | None = Field(None, ge=0, description="排序")


class OrganizationMoveIn(Schema):
    parent_id: int = Field(..., description="新的上级组织 ID")


def visible_organizations(request: HttpRequest) -> QuerySet[Organization]:
    return restrict(Organization.objects.select_related("parent"), request.user, path_field="path")


def _referenced_parent(request: HttpRequest, parent_id: int) -> Organization:
    """A parent named in a request body: unknown or invisible is a field error, not a 404."""
    try:
        return visible_organizations(request).select_related("tenant").get(pk=parent_id)
    except Organization.DoesNotExist:
        raise DomainError("没有找到该上级组织，或您无权查看。", field="parent_id") from None


@router.get(
    "",
    response={200: list[OrganizationOut], **ERROR_RESPONSES},
    summary="党组织列表",
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE, max_page_size=settings.PAGE_SIZE)
def organization_list(
    request: HttpRequest, filters: Query[OrganizationFilter]
) -> QuerySet[Organization]:
    organizations = visible_organizations(request)
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    if filters.parent is not None:
        organizations = organizations.filter(parent_id=filters.parent)
    if filters.q and filters.q.strip():
        organizations = organizations.filter(name__icontains=filters.q.strip())
    return organizations.order_by("path")


@router.get(
    "/{organization_id}",
    response={200: OrganizationOut, **ERROR_RESPONSES},
    summary="党组织详情",
)
def organization_detail(request: HttpRequest, organization_id: int) -> Organization:
    return get_visible_or_404(visible_organizations(request), pk=organization_id)


@router.post(
    "",
    response={201: OrganizationOut, **ERROR_RESPONSES},
    summary="新建党组织",
)
def organization_add(request: HttpRequest, payload: OrganizationCreateIn) -> Status[Organization]:
    parent = _referenced_parent(request, payload.parent_id)
    require(request.user, "organizations.add_organization", parent)
    with renamed_fields(parent="parent_id"):
        organization = organization_create(
            tenant=parent.tenant,
            parent=parent,
            name=payload.name,
            kind=payload.kind,
            branch_type=payload.branch_type,
            unit_name=payload.unit_name,
            is_school=payload.is_school,
            sort_order=payload.sort_order,
        )
    return Status(201, organization)


@router.patch(
    "/{organization_id}",
    response={200: OrganizationOut, **ERROR_RESPONSES},
    summary="修改党组织",
)
def organization_change(
    request: HttpRequest, organization_id: int, payload: OrganizationUpdateIn
) -> Organization:
    organization = get_visible_or_404(visible_organizations(request), pk=organization_id)
    require(request.user, "organizations.change_organization", organization)
    changes: dict[str, Any] = {
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value is not None
    }
    current = {
        "name": organization.name,
        "branch_type": organization.branch_type,
        "unit_name": organization.unit_name,
        "is_school": organization.is_school,
        "sort_order": organization.sort_order,
    }
    return organization_update(organization=organization, **{**current, **changes})


@router.post(
    "/{organization_id}/move",
    response={200: OrganizationOut, **ERROR_RESPONSES},
    summary="移动党组织（连同全部下级）",
)
def organization_relocate(
    request: HttpRequest, organization_id: int, payload: OrganizationMoveIn
) -> Organization:
    organization = get_visible_or_404(visible_organizations(request), pk=organization_id)
    require(request.user, "organizations.change_organization", organization)
    new_parent = _referenced_parent(request, payload.parent_id)
    require(request.user, "organizations.add_organization", new_parent)
    with renamed_fields(parent="parent_id"):
        return organization_move(organization=organization, new_parent=new_parent)


@router.delete(
    "/{organization_id}",
    response={204: None, **ERROR_RESPONSES},
    summary="删除党组织（须无下级组织和人员）",
)
def organization_remove(request: HttpRequest, organization_id: int) -> Status[None]:
    organization = get_visible_or_404(visible_organizations(request), pk=organization_id)
    require(request.user, "organizations.delete_organization", organization)
    organization_delete(organization=organization)
    return Status(204, None)
