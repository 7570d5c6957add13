"""Reads of the organization tree, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from xianfeng.core.access import Capability, restrict, scope_for
from xianfeng.core.models import Role
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.people.models import Membership, Person, Position

_ACTIVE_PEOPLE = Count("people", filter=Q(people__is_active=True))


def organization_visible(
    *, user: Any, capability: Capability = Capability.VIEW
) -> QuerySet[Organization]:
    return restrict(Organization.objects.all(), user, path_field="path", capability=capability)


@dataclass
class TreeNode:
    """One organization of the tree with its children and the people counted in it."""

    organization: Organization
    member_count: int
    children: list[TreeNode] = field(default_factory=list)
    total_members: int = 0


def organization_tree(*, user: Any) -> list[TreeNode]:
    """The user's visible subtrees, built from one query over the visible organizations."""
    rows = list(
        organization_visible(user=user).annotate(member_count=_ACTIVE_PEOPLE).order_by("path")
    )
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    # Path order puts every parent before its children.
    for organization in rows:
        node = TreeNode(organization=organization, member_count=organization.member_count)
        nodes[organization.pk] = node
        parent = nodes.get(organization.parent_id) if organization.parent_id else None
        (parent.children if parent else roots).append(node)
    # In reverse path order every child is finished before its parent adds it up.
    for organization in reversed(rows):
        node = nodes[organization.pk]
        node.total_members += node.member_count
        parent = nodes.get(organization.parent_id) if organization.parent_id else None
        if parent is not None:
            parent.total_members += node.total_members
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.organization.sort_order, n.organization.path))
    return roots


@dataclass
class Crumb:
    organization: Organization
    visible: bool


def organization_ancestors(*, organization: Organization, user: Any) -> list[Crumb]:
    """The chain from the top of the tree down to (not including) the organization."""
    ids = organization.ancestor_ids[:-1]
    if not ids:
        return []
    scope = scope_for(user)
    ancestors = Organization.objects.filter(tenant_id=organization.tenant_id, pk__in=ids).order_by(
        "path"
    )
    return [Crumb(organization=a, visible=scope.can(Capability.VIEW, a.path)) for a in ancestors]


def organization_children(*, organization: Organization) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(tenant_id=organization.tenant_id, parent=organization)
        .annotate(member_count=_ACTIVE_PEOPLE)
        .order_by("sort_order", "path")
    )


def organization_positions(*, organization: Organization) -> list[Membership]:
    """Who holds which position (书记, 组织委员 …) in the organization, in the order of the posts."""
    order = {value: index for index, value in enumerate(Position.values)}
    memberships = Membership.objects.filter(
        tenant_id=organization.tenant_id, organization=organization
    ).select_related("person")
    return sorted(memberships, key=lambda m: (order.get(m.position, 99), m.person.name_pinyin))


def organization_subtree_counts(*, organization: Organization) -> dict[str, int]:
    """People (在册) and branches in the organization and everything below it."""
    people = Person.objects.filter(
        tenant_id=organization.tenant_id,
        organization__path__startswith=organization.path,
        is_active=True,
    ).count()
    branches = Organization.objects.filter(
        tenant_id=organization.tenant_id,
        path__startswith=organization.path,
        kind=OrganizationKind.BRANCH,
    ).count()
    return {"people": people, "branches": branches}


@dataclass
class HeldOrganization:
    """An organization the user holds a role over, with what the home page shows about it."""

    organization: Organization
    roles: list[str]
    people: int
    branches: int
    organizations: int


def organization_held(*, user: Any) -> list[HeldOrganization]:
    """The organizations of the user's role grants with member and branch counts in two queries."""
    scope = scope_for(user)
    if scope.tenant_id is None or not scope.grants:
        return []
    roles_by_org: dict[int, list[str]] = {}
    for grant in scope.grants:
        roles_by_org.setdefault(grant.organization_id, []).append(grant.role)
    organizations = list(
        Organization.objects.filter(tenant_id=scope.tenant_id, pk__in=roles_by_org).order_by("path")
    )
    people = Person.objects.filter(tenant_id=scope.tenant_id, is_active=True).aggregate(
        **{
            f"o{o.pk}": Count("pk", filter=Q(organization__path__startswith=o.path))
            for o in organizations
        }
    )
    subtree = Organization.objects.filter(tenant_id=scope.tenant_id).aggregate(
        **{
            f"b{o.pk}": Count("pk", filter=Q(path__startswith=o.path, kind=OrganizationKind.BRANCH))
            for o in organizations
        },
        **{f"o{o.pk}": Count("pk", filter=Q(path__startswith=o.path)) for o in organizations},
    )
    role_order = {value: index for index, value in enumerate(Role.values)}
    return [
        HeldOrganization(
            organization=o,
            roles=[Role(r).label for r in sorted(roles_by_org[o.pk], key=lambda r: role_order[r])],
            people=people[f"o{o.pk}"],
            branches=subtree[f"b{o.pk}"],
            organizations=subtree[f"o{o.pk}"],
        )
        for o in organizations
    ]
