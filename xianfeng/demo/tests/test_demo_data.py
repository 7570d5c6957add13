"""What the demo contains: sizes, valid people, positions, and one working account per role."""

import datetime
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction

from xianfeng.core.access import Capability, restrict
from xianfeng.core.models import Role, RoleGrant, Tenant, User
from xianfeng.demo.demo import (
    DEMO_ACCOUNTS,
    DEMO_CLASS,
    DEMO_PASSWORD,
    DEMO_SLUG,
    HIGH_SCHOOL_ORG,
    PRIMARY_SCHOOL_ORG,
    RURAL_SCHOOL_ORG,
    demo_load,
)
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.people.models import (
    PARTY_STATUSES,
    MassesKind,
    Membership,
    Person,
    PoliticalStatus,
    Position,
)
from xianfeng.people.services import PersonData, person_validate


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Tenant]:
    # Loaded once for the module inside a transaction that is rolled back at its end; every test
    # only reads, each in its own savepoint.
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_load()
        assert summary is not None
        yield summary.tenant
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded: Tenant, db: None) -> Tenant:
    return loaded


def _party_members_under(name: str) -> int:
    organization = Organization.objects.get(tenant__slug=DEMO_SLUG, name=name)
    return Person.objects.filter(
        organization__path__startswith=organization.path, status__in=sorted(PARTY_STATUSES)
    ).count()


def test_schools_have_the_planned_size(demo):
    assert _party_members_under(HIGH_SCHOOL_ORG) == 60
    assert _party_members_under(PRIMARY_SCHOOL_ORG) == 20
    assert _party_members_under(RURAL_SCHOOL_ORG) == 15
    high = Organization.objects.get(tenant=demo, name=HIGH_SCHOOL_ORG)
    below = Organization.objects.filter(tenant=demo, path__startswith=high.path)
    assert below.filter(kind=OrganizationKind.BRANCH).count() == 4
    assert below.filter(kind=OrganizationKind.GROUP).count() == 6
    assert below.filter(kind=OrganizationKind.FUNCTIONAL_GROUP).count() == 4
    assert Organization.objects.filter(tenant=demo, is_school=True).count() == 3


def test_people_span_every_status_and_the_demo_class(demo):
    people = Person.objects.filter(tenant=demo)
    for status in PoliticalStatus.values:
        if status != PoliticalStatus.APPLICANT:
            assert people.filter(status=status).exists(), status
    students = people.filter(masses_kind=MassesKind.STUDENT, title=f"{DEMO_CLASS}学生")
    parents = people.filter(masses_kind=MassesKind.PARENT, title__startswith=DEMO_CLASS)
    assert students.count() == parents.count() == 30
    assert people.filter(title=f"{DEMO_CLASS}班主任").count() == 1
    assert people.filter(is_party_affairs_worker=True).count() >= 5
    assert people.filter(is_leadership_member=True).count() >= 5
    assert people.filter(is_new_member=True, status=PoliticalStatus.MEMBER).exists()


def test_every_person_passes_validation(demo):
    today = datetime.date.today()
    for person in Person.objects.filter(tenant=demo).select_related("organization"):
        data = PersonData(
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
        assert person_validate(tenant=demo, data=data) == [], person.code
        if person.status == PoliticalStatus.PROBATIONARY:
            assert person.full_member_on is None
            assert (today - person.joined_on).days <= 365, person.code
        if person.status == PoliticalStatus.MEMBER:
            assert person.full_member_on > person.joined_on
            assert (person.joined_on - person.birth_date).days >= 18 * 365, person.code


def test_positions_are_held_in_every_organization_that_needs_them(demo):
    for organization in Organization.objects.filter(tenant=demo):
        positions = set(organization.memberships.values_list("position", flat=True))
        if organization.kind in (OrganizationKind.GROUP, OrganizationKind.FUNCTIONAL_GROUP):
            assert Position.GROUP_LEADER in positions, organization.name
        else:
            assert Position.SECRETARY in positions, organization.name
    # Each member of a branch with functional groups sits in exactly one of them.
    in_functional = list(
        Membership.objects.filter(
            tenant=demo, organization__kind=OrganizationKind.FUNCTIONAL_GROUP
        ).values_list("person_id", flat=True)
    )
    assert len(in_functional) == len(set(in_functional)) == 32


def test_one_account_per_role_with_a_valid_password(demo):
    grants = RoleGrant.objects.filter(tenant=demo)
    assert sorted(grants.values_list("role", flat=True)) == sorted(Role.values)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.tenant_id == demo.pk
        assert user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)
        grant = grants.get(user=user)
        assert grant.role == account.role
        assert grant.organization.name == account.scope
        assert Person.objects.filter(user=user).exists(), account.username


def test_accounts_see_their_own_subtree(demo):
    people = Person.objects.filter(tenant=demo)
    admin = User.objects.get(username="demo_admin")
    secretary = User.objects.get(username="demo_secretary")
    group_leader = User.objects.get(username="demo_groupleader")
    assert restrict(people, admin, path_field="organization__path").count() == people.count()
    high = Organization.objects.get(tenant=demo, name=HIGH_SCHOOL_ORG)
    assert (
        restrict(people, secretary, path_field="organization__path").count()
        == people.filter(organization__path__startswith=high.path).count()
    )
    seen = restrict(people, group_leader, path_field="organization__path")
    assert 0 < seen.count() < 20
    assert restrict(
        people, secretary, path_field="organization__path", capability=Capability.IMPORT
    ).exists()
    assert not restrict(
        people, group_leader, path_field="organization__path", capability=Capability.CHANGE
    ).exists()


def test_demo_logins_lists_every_account(demo):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.username in text
        assert Role(account.role).label in text
    assert DEMO_PASSWORD in text
    assert "尚未加载" not in text


def test_every_demo_account_opens_its_pages(demo, client):
    high = Organization.objects.get(tenant=demo, name=HIGH_SCHOOL_ORG)
    primary = Organization.objects.get(tenant=demo, name=PRIMARY_SCHOOL_ORG)
    for account in DEMO_ACCOUNTS:
        client.force_login(User.objects.get(username=account.username))
        for url in ("/", "/organizations/", "/people/"):
            assert client.get(url).status_code == 200, (account.username, url)
    client.force_login(User.objects.get(username="demo_secretary"))
    tree = client.get("/organizations/").content.decode()
    assert high.name in tree
    assert primary.name not in tree
