"""Object permissions of 功能党小组组建 (django-rules), loaded by FunctionalGroupsConfig.ready().

The object is a drive or anything that belongs to one (a proposed group, a sign-up):

- the drive is seen by whoever holds its branch from above and by everyone inside the branch;
- the branch's secretary (CHANGE on the branch) runs it: proposes, opens and closes each step,
  settles the roster, decides a tie and publishes;
- signing up, nominating oneself and voting are for the branch's party members (正式党员 and
  预备党员) themselves, through the person their account belongs to: activists, the masses and
  accounts without a person take no part.
"""

from __future__ import annotations

from typing import Any

import rules

from xianfeng.core.access import Capability, scope_for
from xianfeng.core.rules import can_change
from xianfeng.people.models import PARTY_STATUSES, Person


def drive_of(obj: Any) -> Any:
    from xianfeng.functional_groups.models import FunctionalGroupDrive

    if isinstance(obj, FunctionalGroupDrive):
        return obj
    return obj.drive


def person_of(user: Any) -> Person | None:
    """The roll entry the account belongs to, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_xianfeng_person"):
        cached: Person | None = user._xianfeng_person
        return cached
    person = Person.objects.filter(user=user).select_related("organization").first()
    user._xianfeng_person = person
    return person


def is_branch_party_member(person: Person | None, drive: Any) -> bool:
    return (
        person is not None
        and person.is_active
        and person.tenant_id == drive.tenant_id
        and person.status in PARTY_STATUSES
        and person.organization.path.startswith(drive.branch.path)
    )


@rules.predicate
def can_view_drive(user: Any, obj: Any = None) -> bool:
    scope = scope_for(user)
    if obj is None:
        return scope.can(Capability.VIEW)
    drive = drive_of(obj)
    return scope.owns(drive) and scope.overlaps(Capability.VIEW, drive.branch.path)


@rules.predicate
def can_run_drive(user: Any, obj: Any = None) -> bool:
    scope = scope_for(user)
    if obj is None:
        return scope.can(Capability.CHANGE)
    drive = drive_of(obj)
    return scope.can_on(Capability.CHANGE, drive, drive.branch.path)


@rules.predicate
def can_take_part(user: Any, obj: Any = None) -> bool:
    person = person_of(user)
    if obj is None:
        return person is not None and person.status in PARTY_STATUSES
    drive = drive_of(obj)
    return can_view_drive(user, drive) and is_branch_party_member(person, drive)


PERMISSIONS = {
    "functional_groups.view_drive": can_view_drive,
    "functional_groups.change_drive": can_run_drive,
    "functional_groups.add_drive": can_change,
    "functional_groups.take_part": can_take_part,
}
