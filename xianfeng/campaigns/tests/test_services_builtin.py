"""Every built-in template that loads runs end to end on a school: all phases, every item, green."""

from __future__ import annotations

import datetime

import pytest

from xianfeng.campaigns.models import CampaignTemplate, ChecklistItem, ItemStatus
from xianfeng.campaigns.selectors import campaign_dashboard
from xianfeng.campaigns.services import EvidenceInput, campaign_create, item_submit
from xianfeng.campaigns.template_services import (
    BUILTIN_DIR,
    builtin_templates_load,
    latest_version,
)
from xianfeng.campaigns.templating.loader import validate_template_text
from xianfeng.core.models import Role
from xianfeng.people.models import PoliticalStatus, PostCategory
from xianfeng.testing import PersonFactory, School

LOADABLE = [
    path.stem
    for path in sorted(BUILTIN_DIR.glob("*.yaml"))
    if not validate_template_text(path.read_text(encoding="utf-8"))
]
START = datetime.date(2026, 3, 2)


def _people(school: School) -> None:
    """Members of every post category, a leader, a party-affairs worker and a new member."""
    for category in PostCategory.values:
        if category:
            PersonFactory(organization=school.branch, post_category=category)
    PersonFactory(organization=school.other_branch, is_leadership_member=True)
    PersonFactory(organization=school.other_branch, is_party_affairs_worker=True)
    PersonFactory(
        organization=school.group, status=PoliticalStatus.PROBATIONARY, is_new_member=True
    )


def _evidence(item: ChecklistItem) -> list[EvidenceInput]:
    return [
        EvidenceInput(kind=need.kind, text=f"{need.name or need.kind} 第 {n + 1} 份")
        for need in item.task.model().evidence
        for n in range(need.min_count)
    ]


def test_every_builtin_file_is_checked() -> None:
    # The walk-through below runs for each loadable file; an invalid one shows up here by name.
    files = sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))
    assert files, "no built-in templates"
    assert set(LOADABLE) <= set(files)


@pytest.mark.parametrize("slug", LOADABLE)
def test_builtin_template_walks_through_all_phases(slug: str, school: School) -> None:
    _people(school)
    outcomes = {o.slug: o for o in builtin_templates_load()}
    assert outcomes[slug].action == "created"
    template = CampaignTemplate.objects.get(tenant=None, slug=slug)
    assert template.is_builtin
    campaign = campaign_create(
        template_version=latest_version(template),
        root=school.school,
        name=template.name,
        starts_on=START,
        user=school.users[Role.SECRETARY],
    )
    phases = list(campaign.phases.order_by("position"))
    assert [p.slug for p in phases] == [p.slug for p in template.versions.get().model().phases]
    assert campaign.items.exists()
    assert all(campaign.starts_on <= p.starts_on for p in phases)

    secretary = school.users[Role.SECRETARY]
    for phase in phases:
        items = list(
            ChecklistItem.objects.filter(task__phase=phase)
            .select_related("task", "campaign")
            .order_by("due_on", "id")
        )
        for item in items:
            assert phase.starts_on <= item.due_on <= phase.ends_on
            item_submit(item=item, user=secretary, evidence=_evidence(item), complete=True)
        # While the phase is still running nothing of it is red: all done.
        board = campaign_dashboard(campaign=campaign, today=phase.ends_on)
        row = next(r for r in board.phases if r.phase.pk == phase.pk)
        assert row.progress.done == row.progress.total == len(items)
        assert row.progress.red == 0

    after = campaign.ends_on + datetime.timedelta(days=1)
    board = campaign_dashboard(campaign=campaign, today=after)
    assert board.overall.total == campaign.items.count()
    assert board.overall.done == board.overall.total
    assert board.overall.red == board.overall.amber == 0
    assert all(row.progress.rag == "green" for row in board.phases)
    assert all(org["progress"].rag == "green" for org in board.organizations)
    assert not campaign.items.exclude(status=ItemStatus.DONE).exists()
