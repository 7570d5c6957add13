from django.db import models

from xianfeng.core.models import Tenant


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"
    FUNCTIONAL_GROUP = "functional_group", "功能党小组"


class BranchType(models.TextChoices):
    NONE = "", "—"
    SUBJECT = "subject", "学科党支部"
    GRADE = "grade", "年级党支部"
    STUDENT = "student", "学生党支部"
    RETIREE = "retiree", "离退休党支部"
    OTHER = "other", "其他党支部"


# Which kinds may stand under which: the tree a school system's Party organizations form.
ALLOWED_CHILDREN: dict[str, set[str]] = {
    OrganizationKind.COMMITTEE: {
        OrganizationKind.COMMITTEE,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.BRANCH,
    },
    OrganizationKind.GENERAL_BRANCH: {OrganizationKind.BRANCH},
    OrganizationKind.BRANCH: {OrganizationKind.GROUP, OrganizationKind.FUNCTIONAL_GROUP},
    OrganizationKind.GROUP: set(),
    OrganizationKind.FUNCTIONAL_GROUP: set(),
}


class Organization(models.Model):
    """党组织: a node of the tree 党委 → 党总支 → 党支部 → 党小组 / 功能党小组."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField("组织类型", max_length=20, choices=OrganizationKind.choices)
    branch_type = models.CharField(
        "支部类别", max_length=10, choices=BranchType.choices, blank=True, default=""
    )
    name = models.CharField("名称", max_length=100)
    unit_name = models.CharField(
        "所在单位", max_length=100, blank=True, help_text="学校或单位名称，如“第一中学”。"
    )
    is_school = models.BooleanField(
        "学校党组织",
        default=False,
        help_text="一所学校党组织的最高一级（学校看不到其他学校的数据）。",
    )
    # Materialized path of primary keys, "/1/5/12/": a subtree is one indexed prefix filter.
    path = models.CharField("路径", max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "parent", "name"], name="organization_unique_name_under_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values),
                name="organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="organization_not_own_parent"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "path"], name="organization_tenant_path"),
            models.Index(
                fields=["path"], name="organization_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_descendant_of(self, other: "Organization") -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]
