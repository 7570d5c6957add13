import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

from xianfeng.core import services
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Role, User

PASSWORD = "Xianfeng-2026!"


def _attempt(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account(client, school):
    username = school.users[Role.SECRETARY].username
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = _attempt(client, username, "wrong-password")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()
    _attempt(client, username, "wrong-password")

    response = _attempt(client, username, PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    assert "登录已暂停" in response.content.decode()
    assert "registration/locked_out.html" in [t.name for t in response.templates]


def test_four_wrong_passwords_do_not_lock(client, school):
    username = school.users[Role.SECRETARY].username
    for _ in range(4):
        _attempt(client, username, "wrong-password")
    response = _attempt(client, username, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_lockout_is_per_account(client, school):
    for _ in range(5):
        _attempt(client, school.users[Role.SECRETARY].username, "wrong-password")
    _attempt(client, school.users[Role.MEMBER].username, PASSWORD)
    assert _signed_in(client)


def test_lockout_template_exists_and_is_chinese():
    content = get_template("registration/locked_out.html").template.source
    assert "登录已暂停" in content


def test_password_validators_are_active(school):
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "NumericPasswordValidator"} <= names
    with pytest.raises(DomainError, match="密码太短") as refused:
        services.user_create(
            tenant=school.tenant, username="newcomer", full_name="新同志", password="123456"
        )
    assert "密码不能全是数字" in refused.value.message
    assert not User.objects.filter(username="newcomer").exists()
