import pytest
from django.test import RequestFactory
from django.urls import reverse

from xianfeng.core.context_processors import _entries, navigation
from xianfeng.core.models import Role
from xianfeng.testing import PersonFactory, make_user

HOME = reverse("home")


def login(client, school, role):
    client.force_login(school.users[role])
    return client


def test_home_requires_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_chinese_and_signs_in(client, school):
    page = client.get(reverse("login"))
    content = page.content.decode()
    assert page.status_code == 200
    for text in ("账号登录", "用户名", "密码", "登录"):
        assert text in content
    response = client.post(
        reverse("login"),
        {"username": school.users[Role.SECRETARY].username, "password": "Xianfeng-2026!"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_wrong_password_shows_a_chinese_error(client, school):
    response = client.post(
        reverse("login"),
        {"username": school.users[Role.SECRETARY].username, "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_home_renders_for_every_role(client, school, role):
    response = login(client, school, role).get(HOME)
    assert response.status_code == 200
    content = response.content.decode()
    assert Role(role).label in content
    assert "我的组织" in content


def test_home_shows_the_held_organization_with_counts(client, school):
    PersonFactory.create_batch(3, organization=school.other_branch)
    PersonFactory(organization=school.branch, is_active=False)
    response = login(client, school, Role.SECRETARY).get(HOME)
    held = response.context["held"]
    assert len(held) == 1
    card = held[0]
    assert card.organization == school.school
    assert card.roles == [Role.SECRETARY.label]
    assert card.people == 4  # 张三丰 and the three in 数学党支部; the inactive one is not counted
    assert card.branches == 2
    assert card.organizations == 4
    content = response.content.decode()
    assert school.school.name in content
    assert reverse("organizations:detail", args=[school.school.pk]) in content


def test_home_lists_several_roles_over_one_organization(client, school):
    from xianfeng.core.models import RoleGrant

    leader = school.users[Role.LEADER]
    RoleGrant.objects.create(
        tenant=school.tenant, user=leader, role=Role.INSPECTOR, organization=school.school
    )
    held = login(client, school, Role.LEADER).get(HOME).context["held"]
    assert [h.roles for h in held] == [[Role.INSPECTOR.label, Role.LEADER.label]]


def test_home_shows_the_members_own_profile(client, school):
    content = login(client, school, Role.MEMBER).get(HOME).content.decode()
    assert "我的信息" in content
    assert "张三丰" in content


def test_account_without_roles_is_told_so(client, school):
    client.force_login(make_user(tenant=school.tenant, username="newcomer"))
    content = client.get(HOME).content.decode()
    assert "还没有分配角色" in content
    assert reverse("people:list") not in content


def test_navigation_follows_the_role(client, school):
    member_page = login(client, school, Role.MEMBER).get(HOME).content.decode()
    assert 'href="/organizations/"' in member_page
    assert 'href="/people/"' in member_page
    assert 'href="/manage/users/"' not in member_page
    assert 'href="/manage/audit/"' not in member_page
    nav = [entry.label for entry in client.get(HOME).context["nav"]]
    assert nav == ["首页", "组织架构", "人员名册", "主题活动", "功能党小组"]


def test_navigation_leaves_out_pages_that_are_not_installed(rf: RequestFactory, school):
    request = rf.get("/people/roster/import/")
    entries = _entries(
        request,
        [("home", "首页"), ("people:list", "人员名册"), ("nowhere:missing", "未安装的页面")],
    )
    assert [(e.url, e.active) for e in entries] == [("/", False), ("/people/", True)]


def test_navigation_for_a_district_admin_starts_with_the_common_pages(rf: RequestFactory, school):
    request = rf.get("/")
    request.user = school.users[Role.DISTRICT_ADMIN]
    entries = navigation(request)["nav"]
    assert [e.url for e in entries][:3] == ["/", "/organizations/", "/people/"]
    assert entries[0].active is True


def test_switching_to_english(client, school):
    client = login(client, school, Role.SECRETARY)
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    content = client.get(HOME).content.decode()
    assert '<html lang="en">' in content
    for text in ("Organizations", "Roster", "Sign out", "My organizations"):
        assert text in content
    roster = client.get(reverse("people:list")).content.decode()
    assert "Add person" in roster and "Clear filters" in roster

    client.post(reverse("set_language"), {"language": "zh-hans", "next": HOME})
    content = client.get(HOME).content.decode()
    assert "组织架构" in content and "My organizations" not in content
