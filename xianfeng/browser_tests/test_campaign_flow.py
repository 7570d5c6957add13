"""A secretary starts a campaign from a template, completes an overdue task with evidence and
watches the dashboard turn from red to green."""

import datetime
import re
import struct
import zlib

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from xianfeng.browser_tests.conftest import log_in
from xianfeng.campaigns.models import Campaign, ItemStatus
from xianfeng.campaigns.template_services import template_import
from xianfeng.core.models import Role
from xianfeng.testing import School

pytestmark = pytest.mark.browser

# Two tasks for the school itself: the plan is due two days in and needs minutes and a photo; the
# summary is due at the end of the month, far enough away to stay green.
TEMPLATE = """\
slug: browser_flow
name: 浏览器测试活动
theme: 测试主题
phases:
  - slug: only
    name: 唯一阶段
    starts: {offset_days: 0}
    duration_days: 30
    tasks:
      - slug: plan
        title: 制定实施方案
        responsible: {unit: office}
        due: {offset_days: 2}
        evidence:
          - {kind: minutes}
          - {kind: photo}
      - slug: summary
        title: 撰写活动总结
        responsible: {unit: office}
        due: {at_phase_end: true}
"""
CAMPAIGN_NAME = "春季先锋行动"
# Started five days ago, the plan fell due three days ago: red from the first look.
STARTED_DAYS_AGO = 5


def _png() -> bytes:
    """A 1×1 white PNG, built here so the test needs no file on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _stat(page: Page, name: str) -> Locator:
    return page.locator(f'[data-stat="{name}"] strong')


def test_overdue_task_completed_with_evidence_turns_the_dashboard_green(
    page: Page, school: School
) -> None:
    secretary = school.users[Role.SECRETARY]
    template_import(tenant=school.tenant, text=TEMPLATE, user=secretary)
    starts_on = timezone.localdate() - datetime.timedelta(days=STARTED_DAYS_AGO)

    log_in(page, secretary.username)
    # A phone: the navigation sits behind the menu button.
    page.get_by_text("菜单").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="主题活动").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("主题活动")
    page.get_by_role("link", name="开展新活动").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("开展新活动")
    page.get_by_label("活动模板").select_option(label="浏览器测试活动")
    # The choices are indented by depth, the way the tree shows in a plain select.
    indent = "\u3000" * school.school.depth
    page.get_by_label("开展组织").select_option(label=f"{indent}{school.school.name}")
    page.get_by_label("活动名称").fill(CAMPAIGN_NAME)
    page.get_by_label("开始日期").fill(starts_on.isoformat())
    expect(page.get_by_label("立即发布")).to_be_checked()
    page.get_by_role("button", name="创建活动").click()

    expect(page.get_by_role("main")).to_contain_text(f"已创建活动“{CAMPAIGN_NAME}”，生成 2 项")
    campaign = Campaign.objects.get(tenant=school.tenant, name=CAMPAIGN_NAME)
    assert campaign.starts_on == starts_on

    page.get_by_role("link", name="进度看板").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("进度看板")
    unit = page.locator(f'tr[data-organization="{school.school.pk}"]')
    expect(unit).to_have_attribute("data-rag", "red")
    expect(page.locator('li[data-task="plan"]')).to_have_attribute("data-rag", "red")
    expect(page.locator('li[data-task="summary"]')).to_have_attribute("data-rag", "green")
    expect(_stat(page, "total")).to_have_text("2")
    expect(_stat(page, "done")).to_have_text("0")
    expect(_stat(page, "red")).to_have_text("1")

    overdue = page.locator("tr[data-item]")
    expect(overdue).to_have_count(1)
    overdue.get_by_role("link", name="制定实施方案").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("逾期")
    expect(page.get_by_role("main")).to_contain_text("完成前还需要：会议记录、照片")
    page.get_by_label("会议记录 · 文字说明").fill("3 月 2 日支委会讨论通过实施方案。")
    page.get_by_label("照片 · 上传文件").set_input_files(
        files=[{"name": "支委会.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="提交并完成").click()

    expect(page.get_by_role("main")).to_contain_text("已完成该事项。")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已完成")
    expect(page.get_by_role("link", name="支委会.png")).to_be_visible()
    item = campaign.items.get(task__slug="plan")
    assert item.status == ItemStatus.DONE
    assert sorted(item.evidence.values_list("kind", flat=True)) == ["minutes", "photo"]

    page.get_by_role("navigation", name="位置").get_by_role("link", name=CAMPAIGN_NAME).click()
    page.get_by_role("link", name="进度看板").click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/dashboard/$"))
    expect(unit).to_have_attribute("data-rag", "green")
    expect(page.locator('li[data-task="plan"]')).to_have_attribute("data-rag", "green")
    expect(_stat(page, "done")).to_have_text("1")
    expect(_stat(page, "red")).to_have_text("0")
    expect(page.locator("tr[data-item]")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("没有逾期事项。")
