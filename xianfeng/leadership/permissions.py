"""Object permissions of the 领导小组 and the 实施方案 (django-rules), loaded by LeadershipConfig.ready().

The object is the campaign, or anything that belongs to one:

- whoever sees the campaign sees its leadership group and, once published, its plan;
- whoever runs the campaign (CHANGE on its root) sets up the group and drafts, submits and
  publishes the plan;
- the plan is approved from above: CHANGE on the parent of the campaign's root, or a district
  admin holding the root; that its author may not approve it is a rule of the service.
"""

from __future__ import annotations

from typing import Any

import rules

from xianfeng.campaigns.models import Campaign
from xianfeng.core.access import Capability, scope_for
from xianfeng.core.models import Role


def campaign_of(obj: Any) -> Campaign:
    return obj if isinstance(obj, Campaign) else obj.campaign


def _parent_path(path: str) -> str | None:
    parts = [part for part in path.strip("/").split("/") if part]
    if len(parts) < 2:
        return None
    return "/" + "/".join(parts[:-1]) + "/"


@rules.predicate
def can_view(user: Any, obj: Any = None) -> bool:
    if obj is None:
        return scope_for(user).can(Capability.VIEW)
    return bool(user.has_perm("campaigns.view_campaign", campaign_of(obj)))


@rules.predicate
def can_run(user: Any, obj: Any = None) -> bool:
    scope = scope_for(user)
    if obj is None:
        return scope.can(Capability.CHANGE)
    campaign = campaign_of(obj)
    return scope.can_on(Capability.CHANGE, campaign, campaign.root.path)


@rules.predicate
def can_approve(user: Any, obj: Any = None) -> bool:
    scope = scope_for(user)
    if obj is None:
        return scope.can(Capability.CHANGE)
    campaign = campaign_of(obj)
    if not scope.owns(campaign):
        return False
    root = campaign.root.path
    if any(g.role == Role.DISTRICT_ADMIN and root.startswith(g.path) for g in scope.grants):
        return True
    parent = _parent_path(root)
    return parent is not None and scope.can(Capability.CHANGE, parent)


PERMISSIONS = {
    "leadership.view_group": can_view,
    "leadership.change_group": can_run,
    "leadership.view_plan": can_view,
    "leadership.change_plan": can_run,
    "leadership.approve_plan": can_approve,
}
