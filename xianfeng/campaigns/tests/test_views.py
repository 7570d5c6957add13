"""Pages: who sees what, the dashboard's query count, completing with files, template editing."""

from __future__ import annotations

import html
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianfeng.campaigns.models import (
    Campaign,
    CampaignTemplate,
    Circular,
    ItemStatus,
    Reminder,
    ReminderStatus,
    TemplateVersion,
)
from xianfeng.campaigns.services import EvidenceInput, item_submit
from xianfeng.campaigns.template_services import latest_version, template_import
from xianfeng.campaigns.tests.helpers import (
    MINIMAL,
    SMALL,
    add_members,
    make_campaign,
    tenant_template,
)
from xianfeng.core.models import Role
from xianfeng.testing import School


def login(client: Client, school: School, role: str) -> Client:
    client.force_login(school.users[role])
    return client


def test_nav_has_campaigns(school: School, client: Client) -> None:
    page = login(client, school, Role.MEMBER).get(reverse("campaigns:list"))
    assert "主题活动" in page.content.decode()


def test_secretary_creates_a_campaign_through_the_form(school: School, client: Client) -> None:
    template = tenant_template(school)
    login(client, school, Role.SECRETARY)
    form = client.get(reverse("campaigns:create") + f"?template={template.pk}")
    assert form.status_code == 200 and "小型测试活动" in form.content.decode()
    response = client.post(
        reverse("campaigns:create"),
        {
            "template": template.pk,
            "root": school.school.pk,
            "name": "春季活动",
            "starts_on": "2026-03-02",
            "publish": "on",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:detail", args=[campaign.pk]
    )
    assert campaign.items.count() == 9
    page = client.get(response["Location"]).content.decode()
    assert "春季活动" in page and "每月支部会议" in page and "进度看板" in page


def test_member_cannot_create_and_other_tenant_is_404(
    school: School, other_school: School, client: Client
) -> None:
    campaign = make_campaign(school)
    login(client, school, Role.MEMBER)
    assert client.get(reverse("campaigns:create")).status_code == 403
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("campaigns:dashboard", args=[campaign.pk])).status_code == 403
    login(client, other_school, Role.DISTRICT_ADMIN)
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaigns:dashboard", args=[campaign.pk])).status_code == 404
    item = campaign.items.first()
    assert client.get(reverse("campaigns:item", args=[item.pk])).status_code == 404
    template = campaign.template_version.template
    assert client.get(reverse("campaigns:template_detail", args=[template.pk])).status_code == 404
    assert "小型测试活动" not in client.get(reverse("campaigns:templates")).content.decode()


def _dashboard_queries(client: Client, campaign: Campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:dashboard", args=[campaign.pk]))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_items(school: School, client: Client) -> None:
    login(client, school, Role.SECRETARY)
    small = make_campaign(school, name="一倍")
    add_members(school, 30)
    big = make_campaign(school, name="十倍")
    assert big.items.count() >= 4 * small.items.count()
    # Some overdue items in both, so the overdue list is filled.
    for campaign in (small, big):
        campaign.items.update(due_on="2020-01-01")
    assert _dashboard_queries(client, small) == _dashboard_queries(client, big)


def test_dashboard_shows_red_amber_green_and_loads_echarts(school: School, client: Client) -> None:
    campaign = make_campaign(school)
    campaign.items.filter(task__slug="member_notes").update(due_on="2020-01-01")
    page = login(client, school, Role.SECRETARY).get(
        reverse("campaigns:dashboard", args=[campaign.pk])
    )
    text = page.content.decode()
    assert "vendor/echarts.min.js" in text
    assert "phase-chart-data" in text
    assert "逾期事项" in text and "读书笔记" in text
    other = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "echarts" not in other


def test_member_completes_their_item_with_files(
    school: School, client: Client, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    campaign = make_campaign(school)
    item = campaign.items.get(task__slug="member_notes")
    login(client, school, Role.MEMBER)
    mine = client.get(reverse("campaigns:my_tasks")).content.decode()
    assert "读书笔记" in mine
    url = reverse("campaigns:item_complete", args=[item.pk])
    refused = client.post(url, {"action": "complete", "notes_text": "笔记一篇"})
    assert refused.status_code == 400
    assert "还缺少以下佐证材料，不能完成：照片（还差 2 份）" in refused.content.decode()
    assert not item.evidence.exists()
    photos = [SimpleUploadedFile(f"p{i}.jpg", b"\xff\xd8\xff test", "image/jpeg") for i in range(2)]
    done = client.post(url, {"action": "complete", "notes_text": "笔记一篇", "photo_files": photos})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.evidence.count() == 3
    photo = item.evidence.exclude(file="").first()
    served = client.get(reverse("campaigns:evidence_file", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == b"\xff\xd8\xff test"


def test_evidence_is_served_only_to_those_who_see_the_item(
    school: School, other_school: School, client: Client, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    campaign = make_campaign(school)
    item = campaign.items.get(task__slug="plan")  # on the school, above the member's branch
    upload = SimpleUploadedFile("方案.pdf", b"%PDF", "application/pdf")
    item_submit(
        item=item,
        user=school.users[Role.SECRETARY],
        evidence=[EvidenceInput(kind="plan", file=upload)],
    )
    evidence = item.evidence.get()
    url = reverse("campaigns:evidence_file", args=[evidence.pk])
    assert login(client, school, Role.INSPECTOR).get(url).status_code == 200
    assert login(client, school, Role.MEMBER).get(url).status_code == 404
    assert login(client, other_school, Role.DISTRICT_ADMIN).get(url).status_code == 404


def test_others_cannot_complete_an_item(school: School, client: Client) -> None:
    campaign = make_campaign(school)
    item = campaign.items.get(task__slug="member_notes")
    url = reverse("campaigns:item_complete", args=[item.pk])
    assert (
        login(client, school, Role.INSPECTOR)
        .post(url, {"action": "save", "notes_text": "x"})
        .status_code
        == 403
    )
    assert (
        login(client, school, Role.GROUP_LEADER)
        .post(url, {"action": "save", "notes_text": "x"})
        .status_code
        == 302
    )


def test_circular_and_reminder_from_the_dashboard(school: School, client: Client) -> None:
    campaign = make_campaign(school)
    login(client, school, Role.DISTRICT_ADMIN)
    response = client.post(
        reverse("campaigns:circular_create", args=[campaign.pk]),
        {"title": "进展通报", "body": "语文支部进度较快。"},
    )
    assert response.status_code == 302
    assert Circular.objects.filter(campaign=campaign).count() == 1
    item = campaign.items.filter(organization=school.branch).first()
    form = client.get(reverse("campaigns:reminder_create", args=[campaign.pk]) + f"?item={item.pk}")
    assert "请抓紧办理" in form.content.decode()
    response = client.post(
        reverse("campaigns:reminder_create", args=[campaign.pk]),
        {
            "organization": school.branch.pk,
            "item": item.pk,
            "message": "请说明进度。",
            "reply_due_on": "2099-01-01",
        },
    )
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert reminder.item_id == item.pk
    # The school's secretary runs the branch: the reminder waits for their reply.
    login(client, school, Role.SECRETARY)
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "待回复的督办" in detail and "请说明进度" in detail
    assert "进展通报" in detail
    assert "待回复的督办" in client.get(reverse("campaigns:my_tasks")).content.decode()
    response = client.post(
        reverse("campaigns:reminder_reply", args=[reminder.pk]), {"reply": "本周内完成。"}
    )
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.REPLIED and reminder.reply == "本周内完成。"
    # The member sees the circular but may not reply for the branch.
    login(client, school, Role.MEMBER)
    assert (
        "进展通报" in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    )
    assert (
        client.post(
            reverse("campaigns:reminder_reply", args=[reminder.pk]), {"reply": "x"}
        ).status_code
        == 403
    )


def test_template_pages_read_every_part(school: School, client: Client) -> None:
    template = tenant_template(school, MINIMAL)
    page = login(client, school, Role.MEMBER).get(
        reverse("campaigns:template_detail", args=[template.pk])
    )
    text = html.unescape(page.content.decode())
    for words in (
        "保持共产党员先进性",
        "树立先进教育教学理念",
        "召开动员大会",
        "每个党支部",
        "签到表、照片 2 份",
        "民主评议党员",
        "多数师生员工不满意",
        "当 ballots.dissatisfied / ballots.total > 50% 时：补课",
        "公示 5 个工作日",
        "优秀党员推荐名额",
    ):
        assert words in text, words
    assert "编辑 YAML" not in text
    export = client.get(reverse("campaigns:template_export", args=[template.pk]))
    assert export["Content-Type"].startswith("application/yaml")
    assert export.content.decode() == latest_version(template).yaml_text


def test_yaml_editor_shows_every_error_in_chinese(school: School, client: Client) -> None:
    template = tenant_template(school)
    login(client, school, Role.SECRETARY)
    url = reverse("campaigns:template_edit", args=[template.pk])
    assert 'class="code"' in client.get(url).content.decode()
    broken = SMALL.replace("duration_days: 92", "duration_days: 九十").replace(
        "cadence: monthly", "cadence: daily"
    )
    response = client.post(url, {"yaml": broken, "note": ""})
    text = response.content.decode()
    assert response.status_code == 400
    assert "模板有 2 处错误" in text
    assert "phases[0].duration_days" in text and "应为整数" in text and "第 8 行" in text
    assert "phases[0].tasks[0].cadence" in text
    assert template.versions.count() == 1
    good = SMALL.replace("theme: 测试主题", "theme: 新主题")
    assert client.post(url, {"yaml": good, "note": "改主题"}).status_code == 302
    assert latest_version(template).model().theme == "新主题"


def test_structured_edits_save_new_versions(school: School, client: Client) -> None:
    template = tenant_template(school, MINIMAL)
    login(client, school, Role.SECRETARY)
    response = client.post(
        reverse("campaigns:template_phase_edit", args=[template.pk, "mobilize"]),
        {
            "name": "学习动员",
            "description": "",
            "starts_mode": "offset",
            "starts_offset_days": "0",
            "ends_mode": "duration",
            "duration_days": "45",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("campaigns:template_task_edit", args=[template.pk, "kickoff_meeting"]),
        {
            "title": "召开动员大会",
            "description": "全体党员参加",
            "due_kind": "offset",
            "due_offset_days": "10",
            "cadence": "once",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("campaigns:template_criterion_edit", args=[template.pk, "five_leads", "serve"]),
        {"name": "带头服务群众", "text": "带头服务群众，做群众的贴心人。"},
    )
    assert response.status_code == 302
    model = latest_version(template).model()
    assert template.versions.count() == 4
    assert model.phase("mobilize").duration_days == 45
    assert model.phases[0].tasks[0].due.offset_days == 10
    assert model.standard_set("five_leads").criteria[1].text == "带头服务群众，做群众的贴心人。"
    refused = client.post(
        reverse("campaigns:template_task_edit", args=[template.pk, "kickoff_meeting"]),
        {
            "title": "召开动员大会",
            "description": "",
            "due_kind": "date",
            "due_date": "2026-01-01",
            "cadence": "once",
        },
    )
    assert refused.status_code == 400 and "不能用固定日期" in refused.content.decode()
    assert template.versions.count() == 4


def test_copy_and_import_pages(school: School, client: Client) -> None:
    shared = SMALL.replace("slug: small_campaign", "slug: shared_small")
    builtin = template_import(tenant=None, text=shared, user=None, builtin=True).template
    login(client, school, Role.SECRETARY)
    assert (
        "编辑 YAML"
        not in client.get(reverse("campaigns:template_detail", args=[builtin.pk])).content.decode()
    )
    source = tenant_template(school)
    response = client.post(
        reverse("campaigns:template_copy", args=[source.pk]),
        {"slug": "my_copy", "name": "我的副本"},
    )
    copy = CampaignTemplate.objects.get(slug="my_copy")
    assert response["Location"] == reverse("campaigns:template_detail", args=[copy.pk])
    before = TemplateVersion.objects.count()
    broken = SMALL.replace("slug: small_campaign", "slug: x").replace("theme: 测试主题\n", "")
    upload = SimpleUploadedFile("t.yaml", broken.encode(), "application/yaml")
    response = client.post(reverse("campaigns:template_import"), {"file": upload})
    assert (
        response.status_code == 400
        and "theme" in response.content.decode()
        and "缺少必填项" in response.content.decode()
    )
    assert TemplateVersion.objects.count() == before
    text = SMALL.replace("slug: small_campaign", "slug: imported")
    response = client.post(reverse("campaigns:template_import"), {"yaml": text})
    assert response.status_code == 302
    assert CampaignTemplate.objects.get(slug="imported").tenant_id == school.tenant.pk
    login(client, school, Role.MEMBER)
    assert client.get(reverse("campaigns:template_import")).status_code == 403
    assert client.get(reverse("campaigns:template_copy", args=[source.pk])).status_code == 403


def test_campaign_page_leads_to_its_leadership_group_and_plan(
    school: School, client: Client
) -> None:
    campaign = make_campaign(school)
    page = login(client, school, Role.MEMBER).get(reverse("campaigns:detail", args=[campaign.pk]))
    text = page.content.decode()
    for target in (
        reverse("leadership:group", args=[campaign.pk]),
        reverse("leadership:plan", args=[campaign.pk]),
    ):
        assert f'href="{target}"' in text
        assert client.get(target).status_code == 200
