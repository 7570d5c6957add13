"""The API: templates, campaigns, items, 通报 and 督办, with the pages' permissions."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from xianfeng.campaigns.models import CampaignTemplate, ItemStatus, ReminderStatus, TemplateVersion
from xianfeng.campaigns.tests.helpers import SMALL, make_campaign, tenant_template
from xianfeng.core.models import Role
from xianfeng.testing import School

API = "/api/campaigns"


def call(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(
        method, API + path, json.dumps(body or {}), content_type="application/json"
    )


def test_templates(school: School, client: Client) -> None:
    template = tenant_template(school)
    client.force_login(school.users[Role.MEMBER])
    listed = client.get(API + "/templates").json()
    assert [(t["slug"], t["latest_version"]) for t in listed] == [("small_campaign", 1)]
    detail = client.get(f"{API}/templates/{template.pk}").json()
    assert detail["content"]["phases"][0]["slug"] == "first"
    assert [v["version"] for v in detail["versions"]] == [1]
    export = client.get(f"{API}/templates/{template.pk}/export")
    assert export.status_code == 200 and "slug: small_campaign" in export.content.decode()
    assert call(client, "POST", "/templates/import", {"yaml": SMALL}).status_code == 403


def test_import_refuses_an_invalid_template_with_every_error(
    school: School, client: Client
) -> None:
    client.force_login(school.users[Role.SECRETARY])
    broken = SMALL.replace("duration_days: 92", "duration_days: x").replace(
        "cadence: monthly", "cadence: daily"
    )
    response = call(client, "POST", "/templates/import", {"yaml": broken})
    body = response.json()
    assert response.status_code == 400
    assert body["detail"] == "模板有 2 处错误，未做任何修改。"
    assert {"path": "phases[0].duration_days", "message": "应为整数", "line": 8} in body["errors"]
    assert any(e["path"] == "phases[0].tasks[0].cadence" for e in body["errors"])
    assert not TemplateVersion.objects.exists()
    created = call(client, "POST", "/templates/import", {"yaml": SMALL})
    assert created.status_code == 201 and created.json()["created_template"]
    again = call(client, "POST", "/templates/import", {"yaml": SMALL})
    assert again.status_code == 200 and not again.json()["created_version"]
    assert CampaignTemplate.objects.get().tenant_id == school.tenant.pk


def test_create_and_read_campaigns(school: School, other_school: School, client: Client) -> None:
    template = tenant_template(school)
    body = {
        "template_id": template.pk,
        "root_id": school.school.pk,
        "name": "接口创建",
        "starts_on": "2026-03-02",
    }
    client.force_login(school.users[Role.MEMBER])
    assert call(client, "POST", "", body).status_code == 403
    client.force_login(school.users[Role.SECRETARY])
    response = call(client, "POST", "", body)
    assert response.status_code == 201
    created = response.json()
    assert [p["slug"] for p in created["phases"]] == ["first", "second"]
    assert created["template_version"] == 1 and created["status"] == "active"
    assert client.get(API).json()["count"] == 1
    assert client.get(f"{API}/{created['id']}").status_code == 200
    refused = call(client, "POST", "", {**body, "root_id": other_school.school.pk})
    assert refused.status_code == 400 and refused.json()["field"] == "root_id"
    client.force_login(other_school.users[Role.DISTRICT_ADMIN])
    assert client.get(f"{API}/{created['id']}").status_code == 404
    assert client.get(API).json()["count"] == 0


def test_items_filter_and_complete(school: School, client: Client) -> None:
    campaign = make_campaign(school)
    client.force_login(school.users[Role.MEMBER])
    mine = client.get(API + "/items?mine=true").json()
    assert [i["task_slug"] for i in mine["items"]] == ["member_notes"]
    item_id = mine["items"][0]["id"]
    refused = call(
        client,
        "POST",
        f"/items/{item_id}/complete",
        {"evidence": [{"kind": "notes", "text": "笔记"}]},
    )
    assert refused.status_code == 400 and "照片（还差 2 份）" in refused.json()["detail"]
    evidence = [{"kind": "notes", "text": "笔记"}] + [
        {"kind": "photo", "text": f"照片说明 {n}"} for n in (1, 2)
    ]
    done = call(client, "POST", f"/items/{item_id}/complete", {"evidence": evidence})
    assert done.status_code == 200 and done.json()["status"] == ItemStatus.DONE
    client.force_login(school.users[Role.SECRETARY])
    every = client.get(f"{API}/items?campaign={campaign.pk}").json()
    assert every["count"] == campaign.items.count()
    branch = client.get(f"{API}/items?organization={school.branch.pk}&status=not_started").json()
    assert branch["count"] == 3
    campaign.items.exclude(task__slug="plan").update(due_on="2099-01-01")
    campaign.items.filter(task__slug="plan").update(due_on="2020-01-01")
    overdue = client.get(f"{API}/items?overdue=true").json()
    assert [i["task_slug"] for i in overdue["items"]] == ["plan"]
    assert overdue["items"][0]["status_label"] == "逾期"
    client.force_login(school.users[Role.INSPECTOR])
    plan = overdue["items"][0]["id"]
    assert call(client, "POST", f"/items/{plan}/complete", {"evidence": []}).status_code == 403


def test_circulars_and_reminders(school: School, client: Client) -> None:
    campaign = make_campaign(school)
    client.force_login(school.users[Role.DISTRICT_ADMIN])
    circular = call(
        client, "POST", f"/{campaign.pk}/circulars", {"title": "通报", "body": "进展顺利。"}
    )
    assert circular.status_code == 201
    assert [c["title"] for c in client.get(f"{API}/{campaign.pk}/circulars").json()] == ["通报"]
    reminder = call(
        client,
        "POST",
        f"/{campaign.pk}/reminders",
        {"organization_id": school.branch.pk, "message": "请回复。", "reply_due_on": "2099-01-01"},
    )
    assert reminder.status_code == 201 and reminder.json()["status_label"] == "待回复"
    reminder_id = reminder.json()["id"]
    client.force_login(school.users[Role.MEMBER])
    assert (
        call(client, "POST", f"/reminders/{reminder_id}/reply", {"reply": "x"}).status_code == 403
    )
    assert (
        call(client, "POST", f"/{campaign.pk}/circulars", {"title": "t", "body": "b"}).status_code
        == 403
    )
    client.force_login(school.users[Role.SECRETARY])
    reply = call(client, "POST", f"/reminders/{reminder_id}/reply", {"reply": "已办理。"})
    assert reply.status_code == 200 and reply.json()["status"] == ReminderStatus.REPLIED
    again = call(client, "POST", f"/reminders/{reminder_id}/reply", {"reply": "再次"})
    assert again.status_code == 400 and "已经回复" in again.json()["detail"]
