"""Reads of 功能党小组组建: what a user may see, the roster, a member's own part."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from xianfeng.campaigns.selectors import campaign_visible
from xianfeng.core.access import Capability, restrict, scope_for
from xianfeng.functional_groups.models import (
    FunctionalGroupDrive,
    Nomination,
    ProposedGroup,
    SignUp,
    VoterReceipt,
)
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.people.models import PARTY_STATUSES, Person


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def drive_visible(*, user: Any) -> QuerySet[FunctionalGroupDrive]:
    """Drives of branches the user holds from above, plus those of the branch the user is inside."""
    base = FunctionalGroupDrive.objects.select_related("branch", "campaign")
    scope = scope_for(user)
    within = restrict(base, user, path_field="branch__path")
    if scope.tenant_id is None:
        return within
    covering = [a for path in scope.paths(Capability.VIEW) for a in _ancestor_paths(path)]
    return within | base.filter(tenant_id=scope.tenant_id, branch__path__in=covering)


def group_visible(*, user: Any) -> QuerySet[ProposedGroup]:
    return ProposedGroup.objects.filter(drive__in=drive_visible(user=user)).select_related(
        "drive__branch", "leader"
    )


def branches_to_run(*, user: Any) -> QuerySet[Organization]:
    return restrict(
        Organization.objects.filter(kind=OrganizationKind.BRANCH),
        user,
        path_field="path",
        capability=Capability.CHANGE,
    ).order_by("path")


def campaigns_to_link(*, user: Any) -> QuerySet[Any]:
    return campaign_visible(user=user).order_by("-starts_on", "-id")


def drive_groups(*, drive: FunctionalGroupDrive) -> list[ProposedGroup]:
    """The groups with their roster and nominees, for the drive's page and the board."""
    return list(
        drive.groups.select_related("leader", "organization")
        .prefetch_related(
            Prefetch(
                "signups",
                SignUp.objects.select_related("person").order_by("person__name_pinyin", "id"),
            ),
            Prefetch("nominations", Nomination.objects.select_related("person").order_by("id")),
        )
        .annotate(voter_count=Count("receipts", distinct=True))
        .order_by("sort_order", "id")
    )


def eligible_people(*, drive: FunctionalGroupDrive, user: Any) -> QuerySet[Person]:
    """The branch's party members on the rolls, as far as the user sees them."""
    return restrict(
        Person.objects.filter(
            tenant_id=drive.tenant_id,
            organization__path__startswith=drive.branch.path,
            status__in=sorted(PARTY_STATUSES),
            is_active=True,
        ).select_related("organization"),
        user,
        path_field="organization__path",
    ).order_by("name_pinyin", "id")


@dataclass(frozen=True)
class MyPart:
    """What a member has done in a drive: the group signed up for, self-nomination, vote."""

    signup: SignUp | None
    nominated: bool
    voted: bool


def my_part(*, drive: FunctionalGroupDrive, person: Person | None) -> MyPart:
    if person is None:
        return MyPart(signup=None, nominated=False, voted=False)
    signup = SignUp.objects.filter(drive=drive, person=person).select_related("group").first()
    if signup is None:
        return MyPart(signup=None, nominated=False, voted=False)
    return MyPart(
        signup=signup,
        nominated=Nomination.objects.filter(group=signup.group, person=person).exists(),
        voted=VoterReceipt.objects.filter(group=signup.group, person=person).exists(),
    )


def unassigned_people(*, drive: FunctionalGroupDrive, user: Any) -> QuerySet[Person]:
    return eligible_people(drive=drive, user=user).exclude(Q(functional_signups__drive=drive))
