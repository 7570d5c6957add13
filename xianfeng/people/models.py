from django.conf import settings
from django.db import models

from xianfeng.core.models import Tenant
from xianfeng.lib.text import name_initials, name_pinyin
from xianfeng.organizations.models import Organization


class PoliticalStatus(models.TextChoices):
    """政治面貌, in the order of member development (发展党员)."""

    MEMBER = "member", "正式党员"
    PROBATIONARY = "probationary", "预备党员"
    CANDIDATE = "candidate", "发展对象"
    ACTIVIST = "activist", "入党积极分子"
    APPLICANT = "applicant", "入党申请人"
    MASSES = "masses", "群众"


PARTY_STATUSES = {PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY}


class MassesKind(models.TextChoices):
    NONE = "", "—"
    STAFF = "staff", "教职工"
    STUDENT = "student", "学生"
    PARENT = "parent", "家长"


class PostCategory(models.TextChoices):
    """岗位类别: the rules of several standards depend on it (三星 eligibility)."""

    NONE = "", "—"
    ADMINISTRATOR = "administrator", "行政人员"
    HEAD_TEACHER = "head_teacher", "班主任"
    TEACHER = "teacher", "一线教师"
    LOGISTICS = "logistics", "后勤"
    STUDENT_MEMBER = "student_member", "学生党员"
    RETIRED = "retired", "离退休"


class Gender(models.TextChoices):
    NONE = "", "—"
    MALE = "male", "男"
    FEMALE = "female", "女"


class Person(models.Model):
    """人员: a member, activist, candidate or one of the masses (staff, student, parent)."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所在组织",
        on_delete=models.PROTECT,
        related_name="people",
    )
    code = models.CharField(
        "人员编号", max_length=32, help_text="在本教育系统内唯一，花名册重复导入时按它匹配。"
    )
    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名全拼", max_length=200, editable=False, default="")
    name_initials = models.CharField("姓名首字母", max_length=50, editable=False, default="")
    gender = models.CharField("性别", max_length=6, choices=Gender.choices, blank=True, default="")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    status = models.CharField("政治面貌", max_length=20, choices=PoliticalStatus.choices)
    masses_kind = models.CharField(
        "群众类别", max_length=10, choices=MassesKind.choices, blank=True, default=""
    )
    post_category = models.CharField(
        "岗位类别", max_length=20, choices=PostCategory.choices, blank=True, default=""
    )
    joined_on = models.DateField("入党时间", null=True, blank=True)
    full_member_on = models.DateField("转正时间", null=True, blank=True)
    is_party_affairs_worker = models.BooleanField("党务工作者", default=False)
    is_leadership_member = models.BooleanField("领导班子成员", default=False)
    is_new_member = models.BooleanField("新党员", default=False)
    title = models.CharField("行政职务", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    is_active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="person_unique_code"),
            models.CheckConstraint(
                condition=models.Q(status__in=PoliticalStatus.values), name="person_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(post_category__in=PostCategory.values),
                name="person_post_category_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=sorted(PARTY_STATUSES), joined_on__isnull=True),
                name="person_member_has_join_date",
            ),
            models.CheckConstraint(
                condition=models.Q(full_member_on__isnull=True)
                | models.Q(joined_on__isnull=False, full_member_on__gte=models.F("joined_on")),
                name="person_full_after_join",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "name_pinyin"], name="person_tenant_pinyin"),
            models.Index(fields=["tenant", "name_initials"], name="person_tenant_initials"),
            models.Index(fields=["tenant", "organization"], name="person_tenant_org"),
            models.Index(fields=["tenant", "status"], name="person_tenant_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.name_pinyin = name_pinyin(self.name)
        self.name_initials = name_initials(self.name)
        super().save(*args, **kwargs)

    @property
    def is_party_member(self) -> bool:
        return self.status in PARTY_STATUSES


class Position(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    ORGANIZATION_COMMITTEE = "organization", "组织委员"
    PROPAGANDA_COMMITTEE = "propaganda", "宣传委员"
    DISCIPLINE_COMMITTEE = "discipline", "纪检委员"
    COMMITTEE_MEMBER = "committee_member", "委员"
    GROUP_LEADER = "group_leader", "组长"
    DEPUTY_GROUP_LEADER = "deputy_group_leader", "副组长"
    MEMBER = "member", "成员"


class Membership(models.Model):
    """组织任职: a person's place in an organization, with the position held there."""

    tenant = models.ForeignKey(Tenant, verbose_name="教育系统", on_delete=models.CASCADE)
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    since = models.DateField("任职时间", null=True, blank=True)

    class Meta:
        verbose_name = "组织任职"
        verbose_name_plural = "组织任职"
        ordering = ["organization_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "position"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(position__in=Position.values), name="membership_position_valid"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "organization"], name="membership_tenant_org")]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_position_display()} {self.person}"
