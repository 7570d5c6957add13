import pytest

from xianfeng.core.models import Role
from xianfeng.people.models import MassesKind, PoliticalStatus, PostCategory
from xianfeng.people.selectors import PersonFilters, person_list
from xianfeng.testing import PersonFactory


@pytest.fixture
def roster(school):
    """A few people with distinct names, statuses and flags around the school tree."""
    people = {
        "zhang": school.member,  # 张三丰, in the group below 语文党支部
        "li": PersonFactory(organization=school.branch, name="李四", code="P-LI"),
        "wang": PersonFactory(
            organization=school.other_branch,
            name="王小明",
            post_category=PostCategory.HEAD_TEACHER,
            is_party_affairs_worker=True,
        ),
        "zhao": PersonFactory(
            organization=school.other_branch,
            name="赵敏",
            status=PoliticalStatus.PROBATIONARY,
            full_member_on=None,
            is_new_member=True,
        ),
        "chen": PersonFactory(
            organization=school.school,
            name="陈静",
            status=PoliticalStatus.MASSES,
            masses_kind=MassesKind.PARENT,
            joined_on=None,
            full_member_on=None,
            post_category=PostCategory.NONE,
        ),
        "sun": PersonFactory(
            organization=school.branch, name="孙立", is_leadership_member=True, is_active=False
        ),
    }
    return people


def names(queryset):
    return sorted(p.name for p in queryset)


def test_search_by_characters(school, roster):
    secretary = school.users[Role.SECRETARY]
    assert names(person_list(user=secretary, query="三丰")) == ["张三丰"]
    assert names(person_list(user=secretary, query="小")) == ["王小明"]


def test_search_by_full_pinyin_prefix_and_contains(school, roster):
    secretary = school.users[Role.SECRETARY]
    assert names(person_list(user=secretary, query="zhangsanfeng")) == ["张三丰"]
    assert names(person_list(user=secretary, query="zhang")) == ["张三丰"]
    assert names(person_list(user=secretary, query="xiaoming")) == ["王小明"]
    # Upper case and spaces are typed on phones; they match the same.
    assert names(person_list(user=secretary, query="Wang Xiao")) == ["王小明"]


def test_search_by_initials(school, roster):
    secretary = school.users[Role.SECRETARY]
    assert names(person_list(user=secretary, query="zsf")) == ["张三丰"]
    assert names(person_list(user=secretary, query="wxm")) == ["王小明"]
    assert names(person_list(user=secretary, query="zm")) == ["赵敏"]


def test_search_by_code(school, roster):
    secretary = school.users[Role.SECRETARY]
    assert names(person_list(user=secretary, query="p-li")) == ["李四"]


def test_search_finds_nothing_for_unknown_name(school, roster):
    assert not person_list(user=school.users[Role.SECRETARY], query="欧阳").exists()


def test_filter_by_organization_includes_subtree(school, roster):
    secretary = school.users[Role.SECRETARY]
    in_branch = person_list(user=secretary, filters=PersonFilters(organization=school.branch))
    assert names(in_branch) == ["张三丰", "李四"]
    in_school = person_list(user=secretary, filters=PersonFilters(organization=school.school))
    assert names(in_school) == ["张三丰", "李四", "王小明", "赵敏", "陈静"]


def test_filter_by_status_post_category_and_masses_kind(school, roster):
    secretary = school.users[Role.SECRETARY]
    probationary = PersonFilters(status=PoliticalStatus.PROBATIONARY)
    assert names(person_list(user=secretary, filters=probationary)) == ["赵敏"]
    head_teachers = PersonFilters(post_category=PostCategory.HEAD_TEACHER)
    assert names(person_list(user=secretary, filters=head_teachers)) == ["王小明"]
    parents = PersonFilters(masses_kind=MassesKind.PARENT)
    assert names(person_list(user=secretary, filters=parents)) == ["陈静"]


def test_filter_by_flags(school, roster):
    secretary = school.users[Role.SECRETARY]
    workers = PersonFilters(party_affairs_worker=True)
    assert names(person_list(user=secretary, filters=workers)) == ["王小明"]
    new = PersonFilters(new_member=True)
    assert names(person_list(user=secretary, filters=new)) == ["赵敏"]
    leaders = PersonFilters(leadership_member=True, include_inactive=True)
    assert names(person_list(user=secretary, filters=leaders)) == ["孙立"]


def test_people_no_longer_on_the_roster_are_hidden_unless_asked_for(school, roster):
    secretary = school.users[Role.SECRETARY]
    assert "孙立" not in names(person_list(user=secretary))
    assert "孙立" in names(
        person_list(user=secretary, filters=PersonFilters(include_inactive=True))
    )


def test_search_and_filters_combine(school, roster):
    secretary = school.users[Role.SECRETARY]
    filters = PersonFilters(organization=school.other_branch)
    assert names(person_list(user=secretary, query="z", filters=filters)) == ["赵敏"]


def test_sorted_by_pinyin_both_ways(school, roster):
    secretary = school.users[Role.SECRETARY]
    ascending = [p.name for p in person_list(user=secretary)]
    assert ascending == ["陈静", "李四", "王小明", "张三丰", "赵敏"]
    descending = [
        p.name for p in person_list(user=secretary, filters=PersonFilters(sort="-pinyin"))
    ]
    assert descending == list(reversed(ascending))


def test_member_sees_only_their_branch(school, roster):
    member = school.users[Role.MEMBER]
    assert names(person_list(user=member)) == ["张三丰", "李四"]
    assert not person_list(user=member, query="王小明").exists()


def test_other_tenant_sees_none_of_our_people(school, other_school, roster):
    outsider = other_school.users[Role.DISTRICT_ADMIN]
    visible = names(person_list(user=outsider))
    assert visible == ["张三丰"]  # only their own school's 张三丰
    assert all(p.tenant_id == other_school.tenant.pk for p in person_list(user=outsider))
    assert not person_list(user=outsider, query="李四").exists()


def test_user_without_roles_sees_nobody(school, roster):
    from xianfeng.testing import make_user

    nobody = make_user(tenant=school.tenant, username="nobody")
    assert not person_list(user=nobody).exists()
