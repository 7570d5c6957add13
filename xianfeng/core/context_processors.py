from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the signed-in user's roles allow."""
    from xianfeng.core.access import Capability, scope_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    scope = scope_for(user)
    nav = [("home", "首页")]
    if scope.can(Capability.VIEW):
        nav += [("organizations:tree", "组织架构"), ("people:list", "人员名册")]
    if scope.can(Capability.MANAGE_USERS):
        nav.append(("core:users", "账号与角色"))
    if scope.can(Capability.VIEW_AUDIT):
        nav.append(("core:audit", "审计日志"))
    return {"nav": nav, "user_roles": sorted(scope.roles)}
