import pytest

from xianfeng.core import services
from xianfeng.core.access import Capability, scope_for
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AccessToken, AuditEntry, Role, RoleGrant, User
from xianfeng.testing import PersonFactory, make_user

GOOD_PASSWORD = "Hongqi-piaopiao-2026"


def _create(school, **overrides):
    data = {
        "tenant": school.tenant,
        "username": "wangxm",
        "full_name": "王小明",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return services.user_create(**data)


@pytest.fixture
def school_admin(school):
    """An administrator of the school only, not of the whole district."""
    return make_user(
        tenant=school.tenant,
        username="school-admin",
        role=Role.DISTRICT_ADMIN,
        organization=school.school,
    )


# ---- accounts ------------------------------------------------------------------------------


def test_user_create_hashes_password_and_belongs_to_tenant(school):
    user = _create(school)
    user.refresh_from_db()
    assert user.tenant_id == school.tenant.pk
    assert user.full_name == "王小明"
    assert user.is_active
    assert user.password != GOOD_PASSWORD
    assert user.check_password(GOOD_PASSWORD)
    entry = AuditEntry.objects.get(object_pk=str(user.pk), content_type__model="user")
    assert entry.tenant_id == school.tenant.pk
    assert "password" not in entry.changes


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345", "密码太短，至少需要 8 个字符"),
        ("20261234", "密码不能全是数字"),
        ("password123", "这个密码太常见"),
    ],
)
def test_user_create_refuses_weak_password_in_chinese(school, password, message):
    with pytest.raises(DomainError, match=message) as refused:
        _create(school, password=password)
    assert refused.value.field == "password"
    assert not User.objects.filter(username="wangxm").exists()


def test_user_create_refuses_password_like_the_username(school):
    with pytest.raises(DomainError, match="太相似"):
        _create(school, username="zhangsanfeng", password="zhangsanfeng1")


def test_user_create_refuses_taken_username_whatever_the_case(school):
    _create(school)
    with pytest.raises(DomainError, match="已被使用") as refused:
        _create(school, username="WangXM")
    assert refused.value.field == "username"


@pytest.mark.parametrize(
    ("username", "full_name", "field"),
    [("", "王小明", "username"), ("wang xm", "王小明", "username"), ("wangxm", "  ", "full_name")],
)
def test_user_create_refuses_bad_names(school, username, full_name, field):
    with pytest.raises(DomainError) as refused:
        _create(school, username=username, full_name=full_name)
    assert refused.value.field == field
    assert User.objects.count() == len(school.users)


def test_user_create_links_person_of_the_tenant(school):
    person = PersonFactory(organization=school.branch, name="王小明")
    user = _create(school, person=person)
    person.refresh_from_db()
    assert person.user_id == user.pk


def test_user_create_refuses_person_of_another_tenant_or_already_linked(school, other_school):
    with pytest.raises(DomainError, match="不属于本教育系统"):
        _create(school, person=other_school.member)
    with pytest.raises(DomainError, match="已关联其他账号"):
        _create(school, person=school.member)
    assert not User.objects.filter(username="wangxm").exists()


def test_user_update_changes_name_deactivates_and_relinks(school):
    user = _create(school)
    first = PersonFactory(organization=school.branch, name="王小明")
    second = PersonFactory(organization=school.branch, name="王晓明")
    services.user_update(user=user, full_name="王小明", is_active=True, person=first)
    services.user_update(user=user, full_name=" 王晓明 ", is_active=False, person=second)
    user.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (user.full_name, user.is_active) == ("王晓明", False)
    assert first.user_id is None
    assert second.user_id == user.pk
    update = AuditEntry.objects.filter(
        object_pk=str(user.pk), content_type__model="user", action=AuditEntry.Action.UPDATE
    ).latest("timestamp")
    assert update.changes["is_active"] == [True, False]


def test_user_update_refuses_to_deactivate_oneself(school):
    admin = school.users[Role.DISTRICT_ADMIN]
    with pytest.raises(DomainError, match="不能停用自己"):
        services.user_update(
            user=admin, full_name=admin.full_name, is_active=False, person=None, by=admin
        )
    admin.refresh_from_db()
    assert admin.is_active


def test_user_set_password_validates_and_logs_without_the_password(school):
    user = school.users[Role.MEMBER]
    with pytest.raises(DomainError, match="密码"):
        services.user_set_password(user=user, password="123")
    services.user_set_password(user=user, password=GOOD_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    entry = AuditEntry.objects.filter(object_pk=str(user.pk), content_type__model="user").latest(
        "timestamp"
    )
    assert entry.changes == {"password": ["******", "已重置"]}
    assert entry.tenant_id == school.tenant.pk
    assert GOOD_PASSWORD not in str(entry.changes) + str(entry.serialized_data)


# ---- role grants ---------------------------------------------------------------------------


def test_role_grant_add_within_subtree(school, school_admin):
    user = _create(school)
    grant = services.role_grant_add(
        user=user, role=Role.SECRETARY, organization=school.branch, by=school_admin
    )
    assert grant.tenant_id == school.tenant.pk
    assert scope_for(user).can(Capability.CHANGE, school.group.path)
    assert AuditEntry.objects.filter(
        object_pk=str(grant.pk), content_type__model="rolegrant", tenant=school.tenant
    ).exists()


def test_role_grant_add_outside_the_admins_subtree_is_refused(school, school_admin):
    user = _create(school)
    with pytest.raises(DomainError, match="不在您管理的组织范围内"):
        services.role_grant_add(
            user=user, role=Role.LEADER, organization=school.district, by=school_admin
        )
    assert not RoleGrant.objects.filter(user=user).exists()


def test_role_grant_on_another_tenants_organization_is_impossible(school, other_school):
    user = _create(school)
    with pytest.raises(DomainError, match="本教育系统"):
        services.role_grant_add(user=user, role=Role.MEMBER, organization=other_school.branch)
    assert not RoleGrant.objects.filter(user=user).exists()


def test_role_grant_add_refuses_duplicates_and_unknown_roles(school):
    user = school.users[Role.SECRETARY]
    with pytest.raises(DomainError, match="已在"):
        services.role_grant_add(user=user, role=Role.SECRETARY, organization=school.school)
    with pytest.raises(DomainError, match="未知的角色"):
        services.role_grant_add(user=user, role="superuser", organization=school.school)


def test_role_grant_remove_takes_the_rights_away_at_once(school):
    admin = school.users[Role.DISTRICT_ADMIN]
    secretary = school.users[Role.SECRETARY]
    assert scope_for(secretary).can(Capability.CHANGE)
    grant = secretary.role_grants.get()
    grant_pk = grant.pk
    services.role_grant_remove(grant=grant, by=admin)
    assert not RoleGrant.objects.filter(user=secretary).exists()
    assert not scope_for(secretary).can(Capability.CHANGE)
    assert AuditEntry.objects.filter(
        object_pk=str(grant_pk), action=AuditEntry.Action.DELETE, tenant=school.tenant
    ).exists()


def test_role_grant_remove_refuses_own_admin_role_and_outside_subtree(school, school_admin):
    with pytest.raises(DomainError, match="不能移除自己的管理员角色"):
        services.role_grant_remove(grant=school_admin.role_grants.get(), by=school_admin)
    district_grant = school.users[Role.DISTRICT_ADMIN].role_grants.get()
    with pytest.raises(DomainError, match="不在您管理的组织范围内"):
        services.role_grant_remove(grant=district_grant, by=school_admin)
    assert RoleGrant.objects.filter(pk=district_grant.pk).exists()


# ---- personal access tokens ----------------------------------------------------------------


def test_access_token_create_stores_only_the_hash(school):
    user = school.users[Role.SECRETARY]
    token, key = services.access_token_create(user=user, name="同步脚本")
    assert key.startswith("xf_")
    assert token.prefix == key[:12]
    assert token.key_hash == AccessToken.hash_key(key)
    stored = AccessToken.objects.filter(pk=token.pk).values().get()
    assert key not in [str(value) for value in stored.values()]
    entry = AuditEntry.objects.get(object_pk=str(token.pk), content_type__model="accesstoken")
    assert key not in str(entry.changes) and token.key_hash not in str(entry.changes)
    found = AccessToken.objects.get(key_hash=AccessToken.hash_key(key), revoked_at__isnull=True)
    assert found.user_id == user.pk


def test_access_token_create_refuses_empty_name_and_accounts_without_tenant(school):
    with pytest.raises(DomainError, match="用途"):
        services.access_token_create(user=school.users[Role.MEMBER], name="  ")
    lonely = User.objects.create_user(username="lonely", password=GOOD_PASSWORD)
    with pytest.raises(DomainError, match="不属于任何教育系统"):
        services.access_token_create(user=lonely, name="脚本")
    assert not AccessToken.objects.exists()


def test_access_token_create_limits_live_tokens(school):
    user = school.users[Role.MEMBER]
    for number in range(services.MAX_ACTIVE_TOKENS):
        services.access_token_create(user=user, name=f"脚本{number}")
    with pytest.raises(DomainError, match="最多保留"):
        services.access_token_create(user=user, name="再来一个")
    services.access_token_revoke(token=user.access_tokens.first())
    services.access_token_create(user=user, name="再来一个")


def test_access_token_revoke_stops_the_key(school):
    token, key = services.access_token_create(user=school.users[Role.MEMBER], name="脚本")
    services.access_token_revoke(token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_active
    assert not AccessToken.objects.filter(
        key_hash=AccessToken.hash_key(key), revoked_at__isnull=True
    ).exists()
    with pytest.raises(DomainError, match="已经撤销"):
        services.access_token_revoke(token=token)
