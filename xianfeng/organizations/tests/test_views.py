import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianfeng.core.models import Role
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.organizations.selectors import organization_tree
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import Membership, Position
from xianfeng.testing import PersonFactory

TREE = reverse("organizations:tree")


def login(client, school, role):
    client.force_login(school.users[role])
    return client


def url(name, organization):
    return reverse(f"organizations:{name}", args=[organization.pk])


@pytest.mark.parametrize("role", list(Role))
def test_tree_renders_for_every_role(client, school, role):
    response = login(client, school, role).get(TREE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "组织架构" in content
    assert school.group.name in content
    assert url("detail", school.group) in content


def test_tree_shows_only_the_visible_subtree(client, school, other_school):
    content = login(client, school, Role.MEMBER).get(TREE).content.decode()
    assert school.branch.name in content
    assert school.other_branch.name not in content
    assert school.school.name not in content
    assert url("detail", other_school.branch) not in content


def test_tree_counts_members_directly_and_with_the_subtree(school):
    PersonFactory.create_batch(2, organization=school.branch)
    PersonFactory(organization=school.group, is_active=False)
    roots = organization_tree(user=school.users[Role.SECRETARY])
    assert [r.organization for r in roots] == [school.school]
    branches = {n.organization: n for n in roots[0].children}
    branch = branches[school.branch]
    assert branch.member_count == 2
    assert branch.total_members == 3  # 张三丰 in the group below counts too; the inactive one not
    assert [n.organization for n in branch.children] == [school.group]
    assert branches[school.other_branch].total_members == 0
    assert roots[0].total_members == 3


def test_tree_is_built_with_the_same_queries_however_large(client, school):
    client = login(client, school, Role.SECRETARY)
    with CaptureQueriesContext(connection) as small:
        client.get(TREE)
    for index in range(12):
        branch = organization_create(
            tenant=school.tenant,
            name=f"第{index}党支部",
            kind=OrganizationKind.BRANCH,
            parent=school.school,
        )
        organization_create(
            tenant=school.tenant, name="第一党小组", kind=OrganizationKind.GROUP, parent=branch
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(TREE)
    assert "第11党支部" in response.content.decode()
    assert len(large) == len(small)


def test_detail_shows_facts_breadcrumb_children_positions_and_members(client, school):
    Membership.objects.create(
        tenant=school.tenant,
        person=school.member,
        organization=school.branch,
        position=Position.SECRETARY,
    )
    response = login(client, school, Role.SECRETARY).get(url("detail", school.branch))
    content = response.content.decode()
    assert response.status_code == 200
    assert "学科党支部" in content
    # Breadcrumb from the path: the district is shown as text, the school as a link.
    assert school.district.name in content
    assert url("detail", school.district) not in content
    assert url("detail", school.school) in content
    assert url("detail", school.group) in content
    assert "书记" in content
    assert "张三丰" in content
    assert f"{reverse('people:list')}?organization={school.branch.pk}" in content
    assert url("edit", school.branch) in content


def test_detail_has_no_change_buttons_for_a_member(client, school):
    content = login(client, school, Role.MEMBER).get(url("detail", school.branch)).content.decode()
    assert url("edit", school.branch) not in content
    assert url("delete", school.branch) not in content


def test_another_tenants_organization_is_404(client, school, other_school):
    client = login(client, school, Role.DISTRICT_ADMIN)
    for name in ("detail", "edit", "move", "delete", "create"):
        assert client.get(url(name, other_school.branch)).status_code == 404


def test_an_organization_outside_the_members_scope_is_404(client, school):
    response = login(client, school, Role.MEMBER).get(url("detail", school.other_branch))
    assert response.status_code == 404


def test_member_trying_to_change_is_403(client, school):
    client = login(client, school, Role.MEMBER)
    for name in ("edit", "move", "delete", "create"):
        assert client.get(url(name, school.branch)).status_code == 403
    response = client.post(url("edit", school.branch), {"name": "改名", "sort_order": 0})
    assert response.status_code == 403
    assert client.post(url("delete", school.group)).status_code == 403
    school.branch.refresh_from_db()
    assert school.branch.name == "语文党支部"
    assert Organization.objects.filter(pk=school.group.pk).exists()


def test_secretary_creates_a_child_organization(client, school):
    client = login(client, school, Role.SECRETARY)
    form = client.get(url("create", school.branch)).content.decode()
    assert "功能党小组" in form and "党总支" not in form.split("组织类型")[1].split("</select>")[0]
    response = client.post(
        url("create", school.branch),
        {"name": "教学科研功能党小组", "kind": OrganizationKind.FUNCTIONAL_GROUP, "sort_order": ""},
    )
    created = Organization.objects.get(name="教学科研功能党小组")
    assert response.status_code == 302
    assert response["Location"] == url("detail", created)
    assert created.parent == school.branch
    assert created.path == f"{school.branch.path}{created.pk}/"


def test_create_shows_the_service_error(client, school):
    response = login(client, school, Role.SECRETARY).post(
        url("create", school.branch), {"name": school.group.name, "kind": OrganizationKind.GROUP}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        f"同一上级下已有名为“{school.group.name}”的组织。"
    ]


def test_secretary_edits_an_organization(client, school):
    response = login(client, school, Role.SECRETARY).post(
        url("edit", school.branch),
        {
            "name": "语文学科党支部",
            "branch_type": "subject",
            "unit_name": "第一中学",
            "sort_order": 3,
        },
    )
    assert response.status_code == 302
    school.branch.refresh_from_db()
    assert school.branch.name == "语文学科党支部"
    assert school.branch.sort_order == 3


def test_move_into_its_own_subtree_shows_the_error_and_changes_nothing(client, school):
    before = dict(Organization.objects.values_list("pk", "path"))
    response = login(client, school, Role.DISTRICT_ADMIN).post(
        url("move", school.school), {"new_parent": school.branch.pk}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "会形成循环" in content
    assert f"不能把“{school.school.name}”移动到它自己或它的下级组织" in content
    assert dict(Organization.objects.values_list("pk", "path")) == before
    school.school.refresh_from_db()
    assert school.school.parent == school.district


def test_move_a_group_to_another_branch(client, school):
    client = login(client, school, Role.SECRETARY)
    form = client.get(url("move", school.group)).content.decode()
    assert school.other_branch.name in form
    response = client.post(url("move", school.group), {"new_parent": school.other_branch.pk})
    assert response.status_code == 302
    school.group.refresh_from_db()
    assert school.group.parent == school.other_branch
    assert school.group.path.startswith(school.other_branch.path)


def test_move_offers_only_organizations_the_user_may_change(client, school):
    response = login(client, school, Role.SECRETARY).post(
        url("move", school.group), {"new_parent": school.district.pk}
    )
    assert response.status_code == 200
    assert "new_parent" in response.context["form"].errors
    school.group.refresh_from_db()
    assert school.group.parent == school.branch


def test_delete_asks_for_confirmation_then_deletes(client, school):
    leaf = organization_create(
        tenant=school.tenant, name="临时党小组", kind=OrganizationKind.GROUP, parent=school.branch
    )
    client = login(client, school, Role.SECRETARY)
    confirmation = client.get(url("delete", leaf))
    assert confirmation.status_code == 200
    assert "确定要删除党小组“临时党小组”吗" in confirmation.content.decode()
    assert Organization.objects.filter(pk=leaf.pk).exists()

    response = client.post(url("delete", leaf))
    assert response.status_code == 302
    assert response["Location"] == url("detail", school.branch)
    assert not Organization.objects.filter(pk=leaf.pk).exists()


def test_delete_is_refused_with_the_services_message(client, school):
    client = login(client, school, Role.SECRETARY)
    response = client.post(url("delete", school.branch))
    assert response.status_code == 400
    assert "该组织下还有下级组织" in response.content.decode()
    response = client.post(url("delete", school.group))
    assert response.status_code == 400
    assert "该组织下还有人员" in response.content.decode()
    assert Organization.objects.filter(pk__in=[school.branch.pk, school.group.pk]).count() == 2
