import pytest

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditEntry
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.organizations.services import organization_create, organization_move


def test_paths_follow_the_tree(school):
    assert school.branch.path == f"{school.school.path}{school.branch.pk}/"
    assert school.group.depth == 3
    assert school.group.is_descendant_of(school.school)


def test_move_subtree_rewrites_every_descendant(school):
    organization_move(organization=school.group, new_parent=school.other_branch)
    group = Organization.objects.get(pk=school.group.pk)
    assert group.parent_id == school.other_branch.pk
    assert group.path == f"{school.other_branch.path}{group.pk}/"
    assert AuditEntry.objects.filter(object_pk=str(group.pk), tenant=school.tenant).exists()


def test_move_of_branch_carries_its_groups(school):
    new_school = organization_create(
        tenant=school.tenant,
        name="第二中学党总支",
        kind=OrganizationKind.GENERAL_BRANCH,
        parent=school.district,
    )
    organization_move(organization=school.branch, new_parent=new_school)
    group = Organization.objects.get(pk=school.group.pk)
    assert group.path.startswith(new_school.path)
    assert group.depth == 3


def test_move_into_own_subtree_is_refused_and_changes_nothing(school):
    before = list(Organization.objects.values_list("pk", "path", "parent_id"))
    with pytest.raises(DomainError, match="循环"):
        organization_move(organization=school.school, new_parent=school.branch)
    assert list(Organization.objects.values_list("pk", "path", "parent_id")) == before


def test_kind_rules_are_enforced(school):
    with pytest.raises(DomainError, match="党小组"):
        organization_create(
            tenant=school.tenant, name="错位", kind=OrganizationKind.BRANCH, parent=school.group
        )


def test_parent_from_another_tenant_is_refused(school, other_school):
    with pytest.raises(DomainError, match="教育系统"):
        organization_move(organization=school.branch, new_parent=other_school.school)


def test_delete_refused_while_campaign_records_point_at_it(school):
    import datetime

    from xianfeng.campaigns.models import Campaign, CampaignTemplate, TemplateVersion
    from xianfeng.organizations.services import organization_delete

    template = CampaignTemplate.objects.create(tenant=school.tenant, slug="t", name="模板")
    version = TemplateVersion.objects.create(
        tenant=school.tenant, template=template, version=1, yaml_text="", parsed={}
    )
    empty = organization_create(
        tenant=school.tenant, name="临时党支部", kind=OrganizationKind.BRANCH, parent=school.school
    )
    Campaign.objects.create(
        tenant=school.tenant,
        template_version=version,
        name="活动",
        root=empty,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    with pytest.raises(DomainError, match="不能删除"):
        organization_delete(organization=empty)
    assert Organization.objects.filter(pk=empty.pk).exists()


def test_delete_refused_while_an_account_holds_a_grant_there(school):
    from xianfeng.core.models import Role, RoleGrant
    from xianfeng.organizations.services import organization_delete

    empty = organization_create(
        tenant=school.tenant, name="临时党支部", kind=OrganizationKind.BRANCH, parent=school.school
    )
    RoleGrant.objects.create(
        tenant=school.tenant, user=school.users[Role.MEMBER], role=Role.MEMBER, organization=empty
    )
    with pytest.raises(DomainError, match="授权"):
        organization_delete(organization=empty)
    assert RoleGrant.objects.filter(organization=empty).exists()
