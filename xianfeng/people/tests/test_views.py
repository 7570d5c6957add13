import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianfeng.core.models import Role
from xianfeng.core.templatetags.xianfeng import optional_url
from xianfeng.people.models import Membership, Person, PoliticalStatus, Position
from xianfeng.testing import PersonFactory

LIST = reverse("people:list")


def login(client, school, role):
    client.force_login(school.users[role])
    return client


@pytest.mark.parametrize("role", list(Role))
def test_member_list_renders_for_every_role(client, school, role):
    response = login(client, school, role).get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "人员名册" in content
    assert "张三丰" in content
    assert 'id="people-results"' in content


def test_member_list_requires_login(client, school):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("query", ["三丰", "zhangsanfeng", "zhangsan", "zsf"])
def test_search_by_characters_pinyin_and_initials(client, school, query):
    PersonFactory(organization=school.branch, name="李四")
    response = login(client, school, Role.SECRETARY).get(LIST, {"q": query})
    content = response.content.decode()
    assert "张三丰" in content
    assert "李四" not in content


def test_htmx_search_returns_only_the_results_fragment(client, school):
    PersonFactory(organization=school.branch, name="李四")
    response = login(client, school, Role.SECRETARY).get(
        LIST, {"q": "ls"}, headers={"HX-Request": "true", "HX-Target": "people-results"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "李四" in content
    assert "张三丰" not in content
    assert "HX-Request" in response["Vary"]


def test_filters_narrow_the_list(client, school):
    PersonFactory(
        organization=school.other_branch,
        name="王五",
        status=PoliticalStatus.PROBATIONARY,
        full_member_on=None,
        is_new_member=True,
    )
    client = login(client, school, Role.SECRETARY)
    content = client.get(LIST, {"status": "probationary"}).content.decode()
    assert "王五" in content and "张三丰" not in content
    content = client.get(LIST, {"new_member": "on"}).content.decode()
    assert "王五" in content and "张三丰" not in content
    content = client.get(LIST, {"organization": school.branch.pk}).content.decode()
    assert "张三丰" in content and "王五" not in content


def test_an_organization_outside_the_scope_is_not_a_filter_choice(client, school, other_school):
    response = login(client, school, Role.SECRETARY).get(
        LIST, {"organization": other_school.branch.pk}
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    # The foreign choice is ignored: the list is the secretary's own school, unfiltered.
    assert "张三丰" in response.content.decode()
    assert all(p.tenant_id == school.tenant.pk for p in response.context["page"].object_list)


def test_pagination(client, school, settings):
    settings.PAGE_SIZE = 5
    PersonFactory.create_batch(7, organization=school.branch)
    client = login(client, school, Role.SECRETARY)
    first = client.get(LIST).content.decode()
    assert "共 8 人" in first
    assert "第 1 / 2 页" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "第 2 / 2 页" in second


def test_phone_is_masked_for_a_member_and_full_for_a_secretary(client, school):
    phone = school.member.phone
    masked = phone[:3] + "****" + phone[-4:]
    member_view = login(client, school, Role.MEMBER).get(LIST).content.decode()
    assert masked in member_view
    assert phone not in member_view
    profile = client.get(reverse("people:detail", args=[school.member.pk])).content.decode()
    assert masked in profile and phone not in profile

    client.logout()
    secretary_view = login(client, school, Role.SECRETARY).get(LIST).content.decode()
    assert phone in secretary_view
    profile = client.get(reverse("people:detail", args=[school.member.pk])).content.decode()
    assert phone in profile


def _count_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries), response


def test_member_list_queries_do_not_grow_with_the_number_of_people(client, school):
    client = login(client, school, Role.SECRETARY)
    PersonFactory.create_batch(19, organization=school.branch)  # 20 with 张三丰
    small, response = _count_list_queries(client)
    assert "共 20 人" in response.content.decode()

    PersonFactory.create_batch(90, organization=school.other_branch)
    PersonFactory.create_batch(90, organization=school.group)  # 200 in all
    large, response = _count_list_queries(client)
    assert "共 200 人" in response.content.decode()
    assert large == small, f"{small} queries for 20 people, {large} for 200"


def test_profile_shows_fields_and_positions(client, school):
    Membership.objects.create(
        tenant=school.tenant,
        person=school.member,
        organization=school.group,
        position=Position.GROUP_LEADER,
    )
    response = login(client, school, Role.LEADER).get(
        reverse("people:detail", args=[school.member.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    for label in ("姓名", "政治面貌", "入党时间", "转正时间", "岗位类别", "手机号", "所在组织"):
        assert label in content
    assert "正式党员" in content
    assert "组长" in content
    assert school.group.name in content
    # A leader may look but not change.
    assert reverse("people:edit", args=[school.member.pk]) not in content


def test_another_tenants_person_is_404(client, school, other_school):
    client = login(client, school, Role.DISTRICT_ADMIN)
    for name in ("people:detail", "people:edit"):
        assert client.get(reverse(name, args=[other_school.member.pk])).status_code == 404


def test_person_outside_the_members_branch_is_404(client, school):
    stranger = PersonFactory(organization=school.other_branch, name="王五")
    response = login(client, school, Role.MEMBER).get(reverse("people:detail", args=[stranger.pk]))
    assert response.status_code == 404


def test_member_cannot_edit_or_create(client, school):
    client = login(client, school, Role.MEMBER)
    assert client.get(reverse("people:edit", args=[school.member.pk])).status_code == 403
    assert client.post(reverse("people:edit", args=[school.member.pk]), {}).status_code == 403
    assert client.get(reverse("people:create")).status_code == 403


def _person_post(school, **overrides):
    data = {
        "code": "N0001",
        "name": "刘备",
        "organization": school.branch.pk,
        "status": PoliticalStatus.MEMBER,
        "gender": "male",
        "birth_date": "1980-05-01",
        "masses_kind": "",
        "post_category": "teacher",
        "joined_on": "2005-07-01",
        "full_member_on": "2006-07-01",
        "title": "教研组长",
        "phone": "13800001111",
        "is_new_member": "",
    }
    data.update(overrides)
    return data


def test_secretary_creates_a_person(client, school):
    response = login(client, school, Role.SECRETARY).post(
        reverse("people:create"), _person_post(school)
    )
    person = Person.objects.get(code="N0001")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.name_pinyin == "liubei"
    assert person.joined_on == datetime.date(2005, 7, 1)


def test_create_shows_the_service_error_on_its_field(client, school):
    response = login(client, school, Role.SECRETARY).post(
        reverse("people:create"), _person_post(school, joined_on="", full_member_on="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["joined_on"] == ["党员必须填写入党时间。"]
    assert "党员必须填写入党时间。" in response.content.decode()
    assert not Person.objects.filter(code="N0001").exists()


def test_create_refuses_a_used_code(client, school):
    response = login(client, school, Role.SECRETARY).post(
        reverse("people:create"), _person_post(school, code=school.member.code)
    )
    assert "已被使用" in response.context["form"].errors["code"][0]


def test_create_cannot_place_a_person_outside_the_secretarys_scope(client, school, other_school):
    response = login(client, school, Role.SECRETARY).post(
        reverse("people:create"), _person_post(school, organization=school.district.pk)
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Person.objects.filter(code="N0001").exists()


def test_secretary_edits_a_person(client, school):
    data = _person_post(school, code=school.member.code, name="张三丰", title="年级组长")
    response = login(client, school, Role.SECRETARY).post(
        reverse("people:edit", args=[school.member.pk]), data
    )
    assert response.status_code == 302
    school.member.refresh_from_db()
    assert school.member.title == "年级组长"
    assert school.member.organization == school.branch


def test_edit_form_is_prefilled(client, school):
    response = login(client, school, Role.SECRETARY).get(
        reverse("people:edit", args=[school.member.pk])
    )
    assert response.status_code == 200
    assert school.member.code in response.content.decode()


def test_positions_are_added_by_post_only_and_removed_after_confirmation(client, school):
    client = login(client, school, Role.SECRETARY)
    add_url = reverse("people:membership_add", args=[school.member.pk])
    assert client.get(add_url).status_code == 405

    response = client.post(
        add_url, {"organization": school.branch.pk, "position": Position.ORGANIZATION_COMMITTEE}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=school.member)
    assert membership.position == Position.ORGANIZATION_COMMITTEE

    again = client.post(
        add_url, {"organization": school.branch.pk, "position": Position.ORGANIZATION_COMMITTEE}
    )
    assert again.status_code == 400
    assert "已在“语文党支部”担任组织委员" in again.content.decode()

    remove_url = reverse("people:membership_remove", args=[school.member.pk, membership.pk])
    confirmation = client.get(remove_url)
    assert confirmation.status_code == 200
    assert "确定要免去" in confirmation.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()

    assert client.post(remove_url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_member_cannot_add_or_remove_positions(client, school):
    membership = Membership.objects.create(
        tenant=school.tenant, person=school.member, organization=school.group, position="member"
    )
    client = login(client, school, Role.MEMBER)
    add_url = reverse("people:membership_add", args=[school.member.pk])
    assert (
        client.post(add_url, {"organization": school.group.pk, "position": "member"}).status_code
        == 403
    )
    remove_url = reverse("people:membership_remove", args=[school.member.pk, membership.pk])
    assert client.post(remove_url).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_roster_buttons_only_for_those_who_may_import(client, school):
    member_view = login(client, school, Role.MEMBER).get(LIST).content.decode()
    assert "导入花名册" not in member_view
    assert "添加人员" not in member_view
    client.logout()
    secretary_view = login(client, school, Role.SECRETARY).get(LIST).content.decode()
    assert "添加人员" in secretary_view
    import_url = optional_url("roster:import")
    if import_url:
        assert f'href="{import_url}"' in secretary_view
