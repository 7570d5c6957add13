import datetime

import pytest

from xianfeng.campaigns.models import ChecklistItem, ItemStatus
from xianfeng.demo.campaign import DEMO_CAMPAIGN_NAME, demo_campaign_load
from xianfeng.demo.demo import demo_load

pytestmark = pytest.mark.django_db


def test_demo_campaign_has_done_and_overdue_items_and_loads_once():
    today = datetime.date(2026, 11, 22)
    summary = demo_load(today=today)
    assert summary is not None
    campaign = demo_campaign_load(tenant=summary.tenant, today=today)
    assert campaign.name == DEMO_CAMPAIGN_NAME
    items = ChecklistItem.objects.filter(campaign=campaign)
    due = items.filter(due_on__lt=today)
    done = due.filter(status=ItemStatus.DONE).count()
    assert due.count() > 0
    assert 0 < done < due.count()  # some done, some overdue: the dashboard shows both colours
    for item in items.filter(status=ItemStatus.DONE).select_related("task")[:20]:
        assert item.evidence.exists()
    again = demo_campaign_load(tenant=summary.tenant, today=today)
    assert again.pk == campaign.pk
    assert ChecklistItem.objects.filter(campaign=campaign).count() == items.count()
