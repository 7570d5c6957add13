"""Writes to the roster: people and the positions they hold."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from xianfeng.core.errors import DomainError
from xianfeng.core.models import Tenant
from xianfeng.organizations.models import Organization
from xianfeng.people.models import (
    PARTY_STATUSES,
    Gender,
    MassesKind,
    Membership,
    Person,
    PoliticalStatus,
    Position,
    PostCategory,
)


@dataclass
class PersonData:
    """The editable fields of a person, as forms, the API and the roster import supply them."""

    code: str
    name: str
    organization: Organization
    status: str
    gender: str = ""
    birth_date: datetime.date | None = None
    masses_kind: str = ""
    post_category: str = ""
    joined_on: datetime.date | None = None
    full_member_on: datetime.date | None = None
    is_party_affairs_worker: bool = False
    is_leadership_member: bool = False
    is_new_member: bool = False
    title: str = ""
    phone: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def person_validate(*, tenant: Tenant, data: PersonData) -> list[DomainError]:
    """Every problem with the data, each naming its field; empty when the data may be saved."""
    errors: list[DomainError] = []
    if not data.code.strip():
        errors.append(DomainError("人员编号不能为空。", field="code"))
    if not data.name.strip():
        errors.append(DomainError("姓名不能为空。", field="name"))
    if data.organization.tenant_id != tenant.pk:
        errors.append(DomainError("所在组织不属于本教育系统。", field="organization"))
    if data.status not in PoliticalStatus.values:
        errors.append(DomainError(f"未知的政治面貌：{data.status}", field="status"))
    if data.gender not in Gender.values:
        errors.append(DomainError(f"未知的性别：{data.gender}", field="gender"))
    if data.post_category not in PostCategory.values:
        errors.append(DomainError(f"未知的岗位类别：{data.post_category}", field="post_category"))
    if data.masses_kind not in MassesKind.values:
        errors.append(DomainError(f"未知的群众类别：{data.masses_kind}", field="masses_kind"))
    if data.status in PARTY_STATUSES and data.joined_on is None:
        errors.append(DomainError("党员必须填写入党时间。", field="joined_on"))
    if data.status == PoliticalStatus.MEMBER and data.joined_on and data.full_member_on is None:
        errors.append(DomainError("正式党员必须填写转正时间。", field="full_member_on"))
    if data.status == PoliticalStatus.PROBATIONARY and data.full_member_on is not None:
        errors.append(DomainError("预备党员不应有转正时间。", field="full_member_on"))
    if data.full_member_on and data.joined_on and data.full_member_on < data.joined_on:
        errors.append(DomainError("转正时间不能早于入党时间。", field="full_member_on"))
    if data.full_member_on and data.joined_on is None:
        errors.append(DomainError("有转正时间时必须填写入党时间。", field="joined_on"))
    if data.status == PoliticalStatus.MASSES and data.masses_kind == "":
        errors.append(
            DomainError("群众必须填写群众类别（教职工、学生或家长）。", field="masses_kind")
        )
    if data.status != PoliticalStatus.MASSES and data.masses_kind:
        errors.append(DomainError("只有群众才有群众类别。", field="masses_kind"))
    today = datetime.date.today()
    for name, label in (
        ("birth_date", "出生日期"),
        ("joined_on", "入党时间"),
        ("full_member_on", "转正时间"),
    ):
        value = getattr(data, name)
        if value is not None and value > today:
            errors.append(DomainError(f"{label}不能晚于今天。", field=name))
    phone = data.phone.strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        errors.append(DomainError("手机号只能是 7 到 15 位数字。", field="phone"))
    return errors


def _apply(person: Person, data: PersonData) -> None:
    person.code = data.code.strip()
    person.name = data.name.strip()
    person.organization = data.organization
    person.status = data.status
    person.gender = data.gender
    person.birth_date = data.birth_date
    person.masses_kind = data.masses_kind
    person.post_category = data.post_category
    person.joined_on = data.joined_on
    person.full_member_on = data.full_member_on
    person.is_party_affairs_worker = data.is_party_affairs_worker
    person.is_leadership_member = data.is_leadership_member
    person.is_new_member = data.is_new_member
    person.title = data.title.strip()
    person.phone = data.phone.strip()


def person_create(*, tenant: Tenant, data: PersonData) -> Person:
    errors = person_validate(tenant=tenant, data=data)
    if Person.objects.filter(tenant=tenant, code=data.code.strip()).exists():
        errors.append(DomainError(f"人员编号“{data.code}”已被使用。", field="code"))
    if errors:
        raise errors[0]
    person = Person(tenant=tenant)
    _apply(person, data)
    with transaction.atomic():
        person.save()
    return person


def person_update(*, person: Person, data: PersonData) -> Person:
    errors = person_validate(tenant=person.tenant, data=data)
    clash = Person.objects.filter(tenant_id=person.tenant_id, code=data.code.strip()).exclude(
        pk=person.pk
    )
    if clash.exists():
        errors.append(DomainError(f"人员编号“{data.code}”已被使用。", field="code"))
    if errors:
        raise errors[0]
    _apply(person, data)
    with transaction.atomic():
        person.save()
    return person


def membership_add(
    *,
    person: Person,
    organization: Organization,
    position: str,
    since: datetime.date | None = None,
) -> Membership:
    if position not in Position.values:
        raise DomainError(f"未知的职务：{position}", field="position")
    if organization.tenant_id != person.tenant_id:
        raise DomainError("组织不属于本教育系统。", field="organization")
    membership, created = Membership.objects.get_or_create(
        tenant_id=person.tenant_id,
        person=person,
        organization=organization,
        position=position,
        defaults={"since": since},
    )
    if not created:
        raise DomainError(
            f"{person.name}已在“{organization.name}”担任{Position(position).label}。",
            field="position",
        )
    return membership


def membership_remove(*, membership: Membership) -> None:
    membership.delete()


def person_deactivate(*, person: Person) -> Person:
    """移出花名册: the person stays on record (history refers to them) but is no longer listed."""
    if not person.is_active:
        return person
    person.is_active = False
    with transaction.atomic():
        person.save(update_fields=["is_active", "updated_at"])
    return person
