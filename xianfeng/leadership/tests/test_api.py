from xianfeng.core.models import Role
from xianfeng.leadership.models import PlanStatus
from xianfeng.leadership.tests.helpers import FOUR, builtin_campaign

BASE = "/api/leadership/campaigns"


def test_group_over_the_api(school, other_school, api_as):
    campaign = builtin_campaign(school)
    secretary = api_as(school.users[Role.SECRETARY])
    assert secretary.get(f"{BASE}/{campaign.pk}/group").status_code == 404
    created = secretary.post(f"{BASE}/{campaign.pk}/group")
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "创先争优活动领导小组"
    assert [w["name"] for w in body["working_groups"]] == [
        "学习领导小组",
        "宣传领导小组",
        "后勤保障领导小组",
        "材料整理领导小组",
    ]
    again = secretary.post(f"{BASE}/{campaign.pk}/group")
    assert again.status_code == 400
    assert again.json()["detail"] == "该活动的领导小组已经建立。"
    role = secretary.post(
        f"{BASE}/{campaign.pk}/group/roles", {"role": "deputy", "person_id": school.member.pk}
    )
    assert role.status_code == 201
    assert role.json()["person_name"] == "张三丰"
    foreign = secretary.post(
        f"{BASE}/{campaign.pk}/group/roles",
        {"role": "member", "person_id": other_school.member.pk},
    )
    assert foreign.status_code == 400
    assert foreign.json()["field"] == "person_id"
    member = api_as(school.users[Role.MEMBER])
    assert member.get(f"{BASE}/{campaign.pk}/group").status_code == 200
    assert member.post(f"{BASE}/{campaign.pk}/group/roles", {"role": "member"}).status_code == 403
    outsider = api_as(other_school.users[Role.DISTRICT_ADMIN])
    assert outsider.get(f"{BASE}/{campaign.pk}/group").status_code == 404


def test_plan_over_the_api(school, api_as):
    campaign = builtin_campaign(school)
    secretary = api_as(school.users[Role.SECRETARY])
    saved = secretary.put(f"{BASE}/{campaign.pk}/plan", {**FOUR, "commitment_content": ""})
    assert saved.status_code == 200
    assert saved.json()["missing"] == ["明确承诺内容"]
    refused = secretary.post(f"{BASE}/{campaign.pk}/plan/submit")
    assert refused.status_code == 400
    assert "还缺：明确承诺内容" in refused.json()["detail"]
    secretary.put(f"{BASE}/{campaign.pk}/plan", FOUR)
    assert secretary.post(f"{BASE}/{campaign.pk}/plan/submit").json()["status"] == "submitted"
    member = api_as(school.users[Role.MEMBER])
    assert member.get(f"{BASE}/{campaign.pk}/plan").status_code == 404
    assert secretary.post(f"{BASE}/{campaign.pk}/plan/approve").status_code == 403
    admin = api_as(school.users[Role.DISTRICT_ADMIN])
    approved = admin.post(f"{BASE}/{campaign.pk}/plan/approve")
    assert approved.json()["status"] == PlanStatus.APPROVED
    published = secretary.post(f"{BASE}/{campaign.pk}/plan/publish")
    assert published.json()["status_label"] == "已公布"
    read = member.get(f"{BASE}/{campaign.pk}/plan")
    assert read.status_code == 200
    assert read.json()["theme"] == FOUR["theme"]
