"""Test helpers: templates from YAML text, campaigns on build_school()'s tree, bigger schools."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xianfeng.campaigns.models import Campaign, CampaignTemplate, ChecklistItem
from xianfeng.campaigns.services import EvidenceInput, campaign_create
from xianfeng.campaigns.template_services import latest_version, template_import
from xianfeng.core.models import Role
from xianfeng.testing import PersonFactory, School

EXAMPLES = Path(__file__).resolve().parent.parent / "templating" / "examples"
MINIMAL = (EXAMPLES / "minimal.yaml").read_text(encoding="utf-8")
START = datetime.date(2026, 3, 2)

# A small template whose shape the tests know exactly: one phase of three months with a monthly
# task per branch, a once task per member with evidence, and one for the office.
SMALL = """\
slug: small_campaign
name: 小型测试活动
theme: 测试主题
phases:
  - slug: first
    name: 第一阶段
    starts: {offset_days: 0}
    duration_days: 92
    tasks:
      - slug: monthly_meeting
        title: 每月支部会议
        responsible: {unit: each_organization, organization_kind: branch}
        cadence: monthly
        evidence:
          - {kind: minutes}
      - slug: member_notes
        title: 读书笔记
        responsible: {unit: each_member}
        due: {offset_days: 14}
        evidence:
          - {kind: notes}
          - {kind: photo, min_count: 2}
      - slug: plan
        title: 制定方案
        responsible: {unit: office}
        due: {offset_days: 7}
  - slug: second
    name: 第二阶段
    starts: {offset_days: 92}
    duration_days: 30
    tasks:
      - slug: leaders_talk
        title: 领导谈心
        responsible: {unit: each_leader}
      - slug: group_meeting
        title: 党小组会
        responsible: {unit: each_organization, organization_kind: group}
"""


def tenant_template(school: School, text: str = SMALL) -> CampaignTemplate:
    return template_import(
        tenant=school.tenant, text=text, user=school.users[Role.SECRETARY]
    ).template


def make_campaign(
    school: School, text: str = SMALL, starts_on: datetime.date = START, **options: Any
) -> Campaign:
    template = tenant_template(school, text)
    return campaign_create(
        template_version=latest_version(template),
        root=school.school,
        name=options.pop("name", "测试活动"),
        starts_on=starts_on,
        user=school.users[Role.SECRETARY],
        **options,
    )


def add_members(school: School, count: int) -> None:
    branches = [school.branch, school.other_branch, school.group]
    for i in range(count):
        PersonFactory(organization=branches[i % len(branches)], name=f"党员{i:03d}")


def evidence_for(item: ChecklistItem) -> list[EvidenceInput]:
    """Exactly the evidence an item's task requires, as small uploaded files."""
    pieces = []
    for need in item.task.model().evidence:
        for n in range(need.min_count):
            upload = SimpleUploadedFile(f"{need.kind}-{n}.pdf", b"%PDF-1.4 test", "application/pdf")
            pieces.append(EvidenceInput(kind=need.kind, text="", file=upload))
    return pieces
