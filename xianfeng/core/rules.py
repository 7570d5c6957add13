"""Object permissions, declared once for the UI and the API (django-rules)."""

from typing import Any

import rules

from xianfeng.core.access import Capability, organization_path_of, scope_for


def _capability(capability: Capability) -> Any:
    @rules.predicate(name=f"has_{capability.value}")
    def predicate(user: Any, obj: Any = None) -> bool:
        scope = scope_for(user)
        if obj is None:
            return scope.can(capability)
        path = organization_path_of(obj)
        return path is not None and scope.can_on(capability, obj, path)

    return predicate


can_view = _capability(Capability.VIEW)
can_change = _capability(Capability.CHANGE)
can_import = _capability(Capability.IMPORT)
can_view_phone = _capability(Capability.VIEW_PHONE)
can_manage_users = _capability(Capability.MANAGE_USERS)
can_view_audit = _capability(Capability.VIEW_AUDIT)

rules.add_perm("organizations.view_organization", can_view)
rules.add_perm("organizations.change_organization", can_change)
rules.add_perm("organizations.add_organization", can_change)
rules.add_perm("organizations.delete_organization", can_change)
rules.add_perm("people.view_person", can_view)
rules.add_perm("people.change_person", can_change)
rules.add_perm("people.add_person", can_change)
rules.add_perm("people.delete_person", can_change)
rules.add_perm("people.import_roster", can_import)
rules.add_perm("people.view_phone", can_view_phone)
rules.add_perm("core.manage_users", can_manage_users)
rules.add_perm("core.view_audit", can_view_audit)


def add_perms(permissions: dict[str, Any]) -> None:
    """Register an app's permissions once (AppConfig.ready may run more than once in tests)."""
    for name, predicate in permissions.items():
        if not rules.perm_exists(name):
            rules.add_perm(name, predicate)
