import hashlib
import secrets

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.auth.models import AbstractUser
from django.db import models


class Tenant(models.Model):
    """教育系统: one school system (a district's education system) and everything it owns."""

    name = models.CharField("名称", max_length=100, unique=True)
    slug = models.SlugField("代号", max_length=50, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "教育系统"
        verbose_name_plural = "教育系统"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """账号: a person who signs in. Masses mostly have none; they vote with one-time codes."""

    tenant = models.ForeignKey(
        Tenant, verbose_name="教育系统", on_delete=models.PROTECT, null=True, blank=True
    )
    full_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        indexes = [models.Index(fields=["tenant", "username"])]

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    """角色: what an account may do within the organization subtree it holds."""

    DISTRICT_ADMIN = "district_admin", "教育系统党委管理员"
    INSPECTOR = "inspector", "督导组"
    LEADER = "leader", "领导"
    SECRETARY = "secretary", "书记/党务工作者"
    GROUP_LEADER = "group_leader", "党小组长"
    MEMBER = "member", "党员"


class RoleGrant(models.Model):
    """角色授权: one role held over one organization and everything below it."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    user = models.ForeignKey(
        User, verbose_name="账号", on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="管辖组织",
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    created_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="rolegrant_unique_per_scope"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="rolegrant_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "user"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class AccessToken(models.Model):
    """个人访问令牌: lets a script use the API as its owner. Only a hash is stored."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    user = models.ForeignKey(
        User, verbose_name="账号", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"
        indexes = [models.Index(fields=["tenant", "user"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "xf_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        # The tenant key lives on the entry itself so the audit view is one indexed filter.
        kwargs.setdefault("tenant_id", getattr(instance, "tenant_id", None))
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    """审计日志: who changed which record when, and what changed. Never edited."""

    tenant = models.ForeignKey(
        Tenant,
        verbose_name="教育系统",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["tenant", "-timestamp"])]

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("审计日志不可修改。")
        super().save(*args, **kwargs)
