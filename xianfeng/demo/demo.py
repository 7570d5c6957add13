"""示范数据: an invented but realistic school system to show and try every page.

One tenant, 示范区教育系统: the district education committee with a senior high school (党总支, four
subject branches, 党小组 and 功能党小组), an urban primary school and a rural central school, each with
members, activists, candidates and masses, and one account per role. Names come from surname and
given-name lists with a fixed seed, so every load creates the same people; dates are relative to the
day of loading, so 预备党员 are always within their first year.

Everything is written through the same services as the UI, so the demo obeys the same rules.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from xianfeng.core.errors import DomainError
from xianfeng.core.models import Role, RoleGrant, Tenant, User
from xianfeng.organizations.models import BranchType, Organization, OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import (
    PARTY_STATUSES,
    Gender,
    MassesKind,
    Person,
    PoliticalStatus,
    Position,
    PostCategory,
)
from xianfeng.people.services import PersonData, membership_add, person_create

DEMO_SLUG = "demo"
DEMO_TENANT_NAME = "示范区教育系统"
# One password for every demo account; it passes Django's password validators.
DEMO_PASSWORD = "Xianfeng@2026"
_SEED = 20260701

DISTRICT = "示范区教育局党委"
HIGH_SCHOOL = "示范区第一高级中学"
PRIMARY_SCHOOL = "示范区实验小学"
RURAL_SCHOOL = "示范区王庄乡中心学校"
HIGH_SCHOOL_ORG = f"{HIGH_SCHOOL}党总支"
PRIMARY_SCHOOL_ORG = f"{PRIMARY_SCHOOL}党支部"
RURAL_SCHOOL_ORG = f"{RURAL_SCHOOL}党支部"
DEMO_CLASS = "高一(3)班"
DEMO_GROUP = "语文第一党小组"
DEMO_BRANCH = "语文党支部"


@dataclass(frozen=True)
class DemoAccount:
    """One demo login: its role, the organization it holds the role over, and what it sees."""

    role: str
    username: str
    scope: str
    sees: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        Role.DISTRICT_ADMIN,
        "demo_admin",
        DISTRICT,
        "全区三所学校的全部组织与人员，可维护名册、管理账号、查看审计日志",
    ),
    DemoAccount(
        Role.INSPECTOR, "demo_inspector", HIGH_SCHOOL_ORG, "第一高级中学的全部组织与人员（只读）"
    ),
    DemoAccount(
        Role.LEADER, "demo_leader", HIGH_SCHOOL_ORG, "第一高级中学的全部组织与人员（只读）"
    ),
    DemoAccount(
        Role.SECRETARY,
        "demo_secretary",
        HIGH_SCHOOL_ORG,
        "第一高级中学的组织与人员，可维护名册、导入花名册、查看手机号",
    ),
    DemoAccount(Role.GROUP_LEADER, "demo_groupleader", DEMO_GROUP, "本党小组的成员（只读）"),
    DemoAccount(Role.MEMBER, "demo_member", DEMO_BRANCH, "本支部的组织与人员（只读）"),
)

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN_MALE = (
    "建国 志强 伟明 海军 宏杰 文斌 鹏飞 俊峰 浩然 子轩 宇航 振华 立新 文博 家豪 永胜 德明 嘉树 世昌"
    " 启航 耀东 学良 兴邦 明远 国庆 志刚 建华 晓东 海涛 建军 卫东 小龙 天佑 思源 一鸣 承泽 亮 磊 刚"
    " 斌 勇 杰 涛 军 昊 凯"
).split()
_GIVEN_FEMALE = (
    "秀英 桂兰 丽娟 静怡 雅琴 慧敏 晓燕 淑华 玉梅 丹红 欣悦 梦瑶 思雨 若曦 佳琪 婉清 春燕 雪莲 海霞"
    " 晶晶 翠萍 美玲 婷婷 金凤 诗涵 紫萱 小红 丽华 红梅 雨桐 欣怡 语嫣 艳 静 敏 娟 芳 丽 霞 燕 萍 琳"
).split()


@dataclass
class DemoSummary:
    """What one load created."""

    tenant: Tenant
    organizations: int
    people: int
    party_members: int
    accounts: int


@dataclass(frozen=True)
class _BranchPlan:
    name: str
    groups: tuple[str, ...]
    functional: tuple[str, ...]
    members: int  # party members, probationary ones included
    probationary: int
    activists: int
    candidates: int
    staff: int


# About 60 party members in the high school, spread over four subject branches.
_HIGH_BRANCHES = (
    _BranchPlan(
        DEMO_BRANCH,
        (DEMO_GROUP, "语文第二党小组"),
        ("教学科研功能党小组", "德育工作功能党小组"),
        members=16,
        probationary=2,
        activists=2,
        candidates=1,
        staff=4,
    ),
    _BranchPlan("数学党支部", ("数学党小组",), (), 15, 1, 2, 1, 3),
    _BranchPlan("英语党支部", ("英语党小组",), (), 13, 1, 1, 1, 3),
    _BranchPlan(
        "理化生党支部",
        ("理化生第一党小组", "理化生第二党小组"),
        ("教学科研功能党小组", "校园平安功能党小组"),
        members=16,
        probationary=1,
        activists=2,
        candidates=0,
        staff=3,
    ),
)

# The high school's leaders, placed in the branch of the subject they teach, with their 党总支 post.
_HIGH_LEADERS = (
    # (branch index, title, 党总支 position or "", leadership member, party-affairs worker)
    (0, "党总支书记", Position.SECRETARY, True, True),
    (1, "校长", Position.DEPUTY_SECRETARY, True, False),
    (2, "副校长", Position.ORGANIZATION_COMMITTEE, True, True),
    (3, "副校长", Position.DISCIPLINE_COMMITTEE, True, False),
    (0, "政教处主任", Position.PROPAGANDA_COMMITTEE, False, True),
    (1, "教务处主任", "", False, False),
    (3, "总务处主任", "", False, False),
)

_BRANCH_COMMITTEE = (
    Position.SECRETARY,
    Position.ORGANIZATION_COMMITTEE,
    Position.PROPAGANDA_COMMITTEE,
    Position.DISCIPLINE_COMMITTEE,
)


@dataclass
class _School:
    prefix: str
    female_share: float
    counter: int = 0


def _year_after(day: datetime.date) -> datetime.date:
    """转正 one year after joining: the same day of the next year (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class _Builder:
    def __init__(self, tenant: Tenant, today: datetime.date) -> None:
        self.tenant = tenant
        self.today = today
        self.rng = random.Random(_SEED)
        # Dates draw from their own stream: the people are the same whatever day the demo is loaded.
        self.date_rng = random.Random(_SEED + 1)
        self.used_names: set[str] = set()
        self.organizations = 0

    # ----- invented values -------------------------------------------------------------------
    def name(self, gender: str, surname: str | None = None) -> str:
        given_names = _GIVEN_MALE if gender == Gender.MALE else _GIVEN_FEMALE
        for _ in range(200):
            family = surname or self.rng.choice(_SURNAMES)
            candidate = family + self.rng.choice(given_names)
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate
        raise DomainError("示范数据的姓名用尽了，请扩充姓名字表。")

    def gender(self, female_share: float) -> str:
        return Gender.FEMALE if self.rng.random() < female_share else Gender.MALE

    def phone(self) -> str:
        prefix = self.rng.choice(("138", "139", "135", "137", "150", "151", "158", "186", "187"))
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.date_rng.randint(0, (end - start).days))

    def birth(self, first_year: int, last_year: int) -> datetime.date:
        return self.day_between(datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 28))

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.date_rng.randint(low, high))

    # ----- records ---------------------------------------------------------------------------
    def org(
        self, name: str, kind: str, parent: Organization | None = None, **options: object
    ) -> Organization:
        self.organizations += 1
        return organization_create(
            tenant=self.tenant,
            name=name,
            kind=kind,
            parent=parent,
            sort_order=self.organizations,
            **options,  # type: ignore[arg-type]
        )

    def person(
        self,
        school: _School,
        organization: Organization,
        *,
        status: str,
        post: str = "",
        title: str = "",
        masses_kind: str = "",
        party_worker: bool = False,
        leadership: bool = False,
        recent: bool = False,
        gender: str | None = None,
        surname: str | None = None,
        born: tuple[int, int] = (1968, 1996),
        with_phone: bool = True,
    ) -> Person:
        gender = gender or self.gender(school.female_share)
        # Recent members are young teachers; nobody joins the Party at fifty.
        birth_date = self.birth(1988, 1998) if recent else self.birth(*born)
        joined_on: datetime.date | None = None
        full_member_on: datetime.date | None = None
        is_new = False
        if status == PoliticalStatus.PROBATIONARY:
            joined_on = self.days_ago(20, 340)
            is_new = True
        elif status == PoliticalStatus.MEMBER and recent:
            # Full members within their first three years still count as 新党员.
            joined_on = self.days_ago(400, 1000)
            full_member_on = _year_after(joined_on)
            is_new = True
        elif status == PoliticalStatus.MEMBER:
            # Joined between twenty and thirty-five, and at least four years ago.
            latest = self.today - datetime.timedelta(days=365 * 4)
            earliest = min(birth_date + datetime.timedelta(days=365 * 20), latest)
            joined_on = self.day_between(
                earliest, min(birth_date + datetime.timedelta(days=365 * 35), latest)
            )
            full_member_on = _year_after(joined_on)
        school.counter += 1
        return person_create(
            tenant=self.tenant,
            data=PersonData(
                code=f"{school.prefix}{school.counter:04d}",
                name=self.name(gender, surname),
                organization=organization,
                status=status,
                gender=gender,
                birth_date=birth_date,
                masses_kind=masses_kind,
                post_category=post,
                joined_on=joined_on,
                full_member_on=full_member_on,
                is_party_affairs_worker=party_worker,
                is_leadership_member=leadership,
                is_new_member=is_new,
                title=title,
                phone=self.phone() if with_phone else "",
            ),
        )

    def position(self, person: Person, organization: Organization, position: str) -> None:
        membership_add(
            person=person,
            organization=organization,
            position=position,
            since=self.days_ago(200, 1400),
        )

    def teacher_post(self, head_teacher_share: float = 0.25) -> str:
        if self.rng.random() < head_teacher_share:
            return PostCategory.HEAD_TEACHER
        return PostCategory.TEACHER

    def masses_and_development(
        self,
        school: _School,
        organization: Organization,
        *,
        activists: int,
        candidates: int,
        staff: int,
    ) -> None:
        for _ in range(candidates):
            self.person(
                school,
                organization,
                status=PoliticalStatus.CANDIDATE,
                post=PostCategory.TEACHER,
                born=(1990, 1999),
            )
        for _ in range(activists):
            self.person(
                school,
                organization,
                status=PoliticalStatus.ACTIVIST,
                post=PostCategory.TEACHER,
                born=(1992, 2000),
            )
        for index in range(staff):
            self.person(
                school,
                organization,
                status=PoliticalStatus.MASSES,
                masses_kind=MassesKind.STAFF,
                post=PostCategory.LOGISTICS if index == 0 else self.teacher_post(0.3),
            )


def _district(b: _Builder) -> tuple[Organization, dict[str, Person]]:
    school = _School(prefix="JY", female_share=0.4)
    district = b.org(DISTRICT, OrganizationKind.COMMITTEE, unit_name="示范区教育局")
    people: dict[str, Person] = {}
    for key, title, position, worker, leadership in (
        ("secretary", "局党委书记、局长", Position.SECRETARY, False, True),
        ("deputy", "局党委副书记", Position.DEPUTY_SECRETARY, True, True),
        ("admin", "局党委组织委员、党建办主任", Position.ORGANIZATION_COMMITTEE, True, False),
        ("propaganda", "局党委宣传委员", Position.PROPAGANDA_COMMITTEE, True, False),
        ("discipline", "局党委纪检委员", Position.DISCIPLINE_COMMITTEE, True, True),
        ("inspector", "责任督学、督导组组长", "", False, False),
    ):
        person = b.person(
            school,
            district,
            status=PoliticalStatus.MEMBER,
            post=PostCategory.ADMINISTRATOR,
            title=title,
            party_worker=worker,
            leadership=leadership,
            born=(1966, 1980),
        )
        if position:
            b.position(person, district, position)
        people[key] = person
    return district, people


def _high_school(b: _Builder, district: Organization) -> dict[str, Person]:
    school = _School(prefix="YZ", female_share=0.6)
    general = b.org(
        HIGH_SCHOOL_ORG,
        OrganizationKind.GENERAL_BRANCH,
        district,
        unit_name=HIGH_SCHOOL,
        is_school=True,
    )
    people: dict[str, Person] = {}
    head_teacher_classes = iter(
        f"{name}班主任"
        for name in (f"高{grade}({number})班" for grade in "一二三" for number in range(1, 13))
        if name != DEMO_CLASS
    )
    for index, plan in enumerate(_HIGH_BRANCHES):
        branch = b.org(plan.name, OrganizationKind.BRANCH, general, branch_type=BranchType.SUBJECT)
        groups = [b.org(name, OrganizationKind.GROUP, branch) for name in plan.groups]
        functional = [
            b.org(name, OrganizationKind.FUNCTIONAL_GROUP, branch) for name in plan.functional
        ]
        branch_people: list[Person] = []

        def place(i: int, _groups: list[Organization] = groups) -> Organization:
            return _groups[i % len(_groups)]

        for title, position, leadership, worker in (
            (t, p, lead, w) for (bi, t, p, lead, w) in _HIGH_LEADERS if bi == index
        ):
            leader = b.person(
                school,
                place(len(branch_people)),
                status=PoliticalStatus.MEMBER,
                post=PostCategory.ADMINISTRATOR,
                title=title,
                leadership=leadership,
                party_worker=worker,
                born=(1968, 1982),
            )
            if position:
                b.position(leader, general, position)
            people.setdefault(title, leader)
            branch_people.append(leader)
        regular = plan.members - plan.probationary - len(branch_people)
        for i in range(regular):
            post = b.teacher_post()
            if index == 3 and i == 0:
                post = PostCategory.LOGISTICS
            title = next(head_teacher_classes) if post == PostCategory.HEAD_TEACHER else ""
            branch_people.append(
                b.person(
                    school,
                    place(len(branch_people)),
                    status=PoliticalStatus.MEMBER,
                    post=post,
                    title=title,
                    recent=i % 6 == 5,
                )
            )
        for _ in range(plan.probationary):
            branch_people.append(
                b.person(
                    school,
                    place(len(branch_people)),
                    status=PoliticalStatus.PROBATIONARY,
                    post=PostCategory.TEACHER,
                    born=(1994, 2001),
                )
            )
        # The branch committee comes from the teachers, not from the school's leaders.
        teachers = [
            p
            for p in branch_people
            if p.post_category in (PostCategory.TEACHER, PostCategory.HEAD_TEACHER)
        ]
        for person, position in zip(teachers, _BRANCH_COMMITTEE, strict=False):
            b.position(person, branch, position)
            if position == Position.SECRETARY:
                person.is_party_affairs_worker = True
                person.save(update_fields=["is_party_affairs_worker", "updated_at"])
        for group in groups:
            in_group = [p for p in branch_people if p.organization_id == group.pk]
            leader = next(
                p
                for p in in_group
                if p.status == PoliticalStatus.MEMBER
                and p.post_category != PostCategory.ADMINISTRATOR
            )
            b.position(leader, group, Position.GROUP_LEADER)
            if group.name == DEMO_GROUP:
                people["group_leader"] = leader
        # 功能党小组: every member of the branch in exactly one, the first of each as its leader.
        for i, person in enumerate(branch_people if functional else []):
            group = functional[i % len(functional)]
            is_first = i < len(functional)
            b.position(person, group, Position.GROUP_LEADER if is_first else Position.MEMBER)
        if index == 0:
            people["member"] = next(
                p
                for p in branch_people
                if p.organization.name != DEMO_GROUP
                and not p.memberships.exclude(position=Position.MEMBER).exists()
            )
            _demo_class(b, school, branch, branch_people)
        b.masses_and_development(
            school,
            branch,
            activists=plan.activists,
            candidates=plan.candidates,
            staff=plan.staff,
        )
    return people


def _demo_class(
    b: _Builder, school: _School, branch: Organization, branch_people: list[Person]
) -> None:
    """高一(3)班: its head teacher is in the 语文 branch, which links the class (三联系)."""
    head = next(
        p
        for p in branch_people
        if p.status == PoliticalStatus.MEMBER and p.post_category == PostCategory.TEACHER
    )
    head.post_category = PostCategory.HEAD_TEACHER
    head.title = f"{DEMO_CLASS}班主任"
    head.save(update_fields=["post_category", "title", "updated_at"])
    entry_year = b.today.year - (0 if b.today.month >= 9 else 1)
    for _ in range(30):
        child_gender = b.gender(0.5)
        father = b.rng.random() < 0.5
        parent_gender = Gender.MALE if father else Gender.FEMALE
        student = b.person(
            school,
            branch,
            status=PoliticalStatus.MASSES,
            masses_kind=MassesKind.STUDENT,
            title=f"{DEMO_CLASS}学生",
            gender=child_gender,
            born=(entry_year - 16, entry_year - 15),
            with_phone=False,
        )
        b.person(
            school,
            branch,
            status=PoliticalStatus.MASSES,
            masses_kind=MassesKind.PARENT,
            title=f"{DEMO_CLASS}{student.name}家长",
            gender=parent_gender,
            surname=student.name[0] if father else None,
            born=(1976, 1986),
        )


def _single_branch_school(
    b: _Builder,
    district: Organization,
    *,
    name: str,
    unit: str,
    prefix: str,
    female_share: float,
    groups: tuple[str, ...],
    leaders: tuple[tuple[str, str, bool], ...],
    members: int,
    probationary: int,
    retired: int,
    activists: int,
    candidates: int,
    staff: int,
) -> None:
    school = _School(prefix=prefix, female_share=female_share)
    branch = b.org(name, OrganizationKind.BRANCH, district, unit_name=unit, is_school=True)
    group_orgs = [b.org(group, OrganizationKind.GROUP, branch) for group in groups]
    places = group_orgs or [branch]
    branch_people: list[Person] = []
    for title, position, leadership in leaders:
        person = b.person(
            school,
            places[len(branch_people) % len(places)],
            status=PoliticalStatus.MEMBER,
            post=PostCategory.ADMINISTRATOR,
            title=title,
            leadership=leadership,
            party_worker=position in (Position.SECRETARY, Position.ORGANIZATION_COMMITTEE),
            born=(1968, 1984),
        )
        b.position(person, branch, position)
        branch_people.append(person)
    for _ in range(retired):
        branch_people.append(
            b.person(
                school,
                places[len(branch_people) % len(places)],
                status=PoliticalStatus.MEMBER,
                post=PostCategory.RETIRED,
                born=(1952, 1962),
            )
        )
    for i in range(members - probationary - len(branch_people)):
        branch_people.append(
            b.person(
                school,
                places[len(branch_people) % len(places)],
                status=PoliticalStatus.MEMBER,
                post=PostCategory.LOGISTICS if i == 0 else b.teacher_post(0.35),
                recent=i % 7 == 6,
            )
        )
    for _ in range(probationary):
        branch_people.append(
            b.person(
                school,
                places[len(branch_people) % len(places)],
                status=PoliticalStatus.PROBATIONARY,
                post=PostCategory.TEACHER,
                born=(1995, 2001),
            )
        )
    for group in group_orgs:
        leader = next(
            p
            for p in branch_people
            if p.organization_id == group.pk
            and p.status == PoliticalStatus.MEMBER
            and p.post_category != PostCategory.ADMINISTRATOR
        )
        b.position(leader, group, Position.GROUP_LEADER)
    b.masses_and_development(
        school, branch, activists=activists, candidates=candidates, staff=staff
    )


def _accounts(b: _Builder, people: dict[str, Person]) -> int:
    organizations = {o.name: o for o in Organization.objects.filter(tenant=b.tenant)}
    linked = {
        "demo_admin": people["admin"],
        "demo_inspector": people["inspector"],
        "demo_leader": people["校长"],
        "demo_secretary": people["党总支书记"],
        "demo_groupleader": people["group_leader"],
        "demo_member": people["member"],
    }
    for account in DEMO_ACCOUNTS:
        person = linked[account.username]
        if person.user_id is not None:
            raise DomainError(f"示范人员{person.name}已关联账号，不能再关联 {account.username}。")
        user = User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            tenant=b.tenant,
            full_name=person.name,
        )
        RoleGrant.objects.create(
            tenant=b.tenant,
            user=user,
            role=account.role,
            organization=organizations[account.scope],
        )
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return len(DEMO_ACCOUNTS)


def demo_exists() -> bool:
    return Tenant.objects.filter(slug=DEMO_SLUG).exists()


def demo_load(*, today: datetime.date | None = None) -> DemoSummary | None:
    """Create the demo school system; None when it is already there (nothing is changed)."""
    if demo_exists():
        return None
    taken = sorted(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise DomainError(
            f"示范账号 {'、'.join(taken)} 已存在，但示范教育系统不存在；请先删除这些账号再加载示范数据。"
        )
    with transaction.atomic():
        tenant = Tenant.objects.create(name=DEMO_TENANT_NAME, slug=DEMO_SLUG)
        b = _Builder(tenant, today or datetime.date.today())
        district, people = _district(b)
        people.update(_high_school(b, district))
        _single_branch_school(
            b,
            district,
            name=PRIMARY_SCHOOL_ORG,
            unit=PRIMARY_SCHOOL,
            prefix="SX",
            female_share=0.75,
            groups=("低年级党小组", "高年级党小组"),
            leaders=(
                ("党支部书记、校长", Position.SECRETARY, True),
                ("副校长", Position.ORGANIZATION_COMMITTEE, True),
                ("教导主任", Position.PROPAGANDA_COMMITTEE, False),
                ("总务主任", Position.DISCIPLINE_COMMITTEE, False),
            ),
            members=20,
            probationary=2,
            retired=0,
            activists=2,
            candidates=1,
            staff=8,
        )
        _single_branch_school(
            b,
            district,
            name=RURAL_SCHOOL_ORG,
            unit=RURAL_SCHOOL,
            prefix="WZ",
            female_share=0.5,
            groups=(),
            leaders=(
                ("党支部书记、校长", Position.SECRETARY, True),
                ("副校长", Position.ORGANIZATION_COMMITTEE, True),
                ("教导主任", Position.PROPAGANDA_COMMITTEE, False),
            ),
            members=15,
            probationary=1,
            retired=2,
            activists=1,
            candidates=1,
            staff=6,
        )
        accounts = _accounts(b, people)
        everyone = Person.objects.filter(tenant=tenant)
        return DemoSummary(
            tenant=tenant,
            organizations=b.organizations,
            people=everyone.count(),
            party_members=everyone.filter(status__in=sorted(PARTY_STATUSES)).count(),
            accounts=accounts,
        )
