"""Reads of the roster, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from xianfeng.core.access import Capability, restrict
from xianfeng.lib.text import is_pinyin_query
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Membership, Person

# Sort keys offered on the member list; every one ends in a unique column so pages are stable.
SORTS: dict[str, tuple[str, ...]] = {
    "pinyin": ("name_pinyin", "id"),
    "-pinyin": ("-name_pinyin", "-id"),
    "organization": ("organization__path", "name_pinyin", "id"),
    "code": ("code", "id"),
}


@dataclass(frozen=True)
class PersonFilters:
    """What the member list is narrowed to; empty values mean "any"."""

    organization: Organization | None = None
    status: str = ""
    post_category: str = ""
    masses_kind: str = ""
    party_affairs_worker: bool = False
    leadership_member: bool = False
    new_member: bool = False
    include_inactive: bool = False
    sort: str = "pinyin"


def person_visible(*, user: Any, capability: Capability = Capability.VIEW) -> QuerySet[Person]:
    return restrict(
        Person.objects.all(), user, path_field="organization__path", capability=capability
    )


def person_search(query: str) -> Q:
    """Names match by characters (张三), full pinyin (zhangsan) or initials (zs); codes match too.

    Pinyin and initials are stored lower case without spaces, so "Zhang San" finds 张三 as well.
    """
    text = query.strip()
    if not text:
        return Q()
    condition = Q(name__icontains=text) | Q(code__icontains=text)
    latin = text.lower().replace(" ", "")
    if is_pinyin_query(latin):
        condition |= Q(name_pinyin__contains=latin) | Q(name_initials__contains=latin)
    return condition


def person_list(
    *, user: Any, query: str = "", filters: PersonFilters | None = None
) -> QuerySet[Person]:
    """The people the user may see, searched, filtered and sorted; one query per page of rows."""
    filters = filters or PersonFilters()
    people = person_visible(user=user).select_related("organization")
    if query.strip():
        people = people.filter(person_search(query))
    if filters.organization is not None:
        people = people.filter(organization__path__startswith=filters.organization.path)
    if filters.status:
        people = people.filter(status=filters.status)
    if filters.post_category:
        people = people.filter(post_category=filters.post_category)
    if filters.masses_kind:
        people = people.filter(masses_kind=filters.masses_kind)
    if filters.party_affairs_worker:
        people = people.filter(is_party_affairs_worker=True)
    if filters.leadership_member:
        people = people.filter(is_leadership_member=True)
    if filters.new_member:
        people = people.filter(is_new_member=True)
    if not filters.include_inactive:
        people = people.filter(is_active=True)
    return people.order_by(*SORTS.get(filters.sort, SORTS["pinyin"]))


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(tenant_id=person.tenant_id, person=person)
        .select_related("organization")
        .order_by("organization__path", "position")
    )
