import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xianfeng.core import services
from xianfeng.core.models import AccessToken, AuditEntry, Role, RoleGrant, User
from xianfeng.testing import PersonFactory, make_user

GOOD_PASSWORD = "Hongqi-piaopiao-2026"
MANAGE_PAGES = ["core:users", "core:user_create", "core:person_options", "core:audit"]


@pytest.fixture
def admin(school):
    return school.users[Role.DISTRICT_ADMIN]


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def school_admin(school):
    """An administrator of the school only, not of the whole district."""
    return make_user(
        tenant=school.tenant,
        username="school-admin",
        role=Role.DISTRICT_ADMIN,
        organization=school.school,
    )


def _login(client, user):
    client.force_login(user)
    return client


def _can_sign_in(username: str, password: str) -> bool:
    """Through the real login page, so the lockout and the backends all take part."""
    browser = Client()
    browser.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in browser.session


# ---- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", MANAGE_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DISTRICT_ADMIN, 200),
        (Role.INSPECTOR, 403),
        (Role.LEADER, 403),
        (Role.SECRETARY, 403),
        (Role.GROUP_LEADER, 403),
        (Role.MEMBER, 403),
    ],
)
def test_manage_pages_need_the_admin_role(client, school, url_name, role, status):
    _login(client, school.users[role])
    assert client.get(reverse(url_name)).status_code == status


@pytest.mark.parametrize("role", list(Role))
def test_every_signed_in_user_has_a_token_page(client, school, role):
    _login(client, school.users[role])
    assert client.get(reverse("core:tokens")).status_code == 200


@pytest.mark.parametrize("url_name", [*MANAGE_PAGES, "core:tokens"])
def test_anonymous_visitors_are_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_secretary_cannot_open_an_account_or_post_a_grant(client, school):
    target = school.users[Role.MEMBER]
    _login(client, school.users[Role.SECRETARY])
    url = reverse("core:user_detail", args=[target.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"action": "grant", "role": Role.DISTRICT_ADMIN, "organization": school.district.pk}
    )
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user=target, role=Role.DISTRICT_ADMIN).exists()


def test_another_tenants_account_is_not_found(admin_client, other_school):
    foreign = other_school.users[Role.SECRETARY]
    grant = foreign.role_grants.get()
    assert admin_client.get(reverse("core:user_detail", args=[foreign.pk])).status_code == 404
    url = reverse("core:grant_remove", args=[foreign.pk, grant.pk])
    assert admin_client.post(url).status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_accounts_holding_roles_above_the_admins_subtree_are_out_of_reach(
    client, school, school_admin
):
    district_admin = school.users[Role.DISTRICT_ADMIN]
    _login(client, school_admin)
    url = reverse("core:user_detail", args=[district_admin.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"action": "password", "password": "x", "password_confirm": "x"})
    assert response.status_code == 404


# ---- account list --------------------------------------------------------------------------


def test_user_list_shows_the_subtree_and_accounts_without_roles(
    client, school, other_school, school_admin
):
    fresh = make_user(tenant=school.tenant, username="fresh-account")
    make_user(tenant=other_school.tenant, username="foreign-fresh")
    _login(client, school_admin)
    response = client.get(reverse("core:users"))
    names = {account.username for account in response.context["page"].object_list}
    assert fresh.username in names
    assert school.users[Role.SECRETARY].username in names
    assert school.users[Role.MEMBER].username in names
    assert school.users[Role.DISTRICT_ADMIN].username not in names
    assert "foreign-fresh" not in names
    assert not any(name.startswith("district-b") for name in names)
    assert "书记/党务工作者 · 第一中学党总支" in response.content.decode()


def test_user_list_search_by_username_name_and_pinyin(admin_client, school):
    services.user_create(
        tenant=school.tenant, username="teacher01", full_name="欧阳明月", password=GOOD_PASSWORD
    )
    url = reverse("core:users")
    for query in ["teacher0", "欧阳", "ouyang", "oymy", "OuYang"]:
        page = admin_client.get(url, {"q": query}).context["page"]
        assert [u.username for u in page.object_list] == ["teacher01"], query
    page = admin_client.get(url, {"q": "zsf"}).context["page"]
    assert [u.username for u in page.object_list] == [school.users[Role.MEMBER].username]


def test_user_list_query_count_does_not_grow_with_accounts(admin_client, school):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("core:users")).status_code == 200
        return len(queries)

    before = count()
    for number in range(10):
        make_user(
            tenant=school.tenant,
            username=f"extra{number}",
            role=Role.MEMBER,
            organization=school.branch,
        )
    assert count() == before


# ---- creating and editing accounts ---------------------------------------------------------


def _create_form(**overrides):
    data = {
        "username": "liuhong",
        "full_name": "刘红",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
        "person": "",
    }
    data.update(overrides)
    return data


def test_create_user_with_a_person_link(admin_client, school):
    person = PersonFactory(organization=school.branch, name="刘红", code="P-2026-01")
    response = admin_client.post(reverse("core:user_create"), _create_form(person="P-2026-01"))
    user = User.objects.get(username="liuhong")
    assert response.status_code == 302
    assert response.url == reverse("core:user_detail", args=[user.pk])
    assert user.tenant_id == school.tenant.pk
    person.refresh_from_db()
    assert person.user_id == user.pk
    entry = AuditEntry.objects.get(object_pk=str(user.pk), content_type__model="user")
    assert entry.actor == school.users[Role.DISTRICT_ADMIN]


def test_create_user_refuses_a_weak_password_in_chinese(admin_client):
    response = admin_client.post(
        reverse("core:user_create"), _create_form(password="123456", password_confirm="123456")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "密码太短，至少需要 8 个字符" in content
    assert "密码不能全是数字" in content
    assert not User.objects.filter(username="liuhong").exists()


def test_create_user_refuses_a_mismatched_confirmation(admin_client):
    response = admin_client.post(
        reverse("core:user_create"), _create_form(password_confirm=GOOD_PASSWORD + "x")
    )
    assert "两次输入的密码不一致" in response.content.decode()
    assert not User.objects.filter(username="liuhong").exists()


def test_create_user_refuses_a_person_outside_reach(admin_client, other_school):
    response = admin_client.post(
        reverse("core:user_create"), _create_form(person=other_school.member.code)
    )
    assert "没有找到人员编号" in response.content.decode()
    assert not User.objects.filter(username="liuhong").exists()


def test_person_picker_suggests_people_of_the_subtree_only(admin_client, school, other_school):
    response = admin_client.get(reverse("core:person_options"), {"person": "zsf"})
    content = response.content.decode()
    assert f'value="{school.member.code}"' in content
    assert other_school.member.code not in content
    assert "已有账号" in content


def test_update_deactivates_and_the_account_can_no_longer_sign_in(admin_client, school):
    member = school.users[Role.MEMBER]
    url = reverse("core:user_detail", args=[member.pk])
    response = admin_client.post(
        url, {"action": "update", "full_name": "张三丰", "person": school.member.code}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert member.full_name == "张三丰"
    assert not _can_sign_in(member.username, "Xianfeng-2026!")

    admin_client.post(
        url,
        {"action": "update", "full_name": "张三丰", "is_active": "on", "person": ""},
    )
    member.refresh_from_db()
    school.member.refresh_from_db()
    assert member.is_active
    assert school.member.user_id is None
    assert _can_sign_in(member.username, "Xianfeng-2026!")


def test_update_keeps_a_linked_person_outside_the_admins_subtree(client, school, school_admin):
    person = PersonFactory(organization=school.district, name="区里人员")
    account = services.user_create(
        tenant=school.tenant,
        username="district-staff",
        full_name="区里人员",
        password=GOOD_PASSWORD,
        person=person,
    )
    _login(client, school_admin)
    url = reverse("core:user_detail", args=[account.pk])
    response = client.post(
        url,
        {"action": "update", "full_name": "区里人员甲", "is_active": "on", "person": person.code},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user_id == account.pk
    response = client.post(
        url, {"action": "update", "full_name": "区里人员甲", "is_active": "on", "person": "T999999"}
    )
    assert "没有找到人员编号" in response.content.decode()


def test_admin_cannot_deactivate_themself(admin_client, admin):
    url = reverse("core:user_detail", args=[admin.pk])
    response = admin_client.post(url, {"action": "update", "full_name": "管理员", "person": ""})
    assert "不能停用自己的账号" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_reset_password(admin_client, school):
    member = school.users[Role.MEMBER]
    url = reverse("core:user_detail", args=[member.pk])
    response = admin_client.post(
        url, {"action": "password", "password": "abc", "password_confirm": "abc"}
    )
    assert "密码太短" in response.content.decode()
    response = admin_client.post(
        url,
        {"action": "password", "password": GOOD_PASSWORD, "password_confirm": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert _can_sign_in(member.username, GOOD_PASSWORD)
    assert not _can_sign_in(member.username, "Xianfeng-2026!")


# ---- role grants ---------------------------------------------------------------------------


def test_add_grant_within_the_subtree(client, school, school_admin):
    target = make_user(tenant=school.tenant, username="new-secretary")
    _login(client, school_admin)
    url = reverse("core:user_detail", args=[target.pk])
    page = client.get(url)
    offered = set(page.context["grant_form"].fields["organization"].queryset)
    assert school.branch in offered and school.district not in offered
    response = client.post(
        url, {"action": "grant", "role": Role.SECRETARY, "organization": school.branch.pk}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=target)
    assert (grant.role, grant.organization, grant.tenant) == (
        Role.SECRETARY,
        school.branch,
        school.tenant,
    )


def test_grant_on_an_organization_outside_the_subtree_is_refused(
    client, school, other_school, school_admin
):
    target = make_user(tenant=school.tenant, username="new-secretary")
    _login(client, school_admin)
    url = reverse("core:user_detail", args=[target.pk])
    for organization in [school.district, other_school.branch]:
        response = client.post(
            url, {"action": "grant", "role": Role.SECRETARY, "organization": organization.pk}
        )
        assert response.status_code == 200
        assert "请选择您管理范围内的组织" in response.content.decode()
    assert not RoleGrant.objects.filter(user=target).exists()


def test_remove_grant_asks_for_confirmation_first(admin_client, school):
    secretary = school.users[Role.SECRETARY]
    grant = secretary.role_grants.get()
    url = reverse("core:grant_remove", args=[secretary.pk, grant.pk])
    page = admin_client.get(url)
    assert "确认移除" in page.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_grant_of_another_account_cannot_be_removed_through_this_one(admin_client, school):
    member = school.users[Role.MEMBER]
    secretary_grant = school.users[Role.SECRETARY].role_grants.get()
    url = reverse("core:grant_remove", args=[member.pk, secretary_grant.pk])
    assert admin_client.post(url).status_code == 404
    assert RoleGrant.objects.filter(pk=secretary_grant.pk).exists()


def test_admin_cannot_remove_own_admin_role(admin_client, admin):
    grant = admin.role_grants.get()
    response = admin_client.post(reverse("core:grant_remove", args=[admin.pk, grant.pk]))
    assert response.status_code == 200
    assert "不能移除自己的管理员角色" in response.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


# ---- audit log -----------------------------------------------------------------------------


def _audit(client, **params):
    response = client.get(reverse("core:audit"), params)
    assert response.status_code == 200
    return response


def test_audit_lists_own_tenant_only(admin_client, school, other_school):
    other_school.member.name = "外校人员"
    other_school.member.save()
    response = _audit(admin_client)
    entries = response.context["page"].object_list
    assert entries
    assert {entry.tenant_id for entry in entries} == {school.tenant.pk}
    assert "外校人员" not in response.content.decode()


def test_audit_shows_a_person_change_old_to_new(admin_client, school):
    school.member.name = "张三"
    school.member.save()
    response = _audit(admin_client, object_id=school.member.pk, action=1)
    content = response.content.decode()
    assert "人员：张三" in content
    assert "<strong>姓名</strong>：张三丰 → 张三" in content


def test_audit_names_related_records_and_choices(admin_client, school):
    person = school.member
    person.organization = school.other_branch
    person.status = "probationary"
    person.full_member_on = None
    person.save()
    content = _audit(admin_client, object_id=person.pk, action=1).content.decode()
    assert "<strong>所在组织</strong>：语文第一党小组 → 数学党支部" in content
    assert "<strong>政治面貌</strong>：正式党员 → 预备党员" in content


def test_audit_filters(admin_client, school):
    admin = school.users[Role.DISTRICT_ADMIN]
    admin_client.post(
        reverse("core:user_detail", args=[school.users[Role.MEMBER].pk]),
        {
            "action": "update",
            "full_name": "新名字",
            "is_active": "on",
            "person": school.member.code,
        },
    )
    AuditEntry.objects.log_create(
        school.member,
        action=AuditEntry.Action.UPDATE,
        changes={"title": ["", "教研组长"]},
        timestamp=timezone.now() - datetime.timedelta(days=40),
    )

    def entries(**params):
        return list(_audit(admin_client, **params).context["page"].object_list)

    person_type = AuditEntry.objects.filter(content_type__model="person").first().content_type
    by_type = entries(content_type=person_type.pk)
    assert by_type and all(e.content_type_id == person_type.pk for e in by_type)

    updates = entries(action=AuditEntry.Action.UPDATE)
    assert updates and all(e.action == AuditEntry.Action.UPDATE for e in updates)
    assert all(e.action == AuditEntry.Action.CREATE for e in entries(action=0))

    by_actor = entries(actor=admin.pk)
    assert [e.object_repr for e in by_actor] == ["新名字"]

    old_day = (timezone.localdate() - datetime.timedelta(days=40)).isoformat()
    old = entries(date_from=old_day, date_to=old_day)
    assert [e.changes for e in old] == [{"title": ["", "教研组长"]}]
    recent = entries(date_from=timezone.localdate().isoformat())
    assert recent and all(e.changes != {"title": ["", "教研组长"]} for e in recent)

    by_object = entries(object_id=school.member.pk, content_type=person_type.pk)
    assert by_object and all(e.object_id == school.member.pk for e in by_object)


def test_audit_filter_errors_are_shown_in_chinese(admin_client):
    response = _audit(admin_client, date_from="2026-03-02", date_to="2026-03-01")
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_audit_actor_choices_are_own_tenant_only(admin_client, other_school):
    foreign_admin = other_school.users[Role.DISTRICT_ADMIN]
    _login(Client(), foreign_admin).post(
        reverse("core:user_detail", args=[other_school.users[Role.MEMBER].pk]),
        {"action": "update", "full_name": "乙", "is_active": "on", "person": ""},
    )
    form = _audit(admin_client).context["form"]
    assert foreign_admin not in form.fields["actor"].queryset
    response = _audit(admin_client, actor=foreign_admin.pk)
    assert "actor" in response.context["form"].errors


def test_audit_query_count_does_not_grow_with_rows(admin_client, school):
    def change(number: int) -> None:
        person = PersonFactory(organization=school.branch, name=f"测试{number}")
        person.name = f"改名{number}"
        person.organization = school.other_branch
        person.save()

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = _audit(admin_client)
        return len(queries), len(response.context["rows"])

    change(0)
    queries_1, rows_1 = measure()
    for number in range(1, 10):
        change(number)
    queries_10, rows_10 = measure()
    assert rows_10 == rows_1 + 18
    assert rows_10 <= settings.PAGE_SIZE
    assert queries_10 == queries_1


def test_audit_is_paginated(admin_client, school):
    for number in range(settings.PAGE_SIZE + 5):
        AuditEntry.objects.log_create(
            school.member, action=AuditEntry.Action.UPDATE, changes={"title": ["", str(number)]}
        )
    first = _audit(admin_client)
    assert len(first.context["rows"]) == settings.PAGE_SIZE
    assert first.context["rows"][0].entry.changes == {"title": ["", str(settings.PAGE_SIZE + 4)]}
    second = _audit(admin_client, page=2)
    assert second.context["page"].number == 2


def test_audit_is_read_only(admin_client, school):
    assert admin_client.post(reverse("core:audit")).status_code == 405
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert admin_client.get("/admin/").status_code == 404
    entry = AuditEntry.objects.filter(tenant=school.tenant).first()
    entry.changes = {"name": ["a", "b"]}
    with pytest.raises(ValueError, match="审计日志不可修改"):
        entry.save()


# ---- personal access tokens ----------------------------------------------------------------


def test_token_key_is_shown_once_and_only_its_hash_is_stored(client, school):
    user = school.users[Role.SECRETARY]
    _login(client, user)
    response = client.post(reverse("core:tokens"), {"name": "校园网同步"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = AccessToken.objects.get(user=user)
    assert token.key_hash == AccessToken.hash_key(key)
    assert key not in str(AccessToken.objects.filter(pk=token.pk).values().get())
    later = client.get(reverse("core:tokens")).content.decode()
    assert key not in later
    assert token.prefix in later and "校园网同步" in later


def test_token_name_is_required(client, school):
    _login(client, school.users[Role.MEMBER])
    response = client.post(reverse("core:tokens"), {"name": ""})
    assert response.context["new_key"] is None
    assert not AccessToken.objects.exists()


def test_revoke_token_after_confirmation(client, school):
    user = school.users[Role.MEMBER]
    token, key = services.access_token_create(user=user, name="脚本")
    _login(client, user)
    url = reverse("core:token_revoke", args=[token.pk])
    assert "确认撤销" in client.get(url).content.decode()
    token.refresh_from_db()
    assert token.is_active
    response = client.post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert not token.is_active
    assert not AccessToken.objects.filter(
        key_hash=AccessToken.hash_key(key), revoked_at__isnull=True
    ).exists()


def test_another_users_token_cannot_be_seen_or_revoked(client, school, other_school):
    token, _ = services.access_token_create(user=school.users[Role.SECRETARY], name="夜间同步任务")
    for intruder in [school.users[Role.DISTRICT_ADMIN], other_school.users[Role.SECRETARY]]:
        _login(client, intruder)
        url = reverse("core:token_revoke", args=[token.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert "夜间同步任务" not in client.get(reverse("core:tokens")).content.decode()
    token.refresh_from_db()
    assert token.is_active


def test_account_without_tenant_has_no_tokens(client, db):
    lonely = User.objects.create_user(username="lonely", password=GOOD_PASSWORD)
    _login(client, lonely)
    assert client.get(reverse("core:tokens")).status_code == 403
