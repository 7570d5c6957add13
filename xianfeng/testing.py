"""Factories and a small school system for tests: two tenants, a school tree, one user per role."""

import datetime
import itertools
from dataclasses import dataclass
from typing import Any, cast

import factory

from xianfeng.core.models import Role, RoleGrant, Tenant, User
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import Person, PoliticalStatus, PostCategory

_codes = itertools.count(1)


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"测试区教育系统{n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    tenant = factory.LazyAttribute(lambda o: o.organization.tenant)
    organization: Any = None
    code = factory.LazyFunction(lambda: f"T{next(_codes):06d}")
    name = factory.Iterator(
        ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周婷", "吴军"]
    )
    gender = "male"
    birth_date = datetime.date(1985, 3, 1)
    status = PoliticalStatus.MEMBER
    post_category = PostCategory.TEACHER
    joined_on = datetime.date(2008, 7, 1)
    full_member_on = datetime.date(2009, 7, 1)
    phone = factory.Sequence(lambda n: f"139{n:08d}")


def make_user(
    *,
    tenant: Tenant,
    username: str,
    role: str | None = None,
    organization: Organization | None = None,
) -> User:
    user = User.objects.create_user(
        username=username, password="Xianfeng-2026!", tenant=tenant, full_name=username
    )
    if role is not None:
        assert organization is not None
        RoleGrant.objects.create(tenant=tenant, user=user, role=role, organization=organization)
    return user


@dataclass
class School:
    """A district with one school: committee → general branch → two branches → a group."""

    tenant: Tenant
    district: Organization
    school: Organization
    branch: Organization
    other_branch: Organization
    group: Organization
    users: dict[str, User]
    member: Person


def build_school(slug: str = "district-a", name: str = "甲区教育系统") -> School:
    tenant = cast(Tenant, TenantFactory(slug=slug, name=name))
    district = organization_create(
        tenant=tenant, name=f"{name}党委", kind=OrganizationKind.COMMITTEE
    )
    school = organization_create(
        tenant=tenant,
        name="第一中学党总支",
        kind=OrganizationKind.GENERAL_BRANCH,
        parent=district,
        unit_name="第一中学",
        is_school=True,
    )
    branch = organization_create(
        tenant=tenant,
        name="语文党支部",
        kind=OrganizationKind.BRANCH,
        parent=school,
        branch_type="subject",
    )
    other_branch = organization_create(
        tenant=tenant,
        name="数学党支部",
        kind=OrganizationKind.BRANCH,
        parent=school,
        branch_type="subject",
    )
    group = organization_create(
        tenant=tenant, name="语文第一党小组", kind=OrganizationKind.GROUP, parent=branch
    )
    member = cast(Person, PersonFactory(organization=group, name="张三丰"))
    users: dict[str, User] = {
        Role.DISTRICT_ADMIN: make_user(
            tenant=tenant, username=f"{slug}-admin", role=Role.DISTRICT_ADMIN, organization=district
        ),
        Role.INSPECTOR: make_user(
            tenant=tenant, username=f"{slug}-inspector", role=Role.INSPECTOR, organization=school
        ),
        Role.LEADER: make_user(
            tenant=tenant, username=f"{slug}-leader", role=Role.LEADER, organization=school
        ),
        Role.SECRETARY: make_user(
            tenant=tenant, username=f"{slug}-secretary", role=Role.SECRETARY, organization=school
        ),
        Role.GROUP_LEADER: make_user(
            tenant=tenant,
            username=f"{slug}-groupleader",
            role=Role.GROUP_LEADER,
            organization=group,
        ),
        Role.MEMBER: make_user(
            tenant=tenant, username=f"{slug}-member", role=Role.MEMBER, organization=branch
        ),
    }
    member.user = users[Role.MEMBER]
    member.save()
    return School(
        tenant=tenant,
        district=district,
        school=school,
        branch=branch,
        other_branch=other_branch,
        group=group,
        users=users,
        member=member,
    )
