import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xianfeng.api.tests.conftest import ApiClient
from xianfeng.core.models import Role
from xianfeng.people.models import Person, PoliticalStatus, PostCategory
from xianfeng.testing import PersonFactory


def _new_person(organization, **overrides):
    data = {
        "code": "A0001",
        "name": "欧阳修",
        "organization_id": organization.pk,
        "status": "member",
        "gender": "male",
        "post_category": "teacher",
        "joined_on": "2010-07-01",
        "full_member_on": "2011-07-01",
        "phone": "13812345678",
    }
    data.update(overrides)
    return data


def test_list_shows_labels_and_full_phone_to_the_secretary(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).get("/api/people")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    person = body["items"][0]
    assert person["name"] == "张三丰"
    assert person["status"] == "member"
    assert person["status_label"] == "正式党员"
    assert person["post_category_label"] == "一线教师"
    assert person["gender_label"] == "男"
    assert person["masses_kind"] == ""
    assert person["masses_kind_label"] == ""
    assert person["organization_name"] == "语文第一党小组"
    assert person["phone"] == school.member.phone


def test_phone_is_masked_for_a_member(school, api_as):
    client = api_as(school.users[Role.MEMBER])
    listed = client.get("/api/people").json()["items"][0]
    detail = client.get(f"/api/people/{school.member.pk}").json()
    phone = school.member.phone
    masked = phone[:3] + "****" + phone[-4:]
    assert listed["phone"] == detail["phone"] == masked


def test_search_by_name_pinyin_and_initials(school, api_as):
    PersonFactory(organization=school.branch, name="李四")
    client = api_as(school.users[Role.SECRETARY])
    for query in ("三丰", "zhangsanfeng", "sanfeng", "zsf", "ZSF"):
        names = [item["name"] for item in client.get("/api/people", {"q": query}).json()["items"]]
        assert names == ["张三丰"], query
    assert client.get("/api/people", {"q": "wangwu"}).json()["count"] == 0


def test_filters_by_organization_subtree_status_and_post(school, api_as):
    in_other = PersonFactory(
        organization=school.other_branch,
        name="王五",
        status=PoliticalStatus.PROBATIONARY,
        full_member_on=None,
        post_category=PostCategory.HEAD_TEACHER,
    )
    client = api_as(school.users[Role.SECRETARY])

    def ids(**params):
        return {item["id"] for item in client.get("/api/people", params).json()["items"]}

    assert ids(organization=school.branch.pk) == {school.member.pk}
    assert ids(organization=school.school.pk) == {school.member.pk, in_other.pk}
    assert ids(status="probationary") == {in_other.pk}
    assert ids(post_category="head_teacher") == {in_other.pk}


def test_organization_filter_outside_the_scope_is_404(school, other_school, api_as):
    response = api_as(school.users[Role.SECRETARY]).get(
        "/api/people", {"organization": other_school.school.pk}
    )
    assert response.status_code == 404


def test_another_tenants_person_is_404(school, other_school, api_as):
    client = api_as(school.users[Role.DISTRICT_ADMIN])
    response = client.get(f"/api/people/{other_school.member.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "没有找到该记录，或您无权查看。"}
    for method, data in (("patch", {"title": "越权"}), ("put", _new_person(school.branch))):
        response = getattr(client, method)(f"/api/people/{other_school.member.pk}", data)
        assert response.status_code == 404
    assert client.delete(f"/api/people/{other_school.member.pk}").status_code == 404
    assert Person.objects.get(pk=other_school.member.pk).is_active


def test_secretary_creates_a_person(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).post("/api/people", _new_person(school.branch))
    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.tenant == school.tenant
    assert person.organization == school.branch
    assert person.name_pinyin == "ouyangxiu"
    assert body["phone"] == "13812345678"
    assert body["status_label"] == "正式党员"


def test_member_may_not_create_a_person(school, api_as):
    response = api_as(school.users[Role.MEMBER]).post("/api/people", _new_person(school.branch))
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有执行此操作的权限。"}
    assert not Person.objects.filter(code="A0001").exists()


def test_create_with_invalid_fields_is_422_in_chinese(school, api_as):
    data = _new_person(school.branch, status="boss", birth_date="1985-13-40")
    del data["name"]
    response = api_as(school.users[Role.SECRETARY]).post("/api/people", data)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求数据有误。"
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert messages["name"] == "此项必填。"
    assert messages["birth_date"] == "日期格式应为 YYYY-MM-DD。"
    assert messages["status"].startswith("取值无效，可选值：")


def test_business_rule_violation_is_400_with_the_field(school, api_as):
    client = api_as(school.users[Role.SECRETARY])
    response = client.post("/api/people", _new_person(school.branch, joined_on=None))
    assert response.status_code == 400
    assert response.json() == {"detail": "党员必须填写入党时间。", "field": "joined_on"}

    response = client.post("/api/people", _new_person(school.branch, code=school.member.code))
    assert response.status_code == 400
    assert response.json()["field"] == "code"
    assert Person.objects.count() == 1


def test_create_in_an_invisible_organization_is_400(school, other_school, api_as):
    response = api_as(school.users[Role.SECRETARY]).post(
        "/api/people", _new_person(other_school.branch)
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "没有找到该组织，或您无权查看。",
        "field": "organization_id",
    }


def test_put_replaces_every_field(school, api_as):
    data = _new_person(
        school.other_branch, code=school.member.code, name="张三丰", title="教研组长"
    )
    response = api_as(school.users[Role.SECRETARY]).put(f"/api/people/{school.member.pk}", data)
    assert response.status_code == 200
    person = Person.objects.get(pk=school.member.pk)
    assert person.organization == school.other_branch
    assert person.title == "教研组长"
    assert person.phone == "13812345678"
    assert person.joined_on == datetime.date(2010, 7, 1)
    assert response.json()["organization_name"] == "数学党支部"


def test_patch_changes_only_the_fields_sent(school, api_as):
    client = api_as(school.users[Role.SECRETARY])
    response = client.patch(f"/api/people/{school.member.pk}", {"title": "年级组长"})
    assert response.status_code == 200
    person = Person.objects.get(pk=school.member.pk)
    assert person.title == "年级组长"
    assert person.name == "张三丰"
    assert person.birth_date == datetime.date(1985, 3, 1)

    response = client.patch(f"/api/people/{school.member.pk}", {"birth_date": None})
    assert response.status_code == 200
    assert Person.objects.get(pk=school.member.pk).birth_date is None


def test_patch_that_breaks_a_rule_saves_nothing(school, api_as):
    response = api_as(school.users[Role.SECRETARY]).patch(
        f"/api/people/{school.member.pk}", {"status": "masses", "title": "不应保存"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "masses_kind"
    person = Person.objects.get(pk=school.member.pk)
    assert (person.status, person.title) == ("member", "")


def test_member_may_not_change_a_person(school, api_as):
    response = api_as(school.users[Role.MEMBER]).patch(
        f"/api/people/{school.member.pk}", {"title": "自封"}
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=school.member.pk).title == ""


def test_delete_takes_the_person_off_the_roster_only(school, api_as):
    client = api_as(school.users[Role.SECRETARY])
    response = client.delete(f"/api/people/{school.member.pk}")
    assert response.status_code == 204
    person = Person.objects.get(pk=school.member.pk)
    assert person.is_active is False
    assert client.get("/api/people").json()["count"] == 0
    listed = client.get("/api/people", {"include_inactive": True}).json()["items"]
    assert [item["id"] for item in listed] == [person.pk]
    assert client.get(f"/api/people/{person.pk}").json()["is_active"] is False


def test_member_may_not_delete_a_person(school, api_as):
    response = api_as(school.users[Role.MEMBER]).delete(f"/api/people/{school.member.pk}")
    assert response.status_code == 403
    assert Person.objects.get(pk=school.member.pk).is_active


def _grow(school, count):
    for organization in (school.branch, school.other_branch, school.group):
        PersonFactory.create_batch(count, organization=organization)


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/people")
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def _session(user):
    # A session rather than a token: the token's once-a-minute bookkeeping write would blur the count.
    client = Client()
    client.force_login(user)
    return ApiClient(client)


def test_list_queries_do_not_grow_with_the_rows(school):
    secretary = _session(school.users[Role.SECRETARY])
    member = _session(school.users[Role.MEMBER])
    _grow(school, 1)
    secretary_once, count_once = _list_queries(secretary)
    member_once, _ = _list_queries(member)
    _grow(school, 9)
    secretary_tenfold, count_tenfold = _list_queries(secretary)
    member_tenfold, _ = _list_queries(member)
    assert count_tenfold == count_once + 27
    assert secretary_tenfold == secretary_once
    assert member_tenfold == member_once
