"""人员 over the API: the same access helpers and services as the pages.

Phone numbers are masked unless the caller may see them (people.view_phone), exactly as on the pages.
"""

import dataclasses
import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from xianfeng.api.errors import ERROR_RESPONSES, renamed_fields
from xianfeng.core.access import get_visible_or_404, require, restrict
from xianfeng.core.errors import DomainError
from xianfeng.lib.text import is_pinyin_query, mask_phone
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Gender, MassesKind, Person, PoliticalStatus, PostCategory
from xianfeng.people.services import PersonData, person_create, person_deactivate, person_update

router = Router(tags=["人员"])


class PersonOut(Schema):
    id: int
    code: str
    name: str
    name_pinyin: str
    name_initials: str
    organization_id: int
    organization_name: str
    gender: str
    gender_label: str
    birth_date: datetime.date | None
    status: str
    status_label: str
    masses_kind: str
    masses_kind_label: str
    post_category: str
    post_category_label: str
    joined_on: datetime.date | None
    full_member_on: datetime.date | None
    is_party_affairs_worker: bool
    is_leadership_member: bool
    is_new_member: bool
    title: str
    phone: str = Field(..., description="无权查看手机号时为打码后的号码，如 138****5678")
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_organization_name(obj: Person) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_gender_label(obj: Person) -> str:
        return str(obj.get_gender_display()) if obj.gender else ""

    @staticmethod
    def resolve_status_label(obj: Person) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_masses_kind_label(obj: Person) -> str:
        return str(obj.get_masses_kind_display()) if obj.masses_kind else ""

    @staticmethod
    def resolve_post_category_label(obj: Person) -> str:
        return str(obj.get_post_category_display()) if obj.post_category else ""

    @staticmethod
    def resolve_phone(obj: Person, context: dict[str, Any]) -> str:
        if not obj.phone:
            return ""
        user = context["request"].user
        return obj.phone if user.has_perm("people.view_phone", obj) else mask_phone(obj.phone)


class PersonFilter(Schema):
    q: str | None = Field(None, description="按姓名、姓名全拼或首字母搜索")
    organization: int | None = Field(None, description="只列出该组织及其全部下级的人员（组织 ID）")
    status: PoliticalStatus | None = Field(None, description="政治面貌")
    post_category: PostCategory | None = Field(None, description="岗位类别")
    include_inactive: bool = Field(False, description="是否包括已移出花名册的人员")


class PersonIn(Schema):
    code: str = Field(..., max_length=32, description="人员编号，本教育系统内唯一")
    name: str = Field(..., max_length=50, description="姓名")
    organization_id: int = Field(..., description="所在组织 ID")
    status: PoliticalStatus = Field(..., description="政治面貌")
    gender: Gender = Field(Gender.NONE, description="性别")
    birth_date: datetime.date | None = Field(None, description="出生日期")
    masses_kind: MassesKind = Field(MassesKind.NONE, description="群众类别（仅群众）")
    post_category: PostCategory = Field(PostCategory.NONE, description="岗位类别")
    joined_on: datetime.date | None = Field(None, description="入党时间")
    full_member_on: datetime.date | None = Field(None, description="转正时间")
    is_party_affairs_worker: bool = Field(False, description="党务工作者")
    is_leadership_member: bool = Field(False, description="领导班子成员")
    is_new_member: bool = Field(False, description="新党员")
    title: str = Field("", max_length=50, description="行政职务")
    phone: str = Field("", max_length=20, description="手机号")


class PersonPatchIn(Schema):
    """Only the fields sent are changed; dates may be set to null to clear them."""

    code: str | None = Field(None, max_length=32, description="人员编号，本教育系统内唯一")
    name: str | None = Field(None, max_length=50, description="姓名")
    organization_id: int | None = Field(None, description="所在组织 ID")
    status: PoliticalStatus | None = Field(None, description="政治面貌")
    gender: Gender | None = Field(None, description="性别")
    birth_date: datetime.date | None = Field(None, description="出生日期")
    masses_kind: MassesKind | None = Field(None, description="群众类别（仅群众）")
    post_category: PostCategory | None = Field(None, description="岗位类别")
    joined_on: datetime.date | None = Field(None, description="入党时间")
    full_member_on: datetime.date | None = Field(None, description="转正时间")
    is_party_affairs_worker: bool | None = Field(None, description="党务工作者")
    is_leadership_member: bool | None = Field(None, description="领导班子成员")
    is_new_member: bool | None = Field(None, description="新党员")
    title: str | None = Field(None, max_length=50, description="行政职务")
    phone: str | None = Field(None, max_length=20, description="手机号")


# Fields whose null means "clear it"; for every other field a null is the same as leaving it out.
NULLABLE_FIELDS = {"birth_date", "joined_on", "full_member_on"}


def visible_people(request: HttpRequest) -> QuerySet[Person]:
    return restrict(
        Person.objects.select_related("organization"),
        request.user,
        path_field="organization__path",
    )


def _visible_organizations(request: HttpRequest) -> QuerySet[Organization]:
    return restrict(Organization.objects.all(), request.user, path_field="path")


def _target_organization(request: HttpRequest, organization_id: int) -> Organization:
    """The organization a person is put in: it must be visible and open to adding people."""
    try:
        organization = _visible_organizations(request).get(pk=organization_id)
    except Organization.DoesNotExist:
        raise DomainError("没有找到该组织，或您无权查看。", field="organization_id") from None
    require(request.user, "people.add_person", organization)
    return organization


def _person_data(person: Person) -> PersonData:
    return PersonData(
        code=person.code,
        name=person.name,
        organization=person.organization,
        status=person.status,
        gender=person.gender,
        birth_date=person.birth_date,
        masses_kind=person.masses_kind,
        post_category=person.post_category,
        joined_on=person.joined_on,
        full_member_on=person.full_member_on,
        is_party_affairs_worker=person.is_party_affairs_worker,
        is_leadership_member=person.is_leadership_member,
        is_new_member=person.is_new_member,
        title=person.title,
        phone=person.phone,
    )


def _search(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    query = query.strip()
    if not query:
        return people
    condition = Q(name__icontains=query)
    if is_pinyin_query(query):
        lowered = query.lower()
        condition |= Q(name_pinyin__contains=lowered) | Q(name_initials__startswith=lowered)
    return people.filter(condition)


@router.get(
    "",
    response={200: list[PersonOut], **ERROR_RESPONSES},
    summary="人员列表",
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE, max_page_size=settings.PAGE_SIZE)
def person_list(request: HttpRequest, filters: Query[PersonFilter]) -> QuerySet[Person]:
    people = visible_people(request)
    if not filters.include_inactive:
        people = people.filter(is_active=True)
    if filters.organization is not None:
        organization = get_visible_or_404(_visible_organizations(request), pk=filters.organization)
        people = people.filter(organization__path__startswith=organization.path)
    if filters.status:
        people = people.filter(status=filters.status)
    if filters.post_category:
        people = people.filter(post_category=filters.post_category)
    if filters.q:
        people = _search(people, filters.q)
    return people.order_by("name_pinyin", "id")


@router.get(
    "/{person_id}",
    response={200: PersonOut, **ERROR_RESPONSES},
    summary="人员详情",
)
def person_detail(request: HttpRequest, person_id: int) -> Person:
    return get_visible_or_404(visible_people(request), pk=person_id)


@router.post("", response={201: PersonOut, **ERROR_RESPONSES}, summary="新增人员")
def person_add(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    values = payload.model_dump()
    organization = _target_organization(request, values.pop("organization_id"))
    with renamed_fields(organization="organization_id"):
        person = person_create(
            tenant=organization.tenant,
            data=PersonData(organization=organization, **values),
        )
    return Status(201, person)


def _save_person(request: HttpRequest, person: Person, changes: dict[str, Any]) -> Person:
    require(request.user, "people.change_person", person)
    data = _person_data(person)
    organization_id = changes.pop("organization_id", None)
    if organization_id is not None and organization_id != person.organization_id:
        data.organization = _target_organization(request, organization_id)
    data = dataclasses.replace(data, **changes)
    with renamed_fields(organization="organization_id"):
        return person_update(person=person, data=data)


@router.put(
    "/{person_id}",
    response={200: PersonOut, **ERROR_RESPONSES},
    summary="修改人员（整条替换）",
)
def person_replace(request: HttpRequest, person_id: int, payload: PersonIn) -> Person:
    person = get_visible_or_404(visible_people(request), pk=person_id)
    return _save_person(request, person, payload.model_dump())


@router.patch(
    "/{person_id}",
    response={200: PersonOut, **ERROR_RESPONSES},
    summary="修改人员（只改提交的字段）",
)
def person_change(request: HttpRequest, person_id: int, payload: PersonPatchIn) -> Person:
    person = get_visible_or_404(visible_people(request), pk=person_id)
    changes = {
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value is not None or name in NULLABLE_FIELDS
    }
    return _save_person(request, person, changes)


@router.delete(
    "/{person_id}",
    response={204: None, **ERROR_RESPONSES},
    summary="移出花名册（保留历史记录）",
)
def person_remove(request: HttpRequest, person_id: int) -> Status[None]:
    person = get_visible_or_404(visible_people(request), pk=person_id)
    require(request.user, "people.delete_person", person)
    person_deactivate(person=person)
    return Status(204, None)
