import pytest

from xianfeng.testing import School, build_school


@pytest.fixture
def school(db) -> School:
    """Our school system, with one user per role."""
    return build_school()


@pytest.fixture
def other_school(db) -> School:
    """Another tenant: nothing of it may ever be visible to `school`'s users."""
    return build_school(slug="district-b", name="乙区教育系统")
