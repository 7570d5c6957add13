from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xianfeng.core.models import Role
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.testing import PersonFactory

NOT_FOUND = {"detail": "没有找到该记录，或您无权查看。"}
FORBIDDEN = {"detail": "您没有执行此操作的权限。"}


def test_list_shows_the_visible_subtree_with_labels(school, other_school, api_as):
    response = api_as(school.users[Role.SECRETARY]).get("/api/organizations")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    first = body["items"][0]
    assert first["name"] == "第一中学党总支"
    assert first["kind"] == "general_branch"
    assert first["kind_label"] == "党总支"
    assert first["parent_id"] == school.district.pk
    assert first["parent_name"] == "甲区教育系统党委"
    branch = next(item for item in body["items"] if item["id"] == school.branch.pk)
    assert branch["branch_type"] == "subject"
    assert branch["branch_type_label"] == "学科党支部"


def test_list_filters_by_kind_and_parent(school, api_as):
    client = api_as(school.users[Role.DISTRICT_ADMIN])
    branches = client.get("/api/organizations", {"kind": "branch"}).json()["items"]
    assert {item["id"] for item in branches} == {school.branch.pk, school.other_branch.pk}
    children = client.get("/api/organizations", {"parent": school.school.pk}).json()["items"]
    assert {item["id"] for item in children} == {school.branch.pk, school.other_branch.pk}
    found = client.get("/api/organizations", {"q": "数学"}).json()["items"]
    assert [item["id"] for item in found] == [school.other_branch.pk]


def test_list_filter_with_an_unknown_kind_is_422_in_chinese(school, api_as):
    response = api_as(school.users[Role.DISTRICT_ADMIN]).get("/api/organizations", {"kind": "x"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "kind"
    assert error["message"].startswith("取值无效，可选值：")


def test_list_is_paginated(school, api_as):
    for number in range(3):
        organization_create(
            tenant=school.tenant,
            name=f"第{number}党小组",
            kind=OrganizationKind.GROUP,
            parent=school.other_branch,
        )
    client = api_as(school.users[Role.SECRETARY])
    page = client.get("/api/organizations", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 7
    assert len(page["items"]) == 2


def test_detail_of_another_tenant_or_outside_the_subtree_is_404(school, other_school, api_as):
    client = api_as(school.users[Role.SECRETARY])
    for organization in (other_school.school, other_school.branch, school.district):
        response = client.get(f"/api/organizations/{organization.pk}")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_member_may_read_but_not_create(school, api_as):
    client = api_as(school.users[Role.MEMBER])
    assert client.get(f"/api/organizations/{school.group.pk}").status_code == 200
    response = client.post(
        "/api/organizations",
        {"parent_id": school.branch.pk, "name": "新党小组", "kind": "group"},
    )
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert not Organization.objects.filter(name="新党小组").exists()


def test_secretary_creates_an_organization(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).post(
        "/api/organizations",
        {
            "parent_id": school.school.pk,
            "name": "英语党支部",
            "kind": "branch",
            "branch_type": "subject",
        },
    )
    assert response.status_code == 201
    body = response.json()
    created = Organization.objects.get(pk=body["id"])
    assert created.parent_id == school.school.pk
    assert created.path == f"{school.school.path}{created.pk}/"
    assert created.unit_name == "第一中学"
    assert body["kind_label"] == "党支部"
    assert body["parent_name"] == "第一中学党总支"


def test_create_without_a_parent_is_422_in_chinese(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).post(
        "/api/organizations", {"name": "无上级", "kind": "branch"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求数据有误。",
        "errors": [{"field": "parent_id", "message": "此项必填。"}],
    }


def test_create_with_several_invalid_fields_names_each(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).post(
        "/api/organizations",
        {"parent_id": "abc", "name": "x" * 101, "kind": "club", "sort_order": -1},
    )
    assert response.status_code == 422
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages["parent_id"] == "应为整数。"
    assert messages["name"] == "不能超过 100 个字符。"
    assert messages["kind"].startswith("取值无效")
    assert messages["sort_order"] == "不能小于 0。"


def test_invalid_json_body_is_400_in_chinese(school, api_as):
    client = api_as(school.users[Role.SECRETARY])
    response = client.client.post(
        "/api/organizations",
        "{not json",
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容无法解析，请发送合法的 JSON。"}


def test_create_breaking_a_tree_rule_is_400_with_the_field(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).post(
        "/api/organizations", {"parent_id": school.group.pk, "name": "错位", "kind": "branch"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "“党小组”下不能设立“党支部”。",
        "field": "parent_id",
    }


def test_create_under_another_tenants_parent_is_refused(school, other_school, api_as):
    response = api_as(school.users[Role.DISTRICT_ADMIN]).post(
        "/api/organizations",
        {"parent_id": other_school.school.pk, "name": "越界", "kind": "branch"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "parent_id"
    assert not Organization.objects.filter(name="越界").exists()


def test_patch_changes_only_the_fields_sent(school, api_as):
    client = api_as(school.users[Role.SECRETARY])
    response = client.patch(f"/api/organizations/{school.branch.pk}", {"sort_order": 3})
    assert response.status_code == 200
    branch = Organization.objects.get(pk=school.branch.pk)
    assert (branch.name, branch.branch_type, branch.sort_order) == ("语文党支部", "subject", 3)

    response = client.patch(f"/api/organizations/{school.branch.pk}", {"name": "语文组党支部"})
    assert response.status_code == 200
    assert response.json()["name"] == "语文组党支部"
    assert response.json()["sort_order"] == 3


def test_patch_to_a_taken_name_is_400(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).patch(
        f"/api/organizations/{school.branch.pk}", {"name": "数学党支部"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "同一上级下已有名为“数学党支部”的组织。", "field": "name"}


def test_patch_by_a_leader_is_403_and_outside_the_tenant_404(school, other_school, api_as):
    leader = api_as(school.users[Role.LEADER])
    response = leader.patch(f"/api/organizations/{school.branch.pk}", {"name": "改名"})
    assert response.status_code == 403
    response = leader.patch(f"/api/organizations/{other_school.branch.pk}", {"name": "改名"})
    assert response.status_code == 404


def test_move_carries_the_subtree(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).post(
        f"/api/organizations/{school.group.pk}/move", {"parent_id": school.other_branch.pk}
    )
    assert response.status_code == 200
    group = Organization.objects.get(pk=school.group.pk)
    assert group.parent_id == school.other_branch.pk
    assert response.json()["path"] == f"{school.other_branch.path}{group.pk}/"
    assert response.json()["parent_name"] == "数学党支部"


def test_move_into_its_own_subtree_is_400_in_chinese(school, api_as):
    before = list(Organization.objects.values_list("pk", "path", "parent_id"))
    response = api_as(school.users[Role.SECRETARY]).post(
        f"/api/organizations/{school.school.pk}/move", {"parent_id": school.branch.pk}
    )
    assert response.status_code == 400
    body = response.json()
    assert "循环" in body["detail"]
    assert body["field"] == "parent_id"
    assert list(Organization.objects.values_list("pk", "path", "parent_id")) == before


def test_move_needs_rights_at_the_destination(school, api_as):
    # The secretary holds the school, not the district: moving a branch up there is not theirs.
    response = api_as(school.users[Role.SECRETARY]).post(
        f"/api/organizations/{school.branch.pk}/move", {"parent_id": school.district.pk}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "parent_id"
    assert Organization.objects.get(pk=school.branch.pk).parent_id == school.school.pk


def test_delete_an_empty_organization(school, api_as):
    empty = organization_create(
        tenant=school.tenant, name="临时党小组", kind=OrganizationKind.GROUP, parent=school.branch
    )
    client = api_as(school.users[Role.SECRETARY])
    response = client.delete(f"/api/organizations/{empty.pk}")
    assert response.status_code == 204
    assert not Organization.objects.filter(pk=empty.pk).exists()


def test_delete_of_an_organization_with_children_is_refused(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).delete(f"/api/organizations/{school.branch.pk}")
    assert response.status_code == 400
    assert response.json()["detail"] == "该组织下还有下级组织，请先移动或删除下级组织。"
    assert Organization.objects.filter(pk=school.branch.pk).exists()


def test_member_delete_is_403(school, api_as):
    response = api_as(school.users[Role.MEMBER]).delete(f"/api/organizations/{school.group.pk}")
    assert response.status_code == 403
    assert Organization.objects.filter(pk=school.group.pk).exists()


def _grow(school, start, stop):
    for number in range(start, stop):
        branch = organization_create(
            tenant=school.tenant,
            name=f"扩充党支部{number}",
            kind=OrganizationKind.BRANCH,
            parent=school.school,
        )
        organization_create(
            tenant=school.tenant,
            name=f"扩充党小组{number}",
            kind=OrganizationKind.GROUP,
            parent=branch,
        )
        PersonFactory(organization=branch)


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/organizations")
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_list_queries_do_not_grow_with_the_rows(school):
    # A session rather than a token: the token's once-a-minute bookkeeping write would blur the count.
    client = Client()
    client.force_login(school.users[Role.SECRETARY])
    _grow(school, 0, 2)
    once, count_once = _list_queries(client)
    _grow(school, 2, 20)
    tenfold, count_tenfold = _list_queries(client)
    assert count_tenfold == count_once + 36
    assert tenfold == once
