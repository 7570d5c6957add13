"""Reads of the 领导小组 and 实施方案: always through the campaign the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from xianfeng.campaigns.models import Campaign
from xianfeng.campaigns.selectors import campaign_visible
from xianfeng.core.access import restrict
from xianfeng.leadership.models import (
    ImplementationPlan,
    LeadershipGroup,
    LeadershipRole,
    WorkingGroup,
    WorkingGroupMember,
)
from xianfeng.people.models import Person


def campaigns_for(*, user: Any) -> QuerySet[Campaign]:
    return campaign_visible(user=user)


def leadership_group_of(*, campaign: Campaign) -> LeadershipGroup | None:
    return (
        LeadershipGroup.objects.filter(campaign=campaign)
        .prefetch_related(
            Prefetch("roles", LeadershipRole.objects.select_related("person")),
            Prefetch(
                "working_groups",
                WorkingGroup.objects.select_related("leader").prefetch_related(
                    Prefetch("members", WorkingGroupMember.objects.select_related("person"))
                ),
            ),
        )
        .first()
    )


def plan_of(*, campaign: Campaign) -> ImplementationPlan | None:
    return (
        ImplementationPlan.objects.filter(campaign=campaign)
        .select_related("author", "submitted_by", "approved_by")
        .first()
    )


def people_to_choose(*, user: Any) -> QuerySet[Person]:
    """The people the user may put into a leadership group: those on the rolls they can see."""
    return restrict(
        Person.objects.filter(is_active=True).select_related("organization"),
        user,
        path_field="organization__path",
    ).order_by("name_pinyin", "id")
