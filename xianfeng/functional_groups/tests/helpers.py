"""Test helpers: a branch's functional-group drive brought to any step, with named party members.

`drive_at(school, status)` walks the real services, so every test starts from a state the
workflow itself produced. The roster it builds on build_school()'s branch (语文党支部):

    教学科研功能党小组: 张三丰 (school.member, the member user's person), 李老师, 王老师
    德育工作功能党小组: 赵老师

李老师 and 赵老师 nominate themselves; the member user has neither nominated nor voted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from xianfeng.core.models import Role, User
from xianfeng.functional_groups import services
from xianfeng.functional_groups.models import (
    DriveStatus,
    FunctionalGroupDrive,
    GroupArea,
    Nomination,
    ProposedGroup,
    SignUp,
)
from xianfeng.people.models import Person
from xianfeng.testing import PersonFactory, School, make_user

ORDER = [
    DriveStatus.PROPOSING,
    DriveStatus.SIGNUP,
    DriveStatus.CONFIRMING,
    DriveStatus.ELECTING,
    DriveStatus.ELECTED,
    DriveStatus.PUBLISHED,
]


@dataclass
class DriveWorld:
    drive: FunctionalGroupDrive
    teaching: ProposedGroup
    moral: ProposedGroup
    people: dict[str, Person] = field(default_factory=dict)
    nominations: dict[str, Nomination] = field(default_factory=dict)

    def refresh(self) -> DriveWorld:
        self.drive.refresh_from_db()
        self.teaching.refresh_from_db()
        self.moral.refresh_from_db()
        return self


def today() -> datetime.date:
    return timezone.localdate()


def member_with_account(school: School, name: str, username: str, **fields: Any) -> Person:
    """A party member of the branch who can sign in (role 党员 on the branch)."""
    person = PersonFactory(organization=school.branch, name=name, **fields)
    person.user = make_user(
        tenant=school.tenant, username=username, role=Role.MEMBER, organization=school.branch
    )
    person.save()
    return person


def drive_at(school: School, status: str, *, tie: bool = False) -> DriveWorld:
    """A drive of school.branch brought to `status`; with tie=True the teaching group ties."""
    secretary: User = school.users[Role.SECRETARY]
    drive = services.drive_create(
        branch=school.branch,
        title="建立“功能党小组”",
        signup_deadline=today() + datetime.timedelta(days=7),
        user=secretary,
    )
    teaching = services.group_propose(
        drive=drive,
        name="教学科研功能党小组",
        area=GroupArea.TEACHING_RESEARCH,
        description="围绕提高教育教学质量开展活动",
    )
    moral = services.group_propose(
        drive=drive, name="德育工作功能党小组", area=GroupArea.MORAL_EDUCATION
    )
    world = DriveWorld(drive=drive, teaching=teaching, moral=moral)
    step = ORDER.index(DriveStatus(status))
    if step >= 1:
        services.drive_open_signup(drive=drive, today=today())
        world.people = {
            "zhang": school.member,
            "li": PersonFactory(organization=school.branch, name="李老师"),
            "wang": PersonFactory(organization=school.group, name="王老师"),
            "zhao": PersonFactory(organization=school.branch, name="赵老师"),
        }
    if step >= 2:
        for key, group in (
            ("zhang", teaching),
            ("li", teaching),
            ("wang", teaching),
            ("zhao", moral),
        ):
            services.signup_create(
                drive=drive, person=world.people[key], group=group, reason="", today=today()
            )
        services.drive_close_signup(drive=drive)
    if step >= 3:
        services.drive_open_election(drive=drive)
        world.nominations["li"] = services.nomination_create(
            group=teaching, person=world.people["li"], statement="愿意带领大家开展教研活动。"
        )
        world.nominations["zhao"] = services.nomination_create(
            group=moral, person=world.people["zhao"], statement="愿为德育工作多出力。"
        )
        if tie:
            world.nominations["wang"] = services.nomination_create(
                group=teaching, person=world.people["wang"], statement="我也愿意承担。"
            )
    if step >= 4:
        services.vote_cast(
            group=teaching,
            person=world.people["li"],
            nomination=world.nominations["li"],
            today=today(),
        )
        if tie:
            services.vote_cast(
                group=teaching,
                person=world.people["wang"],
                nomination=world.nominations["wang"],
                today=today(),
            )
        services.drive_close_election(drive=drive)
    if step >= 5:
        services.drive_publish(drive=drive)
    return world.refresh()


# --- for the permission matrix (xianfeng/core/tests/permission_table.py) ------------------------

# The objects a rule's `kwargs` made, for its `data` (both are called with the same school).
MADE: dict[int, DriveWorld] = {}


def made(school: School) -> DriveWorld:
    return MADE[school.tenant.pk]


def matrix_drive(school: School, status: str, *, tie: bool = False) -> dict[str, Any]:
    MADE[school.tenant.pk] = drive_at(school, status, tie=tie)
    return {"pk": made(school).drive.pk}


def matrix_group(school: School, status: str, *, tie: bool = False) -> dict[str, Any]:
    MADE[school.tenant.pk] = drive_at(school, status, tie=tie)
    return {"pk": made(school).teaching.pk}


def matrix_signup(school: School) -> dict[str, Any]:
    world = drive_at(school, DriveStatus.CONFIRMING)
    MADE[school.tenant.pk] = world
    signup = SignUp.objects.get(drive=world.drive, person=world.people["li"])
    return {"pk": signup.pk}


def matrix_signed_up(school: School) -> dict[str, Any]:
    """A drive in sign-up where the member user's person has signed up already."""
    world = drive_at(school, DriveStatus.SIGNUP)
    services.signup_create(
        drive=world.drive, person=school.member, group=world.teaching, reason="", today=today()
    )
    MADE[school.tenant.pk] = world
    return {"pk": world.drive.pk}
