"""Writes to accounts, role grants and personal access tokens.

Each function is keyword-only, runs in one transaction and refuses bad input with a DomainError whose
message is shown to the user as it is. Passing the acting user (``by``) also checks that the change
stays inside the part of the tree that user manages; management commands pass no actor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.core.access import Capability, forget_scope, scope_for
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AccessToken, AuditEntry, Role, RoleGrant, Tenant, User

if TYPE_CHECKING:
    from xianfeng.organizations.models import Organization
    from xianfeng.people.models import Person

# A forgotten script should not leave dozens of live keys behind one account.
MAX_ACTIVE_TOKENS = 20


# Django's own Chinese catalogue lags behind some of its validator messages, so the ones the
# settings enable are worded here by their error code; any other validator keeps its own message.
PASSWORD_MESSAGES = {
    "password_too_short": "密码太短，至少需要 {min_length} 个字符。",
    "password_entirely_numeric": "密码不能全是数字。",
    "password_too_common": "这个密码太常见，容易被猜中。",
    "password_too_similar": "密码与{verbose_name}太相似。",
}


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        problems = []
        for item in error.error_list:
            template = PASSWORD_MESSAGES.get(item.code or "")
            params = item.params if isinstance(item.params, dict) else {}
            try:
                problems.append(template.format(**params) if template else item.messages[0])
            except KeyError:
                problems.append(item.messages[0])
        raise DomainError("密码不符合要求：" + "".join(problems), field="password") from None


def _check_person(person: Person | None, *, tenant_id: int | None, user: User | None) -> None:
    if person is None:
        return
    if person.tenant_id != tenant_id:
        raise DomainError("该人员不属于本教育系统。", field="person")
    if person.user_id is not None and (user is None or person.user_id != user.pk):
        raise DomainError(f"人员“{person.name}”（{person.code}）已关联其他账号。", field="person")


def _check_manages(by: User | None, path: str, message: str) -> None:
    if by is not None and not scope_for(by).can(Capability.MANAGE_USERS, path):
        raise DomainError(message, field="organization")


def _link_person(user: User, person: Person | None) -> None:
    from xianfeng.people.models import Person

    current = Person.objects.filter(user=user)
    if person is not None:
        current = current.exclude(pk=person.pk)
    for old in current:
        old.user = None
        old.save(update_fields=["user", "updated_at"])
    if person is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "updated_at"])


def user_create(
    *,
    tenant: Tenant,
    username: str,
    full_name: str,
    password: str,
    person: Person | None = None,
) -> User:
    username = username.strip()
    full_name = full_name.strip()
    if not username:
        raise DomainError("用户名不能为空。", field="username")
    if len(username) > 150:
        raise DomainError("用户名不能超过 150 个字符。", field="username")
    try:
        User.username_validator(username)
    except ValidationError:
        raise DomainError(
            "用户名只能包含字母、数字和 @ . + - _ 这些字符。", field="username"
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"用户名“{username}”已被使用。", field="username")
    if not full_name:
        raise DomainError("姓名不能为空。", field="full_name")
    if len(full_name) > 50:
        raise DomainError("姓名不能超过 50 个字符。", field="full_name")
    user = User(username=username, full_name=full_name, tenant=tenant)
    _check_password(password, user)
    _check_person(person, tenant_id=tenant.pk, user=None)
    try:
        with transaction.atomic():
            user.set_password(password)
            user.save()
            _link_person(user, person)
    except IntegrityError:
        # Someone took the name between the check above and the insert.
        raise DomainError(f"用户名“{username}”已被使用。", field="username") from None
    return user


def user_update(
    *,
    user: User,
    full_name: str,
    is_active: bool,
    person: Person | None,
    by: User | None = None,
) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise DomainError("姓名不能为空。", field="full_name")
    if len(full_name) > 50:
        raise DomainError("姓名不能超过 50 个字符。", field="full_name")
    if by is not None and by.pk == user.pk and not is_active:
        raise DomainError("不能停用自己的账号。", field="is_active")
    _check_person(person, tenant_id=user.tenant_id, user=user)
    with transaction.atomic():
        user.full_name = full_name
        user.is_active = is_active
        user.save(update_fields=["full_name", "is_active"])
        _link_person(user, person)
    return user


def user_set_password(*, user: User, password: str) -> User:
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        # The password itself is never logged, but that it was reset (and by whom) is.
        AuditEntry.objects.log_create(
            user,
            action=AuditEntry.Action.UPDATE,
            changes={"password": ["******", "已重置"]},
            force_log=True,
        )
    return user


def role_grant_add(
    *, user: User, role: str, organization: Organization, by: User | None = None
) -> RoleGrant:
    if role not in Role.values:
        raise DomainError(f"未知的角色：{role}", field="role")
    if user.tenant_id is None:
        raise DomainError("该账号不属于任何教育系统，不能授予角色。")
    if organization.tenant_id != user.tenant_id:
        raise DomainError("只能在本教育系统的组织上授予角色。", field="organization")
    _check_manages(by, organization.path, f"“{organization.name}”不在您管理的组织范围内。")
    if RoleGrant.objects.filter(user=user, role=role, organization=organization).exists():
        raise DomainError(
            f"{user}已在“{organization.name}”拥有“{Role(role).label}”角色。", field="role"
        )
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                tenant_id=user.tenant_id, user=user, role=role, organization=organization
            )
    except IntegrityError:
        raise DomainError(
            f"{user}已在“{organization.name}”拥有“{Role(role).label}”角色。", field="role"
        ) from None
    forget_scope(user)
    return grant


def role_grant_remove(*, grant: RoleGrant, by: User | None = None) -> None:
    _check_manages(
        by, grant.organization.path, f"“{grant.organization.name}”不在您管理的组织范围内。"
    )
    if by is not None and grant.user_id == by.pk and grant.role == Role.DISTRICT_ADMIN:
        # Otherwise an administrator could lock the whole school system out of account management.
        raise DomainError("不能移除自己的管理员角色，请由其他管理员操作。")
    user = grant.user
    with transaction.atomic():
        grant.delete()
    forget_scope(user)


def access_token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    """A new token and its key; the key is returned once and only its hash is kept."""
    name = name.strip()
    if user.tenant_id is None:
        raise DomainError("该账号不属于任何教育系统，不能创建访问令牌。")
    if not name:
        raise DomainError("请填写令牌用途。", field="name")
    if len(name) > 100:
        raise DomainError("令牌用途不能超过 100 个字符。", field="name")
    active = AccessToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            f"每个账号最多保留 {MAX_ACTIVE_TOKENS} 个有效令牌，请先撤销不用的令牌。",
            field="name",
        )
    key = AccessToken.new_key()
    with transaction.atomic():
        token = AccessToken.objects.create(
            tenant_id=user.tenant_id,
            user=user,
            name=name,
            prefix=key[:12],
            key_hash=AccessToken.hash_key(key),
        )
    return token, key


def access_token_revoke(*, token: AccessToken) -> AccessToken:
    if token.revoked_at is not None:
        raise DomainError("该令牌已经撤销。")
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
