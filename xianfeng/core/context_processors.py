from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    url: str
    label: str | Promise
    active: bool


def _entries(request: HttpRequest, items: list[tuple[str, str | Promise]]) -> list[NavEntry]:
    resolved = []
    for url_name, label in items:
        try:
            resolved.append((reverse(url_name), label))
        except NoReverseMatch:
            # A page not installed (yet) simply has no entry; the rest of the menu still works.
            continue
    # The longest matching prefix is the current section: /people/roster/ is not /people/.
    matches = [
        url
        for url, _label in resolved
        if (request.path == url if url == "/" else request.path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    return [NavEntry(url=url, label=label, active=url == current) for url, label in resolved]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the signed-in user's roles allow."""
    from xianfeng.core.access import Capability, scope_for
    from xianfeng.core.models import Role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "user_menu": [], "user_roles": []}
    scope = scope_for(user)
    items: list[tuple[str, str | Promise]] = [("home", _("首页"))]
    if scope.can(Capability.VIEW):
        items += [("organizations:tree", _("组织架构")), ("people:list", _("人员名册"))]
        items.append(("campaigns:list", _("主题活动")))
        items.append(("functional_groups:list", _("功能党小组")))
    if scope.can(Capability.IMPORT):
        items.append(("roster:import", _("花名册导入")))
    if scope.can(Capability.MANAGE_USERS):
        items.append(("core:users", _("账号与角色")))
    if scope.can(Capability.VIEW_AUDIT):
        items.append(("core:audit", _("审计日志")))
    user_menu = _entries(request, [("core:tokens", _("访问令牌"))])
    roles = [Role(role).label for role in Role.values if role in scope.roles]
    return {"nav": _entries(request, items), "user_menu": user_menu, "user_roles": roles}
