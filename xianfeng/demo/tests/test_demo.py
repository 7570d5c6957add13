"""Loading the demo: from an empty database, twice, and next to accounts that are in the way."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from xianfeng.core.models import RoleGrant, Tenant, User
from xianfeng.demo.demo import DEMO_PASSWORD, demo_load
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Membership, Person

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "tenants": Tenant.objects.count(),
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "users": User.objects.count(),
        "grants": RoleGrant.objects.count(),
    }


def test_loading_twice_creates_nothing_new_and_is_deterministic():
    def people() -> list[tuple[str, str, str, str]]:
        return list(
            Person.objects.order_by("code").values_list("code", "name", "status", "post_category")
        )

    # The same seed gives the same people whatever the day: load, remember, undo, load again.
    with transaction.atomic():
        demo_load(today=datetime.date(2026, 6, 1))
        first = people()
        transaction.set_rollback(True)
    assert not Tenant.objects.exists()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "已创建示范数据" in out.getvalue()
    assert people() == first
    assert len({name for _, name, _, _ in first}) == len(first), "示范人员不应重名"
    counts = _counts()
    assert counts["tenants"] == 1

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "示范数据已存在" in out.getvalue()
    assert _counts() == counts


def test_existing_demo_accounts_without_the_demo_system_are_reported():
    User.objects.create_user(username="demo_admin", password=DEMO_PASSWORD)
    with pytest.raises(CommandError, match="demo_admin"):
        call_command("load_demo", stdout=StringIO())
    assert not Tenant.objects.exists()


def test_demo_logins_warns_when_nothing_is_loaded():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "尚未加载" in out.getvalue()
