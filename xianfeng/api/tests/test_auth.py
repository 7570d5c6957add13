import datetime

from django.test import Client
from django.utils import timezone

from xianfeng.api.tests.conftest import ApiClient, make_token
from xianfeng.core.models import AccessToken, AuditEntry, Role
from xianfeng.organizations.models import Organization

UNAUTHENTICATED = "请先登录或提供有效的访问令牌。"


def _new_group(school):
    return {"parent_id": school.branch.pk, "name": "语文第二党小组", "kind": "group"}


def test_no_credentials_is_401_with_chinese_detail(school):
    response = Client().get("/api/organizations")
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHENTICATED}
    assert response["WWW-Authenticate"] == "Bearer"
    # Written as UTF-8 text, not \u escapes, so the message reads as it is in curl and logs.
    assert UNAUTHENTICATED in response.content.decode()


def test_unsafe_request_without_credentials_is_401_not_a_csrf_failure(school):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/organizations", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"] == UNAUTHENTICATED


def test_token_authenticates_as_its_owner(school):
    key, token = make_token(school.users[Role.SECRETARY])
    response = Client().get("/api/organizations", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    names = {item["name"] for item in response.json()["items"]}
    assert names == {"第一中学党总支", "语文党支部", "数学党支部", "语文第一党小组"}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(school):
    key, token = make_token(school.users[Role.MEMBER])
    headers = {"Authorization": f"Bearer {key}"}
    recent = timezone.now() - datetime.timedelta(seconds=20)
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    assert Client().get("/api/organizations", headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == recent

    stale = timezone.now() - datetime.timedelta(minutes=5)
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    assert Client().get("/api/organizations", headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > stale + datetime.timedelta(minutes=4)


def test_revoked_token_is_401(school):
    key, token = make_token(school.users[Role.SECRETARY])
    token.revoked_at = timezone.now()
    token.save()
    response = Client().get("/api/organizations", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401
    assert response.json()["detail"] == UNAUTHENTICATED


def test_unknown_or_malformed_token_is_401(school):
    make_token(school.users[Role.SECRETARY])
    for value in ("Bearer xf_not-a-real-token", "Bearer abc", "Token xf_abc", "Bearer"):
        response = Client().get("/api/organizations", headers={"Authorization": value})
        assert response.status_code == 401, value


def test_token_of_an_inactive_account_is_401(school):
    user = school.users[Role.SECRETARY]
    key, _ = make_token(user)
    user.is_active = False
    user.save()
    response = Client().get("/api/organizations", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_token_carries_only_its_owners_role_grants(school):
    member_key, _ = make_token(school.users[Role.MEMBER])
    member = ApiClient(Client(), {"Authorization": f"Bearer {member_key}"})
    response = member.post("/api/organizations", _new_group(school))
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有执行此操作的权限。"}

    secretary_key, _ = make_token(school.users[Role.SECRETARY])
    secretary = ApiClient(Client(), {"Authorization": f"Bearer {secretary_key}"})
    response = secretary.post("/api/organizations", _new_group(school))
    assert response.status_code == 201


def test_changes_made_with_a_token_are_audited_under_its_owner(school):
    user = school.users[Role.SECRETARY]
    key, _ = make_token(user)
    client = ApiClient(Client(), {"Authorization": f"Bearer {key}"})
    response = client.post("/api/organizations", _new_group(school))
    assert response.status_code == 201
    entry = AuditEntry.objects.get_for_object(
        Organization.objects.get(pk=response.json()["id"])
    ).get(action=AuditEntry.Action.CREATE)
    assert entry.actor == user
    assert entry.tenant == school.tenant


def test_session_authenticates_the_browser(school):
    client = Client()
    client.force_login(school.users[Role.SECRETARY])
    response = client.get(f"/api/organizations/{school.branch.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "语文党支部"


def test_session_login_through_the_login_page_works(school):
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": school.users[Role.MEMBER].username, "password": "Xianfeng-2026!"},
    )
    assert response.status_code == 302
    assert client.get("/api/people").status_code == 200


def test_session_write_needs_the_csrf_token(school):
    client = Client(enforce_csrf_checks=True)
    client.force_login(school.users[Role.SECRETARY])
    response = client.post(
        "/api/organizations", _new_group(school), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF 校验失败，请刷新页面后重试。"}
    assert not Organization.objects.filter(name="语文第二党小组").exists()

    # The docs page hands the browser its CSRF token, as any page of the site does.
    assert client.get("/api/docs").status_code == 200
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/organizations",
        _new_group(school),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201


def test_token_write_needs_no_csrf_token(school):
    key, _ = make_token(school.users[Role.SECRETARY])
    client = ApiClient(Client(enforce_csrf_checks=True), {"Authorization": f"Bearer {key}"})
    assert client.post("/api/organizations", _new_group(school)).status_code == 201


def test_a_token_of_another_tenant_sees_nothing_of_ours(school, other_school):
    key, _ = make_token(other_school.users[Role.DISTRICT_ADMIN])
    client = ApiClient(Client(), {"Authorization": f"Bearer {key}"})
    response = client.get(f"/api/organizations/{school.school.pk}")
    assert response.status_code == 404
    ids = {item["id"] for item in client.get("/api/organizations").json()["items"]}
    assert school.school.pk not in ids
