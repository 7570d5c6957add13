"""A running demo campaign, so the dashboards have something to show on first start."""

import datetime

from django.db import transaction

from xianfeng.campaigns.models import Campaign, CampaignTemplate, ChecklistItem, TemplateVersion
from xianfeng.campaigns.services import (
    EvidenceInput,
    campaign_create,
    item_submit,
    missing_evidence,
)
from xianfeng.campaigns.template_services import builtin_templates_load, latest_version
from xianfeng.core.models import Role, Tenant, User
from xianfeng.demo.demo import DEMO_ACCOUNTS, HIGH_SCHOOL, HIGH_SCHOOL_ORG
from xianfeng.organizations.models import Organization

DEMO_CAMPAIGN_TEMPLATE = "five_goods_five_leads"
DEMO_CAMPAIGN_NAME = f"{HIGH_SCHOOL}深入开展创先争优活动"
# Started about three months ago: the first phase is over, most of it done, some items overdue.
DEMO_CAMPAIGN_AGE_DAYS = 100


def _template_version() -> TemplateVersion:
    template = CampaignTemplate.objects.filter(tenant=None, slug=DEMO_CAMPAIGN_TEMPLATE).first()
    if template is None:
        builtin_templates_load()
        template = CampaignTemplate.objects.get(tenant=None, slug=DEMO_CAMPAIGN_TEMPLATE)
    return latest_version(template)


def demo_campaign_load(*, tenant: Tenant, today: datetime.date | None = None) -> Campaign:
    """Create the demo campaign and complete three in four of the items already due."""
    today = today or datetime.date.today()
    existing = Campaign.objects.filter(tenant=tenant, name=DEMO_CAMPAIGN_NAME).first()
    if existing is not None:
        return existing
    root = Organization.objects.get(tenant=tenant, name=HIGH_SCHOOL_ORG)
    secretary_name = next(a.username for a in DEMO_ACCOUNTS if a.role == Role.SECRETARY)
    secretary = User.objects.get(username=secretary_name)
    with transaction.atomic():
        campaign = campaign_create(
            template_version=_template_version(),
            root=root,
            name=DEMO_CAMPAIGN_NAME,
            starts_on=today - datetime.timedelta(days=DEMO_CAMPAIGN_AGE_DAYS),
            user=secretary,
        )
        due = (
            ChecklistItem.objects.filter(campaign=campaign, due_on__lt=today)
            .select_related("task", "campaign")
            .order_by("due_on", "pk")
        )
        for index, item in enumerate(due):
            if index % 4 == 3:
                continue
            needed = [
                EvidenceInput(kind=need.kind, text=f"{need.name or item.task.title}（示范材料）")
                for need in item.task.model().evidence
                for _ in range(need.min_count)
            ]
            assert not missing_evidence(item, needed)
            item_submit(
                item=item,
                user=secretary,
                evidence=needed
                or [EvidenceInput(kind="document", text="已按要求完成（示范材料）")],
                complete=True,
            )
    return campaign
