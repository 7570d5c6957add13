"""Writes to the organization tree. Each keeps the materialized paths consistent in one transaction."""

from django.db import transaction
from django.db.models import F, ProtectedError, RestrictedError, Value
from django.db.models.functions import Concat, Length, Substr

from xianfeng.core.errors import DomainError
from xianfeng.core.models import Tenant
from xianfeng.organizations.models import ALLOWED_CHILDREN, Organization, OrganizationKind


def _check_child_kind(parent: Organization | None, kind: str) -> None:
    if parent is None:
        return
    if kind not in ALLOWED_CHILDREN[parent.kind]:
        raise DomainError(
            f"“{OrganizationKind(parent.kind).label}”下不能设立“{OrganizationKind(kind).label}”。",
            field="parent",
        )


def organization_create(
    *,
    tenant: Tenant,
    name: str,
    kind: str,
    parent: Organization | None = None,
    branch_type: str = "",
    unit_name: str = "",
    is_school: bool = False,
    sort_order: int = 0,
) -> Organization:
    if kind not in OrganizationKind.values:
        raise DomainError(f"未知的组织类型：{kind}", field="kind")
    if parent is not None and parent.tenant_id != tenant.pk:
        raise DomainError("上级组织不属于本教育系统。", field="parent")
    _check_child_kind(parent, kind)
    name = name.strip()
    if not name:
        raise DomainError("组织名称不能为空。", field="name")
    if Organization.objects.filter(tenant=tenant, parent=parent, name=name).exists():
        raise DomainError(f"同一上级下已有名为“{name}”的组织。", field="name")
    with transaction.atomic():
        organization = Organization.objects.create(
            tenant=tenant,
            parent=parent,
            name=name,
            kind=kind,
            branch_type=branch_type if kind == OrganizationKind.BRANCH else "",
            unit_name=unit_name or (parent.unit_name if parent else ""),
            is_school=is_school,
            sort_order=sort_order,
        )
        prefix = parent.path if parent else "/"
        organization.path = f"{prefix}{organization.pk}/"
        organization.depth = (parent.depth + 1) if parent else 0
        organization.save(update_fields=["path", "depth"])
    return organization


def organization_update(
    *,
    organization: Organization,
    name: str,
    branch_type: str = "",
    unit_name: str = "",
    is_school: bool = False,
    sort_order: int = 0,
) -> Organization:
    name = name.strip()
    if not name:
        raise DomainError("组织名称不能为空。", field="name")
    clash = Organization.objects.filter(
        tenant_id=organization.tenant_id, parent_id=organization.parent_id, name=name
    ).exclude(pk=organization.pk)
    if clash.exists():
        raise DomainError(f"同一上级下已有名为“{name}”的组织。", field="name")
    organization.name = name
    organization.branch_type = branch_type if organization.kind == OrganizationKind.BRANCH else ""
    organization.unit_name = unit_name
    organization.is_school = is_school
    organization.sort_order = sort_order
    organization.save()
    return organization


def organization_move(*, organization: Organization, new_parent: Organization) -> Organization:
    """Move a subtree under a new parent; a move into its own subtree (a cycle) is refused."""
    if new_parent.tenant_id != organization.tenant_id:
        raise DomainError("不能移动到其他教育系统的组织下。", field="parent")
    if new_parent.pk == organization.pk or new_parent.path.startswith(organization.path):
        raise DomainError(
            f"不能把“{organization.name}”移动到它自己或它的下级组织“{new_parent.name}”之下（会形成循环）。",
            field="parent",
        )
    _check_child_kind(new_parent, organization.kind)
    if (
        Organization.objects.filter(
            tenant_id=organization.tenant_id, parent=new_parent, name=organization.name
        )
        .exclude(pk=organization.pk)
        .exists()
    ):
        raise DomainError(
            f"“{new_parent.name}”下已有同名组织“{organization.name}”。", field="parent"
        )
    with transaction.atomic():
        # Lock the subtree so a concurrent move cannot interleave with this one.
        list(
            Organization.objects.select_for_update()
            .filter(tenant_id=organization.tenant_id, path__startswith=organization.path)
            .values_list("pk", flat=True)
        )
        old_path = organization.path
        new_path = f"{new_parent.path}{organization.pk}/"
        depth_shift = new_parent.depth + 1 - organization.depth
        Organization.objects.filter(
            tenant_id=organization.tenant_id, path__startswith=old_path
        ).update(
            path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
            depth=F("depth") + depth_shift,
        )
        Organization.objects.filter(pk=organization.pk).update(parent=new_parent)
        organization.refresh_from_db()
        # Bulk updates skip signals; the move is still written to the audit log.
        from xianfeng.core.models import AuditEntry

        AuditEntry.objects.log_create(
            organization,
            action=AuditEntry.Action.UPDATE,
            changes={"path": [old_path, organization.path], "parent": ["", str(new_parent.pk)]},
            force_log=True,
        )
    return organization


def organization_delete(*, organization: Organization) -> None:
    if organization.children.exists():
        raise DomainError("该组织下还有下级组织，请先移动或删除下级组织。")
    if organization.people.exists():
        raise DomainError("该组织下还有人员，请先把人员转到其他组织。")
    if organization.role_grants.exists():
        raise DomainError("还有账号在该组织上授权，请先在“账号与角色”中收回授权。")
    try:
        with transaction.atomic():
            organization.delete()
    except (ProtectedError, RestrictedError) as error:
        # Campaign records and other history point at the organization; they must not vanish.
        holders = (
            error.protected_objects
            if isinstance(error, ProtectedError)
            else error.restricted_objects
        )
        kinds = sorted({str(obj._meta.verbose_name) for obj in holders})
        raise DomainError(
            f"该组织已有{'、'.join(kinds)}等记录，不能删除；如已撤销，可改名或移动到其他组织下。"
        ) from error
