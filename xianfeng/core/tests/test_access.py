from xianfeng.core.access import Capability, scope_for
from xianfeng.core.models import Role


def test_scope_checks_tenant_path_and_overlap(school, other_school):
    scope = scope_for(school.users[Role.MEMBER])  # member of 语文党支部
    assert scope.owns(school.group) and not scope.owns(other_school.group)
    assert scope.can_on(Capability.VIEW, school.group, school.group.path)
    assert not scope.can_on(Capability.VIEW, school.other_branch, school.other_branch.path)
    assert not scope.can_on(Capability.VIEW, other_school.group, school.group.path)
    # The school above the branch overlaps it (a school-wide campaign is visible to the member);
    # the sibling branch does not.
    assert scope.overlaps(Capability.VIEW, school.school.path)
    assert not scope.overlaps(Capability.VIEW, school.other_branch.path)
    assert not scope.overlaps(Capability.CHANGE, school.school.path)
