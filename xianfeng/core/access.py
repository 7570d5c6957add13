"""Who may see and change what: one scope per user, one helper per object type.

A user holds roles over organization subtrees (RoleGrant). Everything an object-level check needs is
the object's organization path, so scoping is one tenant filter plus path prefixes, and another
school's object is simply not in the queryset (404) while a forbidden action on a visible object is
a 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from xianfeng.core.models import Role, RoleGrant

if TYPE_CHECKING:
    from xianfeng.organizations.models import Organization


class Capability(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    IMPORT = "import"
    VIEW_PHONE = "view_phone"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.DISTRICT_ADMIN: frozenset(Capability),
    Role.INSPECTOR: frozenset({Capability.VIEW}),
    Role.LEADER: frozenset({Capability.VIEW}),
    Role.SECRETARY: frozenset(
        {Capability.VIEW, Capability.CHANGE, Capability.IMPORT, Capability.VIEW_PHONE}
    ),
    Role.GROUP_LEADER: frozenset({Capability.VIEW}),
    Role.MEMBER: frozenset({Capability.VIEW}),
}


@dataclass(frozen=True)
class Grant:
    role: str
    organization_id: int
    path: str


@dataclass
class UserScope:
    """The roles one user holds, loaded once per request."""

    user_id: int | None
    tenant_id: int | None
    grants: list[Grant] = field(default_factory=list)

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def paths(self, capability: Capability) -> list[str]:
        paths = sorted({g.path for g in self.grants if capability in ROLE_CAPABILITIES[g.role]})
        # Drop paths inside another path: the outer one already covers them.
        return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]

    def can(self, capability: Capability, path: str | None = None) -> bool:
        """May the user do this at the organization with this path (or anywhere, if path is None)?"""
        return any(path is None or path.startswith(p) for p in self.paths(capability))

    def owns(self, obj: Any) -> bool:
        """Whether the object belongs to the user's tenant: the first check of every object rule."""
        return self.tenant_id is not None and getattr(obj, "tenant_id", None) == self.tenant_id

    def can_on(self, capability: Capability, obj: Any, path: str) -> bool:
        """The capability on a tenant object scoped by the organization at `path`."""
        return self.owns(obj) and self.can(capability, path)

    def overlaps(self, capability: Capability, path: str) -> bool:
        """Whether the user holds the organization at `path` from above or belongs inside it.

        A campaign or a drive is seen both by whoever holds its root and by the people of every
        organization under the root.
        """
        return any(path.startswith(p) or p.startswith(path) for p in self.paths(capability))


def scope_for(user: Any) -> UserScope:
    if not getattr(user, "is_authenticated", False):
        return UserScope(user_id=None, tenant_id=None)
    cached = getattr(user, "_xianfeng_scope", None)
    if cached is not None:
        return cached
    grants = [
        Grant(role=g.role, organization_id=g.organization_id, path=g.organization.path)
        for g in RoleGrant.objects.filter(user=user, tenant_id=user.tenant_id)
        .select_related("organization")
        .only("role", "organization_id", "organization__path")
    ]
    scope = UserScope(user_id=user.pk, tenant_id=user.tenant_id, grants=grants)
    user._xianfeng_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    if hasattr(user, "_xianfeng_scope"):
        del user._xianfeng_scope


def path_filter(paths: list[str], field_name: str = "path") -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field_name}__startswith": path})
    return condition


def restrict(
    queryset: QuerySet[Any],
    user: Any,
    *,
    path_field: str,
    capability: Capability = Capability.VIEW,
) -> QuerySet[Any]:
    """The part of a tenant-owned queryset the user may see: one tenant filter plus path prefixes."""
    scope = scope_for(user)
    if scope.tenant_id is None:
        return queryset.none()
    paths = scope.paths(capability)
    if not paths:
        return queryset.none()
    return queryset.filter(path_filter(paths, path_field), tenant_id=scope.tenant_id)


def get_visible_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("没有找到该记录，或您无权查看。") from None


def require(user: Any, perm: str, obj: Model | None = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied("您没有执行此操作的权限。")


def organization_path_of(obj: Any) -> str | None:
    """The organization path an object is scoped by (an organization is scoped by itself)."""
    from xianfeng.organizations.models import Organization

    if obj is None:
        return None
    if isinstance(obj, Organization):
        return obj.path
    organization: Organization | None = getattr(obj, "organization", None)
    return organization.path if organization is not None else None
