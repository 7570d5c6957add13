"""Object permissions of templates and campaigns (django-rules), loaded by CampaignsConfig.ready().

The module is not called rules.py because xianfeng/campaigns/rules/ is the rules engine's package.

- a campaign is seen by everyone inside its subtree and by whoever holds the subtree from above;
  its dashboard needs VIEW on the root, running it (通报, 督办, 发布) CHANGE on the root;
- an item is completed by its owner: the person, or a secretary (CHANGE) or group leader holding
  the item's organization;
- templates are tenant-wide: everyone with a role reads them, secretaries and district admins
  copy, edit and import; shared (built-in) templates are read-only.
"""

from __future__ import annotations

from typing import Any

import rules

from xianfeng.core.access import Capability, UserScope, scope_for
from xianfeng.core.models import Role
from xianfeng.core.rules import can_change, can_view


def holds(scope: UserScope, path: str) -> bool:
    """Whether the user runs the organization at `path`: CHANGE on it, or its group leader."""
    if scope.can(Capability.CHANGE, path):
        return True
    return any(g.role == Role.GROUP_LEADER and path.startswith(g.path) for g in scope.grants)


@rules.predicate
def can_view_campaign(user: Any, campaign: Any = None) -> bool:
    scope = scope_for(user)
    if campaign is None:
        return scope.can(Capability.VIEW)
    return scope.owns(campaign) and scope.overlaps(Capability.VIEW, campaign.root.path)


@rules.predicate
def can_view_item(user: Any, item: Any = None) -> bool:
    scope = scope_for(user)
    if item is None:
        return scope.can(Capability.VIEW)
    if not scope.owns(item):
        return False
    if item.person_id is not None and item.person.user_id == user.pk:
        return True
    return scope.can(Capability.VIEW, item.organization.path)


@rules.predicate
def can_complete_item(user: Any, item: Any = None) -> bool:
    scope = scope_for(user)
    if item is None:
        return scope.can(Capability.VIEW)
    if not scope.owns(item):
        return False
    if item.person_id is not None and item.person.user_id == user.pk:
        return True
    return holds(scope, item.organization.path)


@rules.predicate
def can_reopen_item(user: Any, item: Any = None) -> bool:
    scope = scope_for(user)
    if item is None:
        return scope.can(Capability.CHANGE)
    return scope.can_on(Capability.CHANGE, item, item.organization.path)


@rules.predicate
def can_reply_reminder(user: Any, reminder: Any = None) -> bool:
    scope = scope_for(user)
    if reminder is None:
        return scope.can(Capability.VIEW)
    return scope.owns(reminder) and holds(scope, reminder.organization.path)


@rules.predicate
def can_view_template(user: Any, template: Any = None) -> bool:
    scope = scope_for(user)
    if not scope.can(Capability.VIEW):
        return False
    return template is None or template.tenant_id in (None, scope.tenant_id)


@rules.predicate
def can_copy_template(user: Any, template: Any = None) -> bool:
    scope = scope_for(user)
    if not scope.can(Capability.CHANGE):
        return False
    return template is None or template.tenant_id in (None, scope.tenant_id)


@rules.predicate
def can_change_template(user: Any, template: Any = None) -> bool:
    scope = scope_for(user)
    if not scope.can(Capability.CHANGE):
        return False
    return template is None or (
        template.tenant_id is not None and template.tenant_id == scope.tenant_id
    )


PERMISSIONS = {
    "campaigns.view_campaign": can_view_campaign,
    # A campaign is scoped by its root (Campaign.organization), so the core predicates serve.
    "campaigns.oversee_campaign": can_view,
    "campaigns.change_campaign": can_change,
    "campaigns.add_campaign": can_change,
    "campaigns.view_item": can_view_item,
    "campaigns.complete_item": can_complete_item,
    "campaigns.reopen_item": can_reopen_item,
    "campaigns.reply_reminder": can_reply_reminder,
    "campaigns.view_template": can_view_template,
    "campaigns.copy_template": can_copy_template,
    "campaigns.change_template": can_change_template,
    "campaigns.import_template": can_change_template,
}
