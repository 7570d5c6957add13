import datetime

import pytest
from django.test import Client
from django.urls import reverse

from xianfeng.core.models import Role
from xianfeng.functional_groups.models import (
    DriveStatus,
    FunctionalGroupDrive,
    LeaderTally,
    SignUp,
    VoterReceipt,
)
from xianfeng.functional_groups.tests.helpers import drive_at, member_with_account, today
from xianfeng.people.models import Membership, PoliticalStatus, Position
from xianfeng.testing import PersonFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_whole_procedure_through_the_pages(school):
    secretary = client_for(school.users[Role.SECRETARY])
    deadline = (today() + datetime.timedelta(days=10)).isoformat()

    # 1. The branch proposes groups.
    response = secretary.post(
        reverse("functional_groups:create"),
        {"branch": school.branch.pk, "title": "建立“功能党小组”", "signup_deadline": deadline},
    )
    assert response.status_code == 302
    drive = FunctionalGroupDrive.objects.get()
    for name, area in (
        ("教学科研功能党小组", "teaching_research"),
        ("师德建设功能党小组", "teacher_ethics"),
    ):
        response = secretary.post(
            reverse("functional_groups:group_create", args=[drive.pk]),
            {"name": name, "area": area, "description": ""},
        )
        assert response.status_code == 302
    teaching, ethics = drive.groups.order_by("sort_order")
    response = secretary.post(
        reverse("functional_groups:transition", args=[drive.pk, "open_signup"])
    )
    assert response.status_code == 302

    # 2. Members sign up, each for one group.
    zhang = client_for(school.users[Role.MEMBER])
    li = member_with_account(school, "李明", "li-ming")
    wang = member_with_account(school, "王红", "wang-hong")
    page = zhang.get(reverse("functional_groups:detail", args=[drive.pk]))
    assert "教学科研功能党小组" in page.content.decode()
    assert "报名" in page.content.decode()
    assert (
        zhang.post(
            reverse("functional_groups:signup", args=[drive.pk]),
            {"group": teaching.pk, "reason": "擅长教研"},
        ).status_code
        == 302
    )
    again = zhang.post(
        reverse("functional_groups:signup", args=[drive.pk]), {"group": ethics.pk}, follow=True
    )
    assert "每名党员只能参加一个功能党小组" in again.content.decode()
    client_for(li.user).post(
        reverse("functional_groups:signup", args=[drive.pk]), {"group": teaching.pk}
    )
    client_for(wang.user).post(
        reverse("functional_groups:signup", args=[drive.pk]), {"group": teaching.pk}
    )
    assert SignUp.objects.filter(drive=drive).count() == 3

    # 3. The branch consults and settles the roster: 王红 goes to 师德建设.
    secretary.post(reverse("functional_groups:transition", args=[drive.pk, "close_signup"]))
    response = secretary.post(
        reverse("functional_groups:roster", args=[drive.pk]),
        {"person": wang.pk, "group": ethics.pk},
    )
    assert response.status_code == 302
    assert SignUp.objects.get(person=wang).group == ethics
    secretary.post(reverse("functional_groups:transition", args=[drive.pk, "open_election"]))

    # 4. Self-nomination and the vote of the group's members.
    client_for(li.user).post(
        reverse("functional_groups:nominate", args=[teaching.pk]), {"statement": "愿意带头"}
    )
    client_for(wang.user).post(
        reverse("functional_groups:nominate", args=[ethics.pk]), {"statement": "愿意服务"}
    )
    li_nomination = teaching.nominations.get()
    ballot_page = zhang.get(reverse("functional_groups:vote", args=[teaching.pk]))
    assert "李明" in ballot_page.content.decode()
    assert (
        zhang.post(
            reverse("functional_groups:vote", args=[teaching.pk]), {"nomination": li_nomination.pk}
        ).status_code
        == 302
    )
    twice = zhang.post(
        reverse("functional_groups:vote", args=[teaching.pk]), {"nomination": li_nomination.pk}
    )
    assert twice.status_code == 400
    assert "每人只能投一次" in twice.content.decode()
    client_for(li.user).post(
        reverse("functional_groups:vote", args=[teaching.pk]), {"nomination": li_nomination.pk}
    )
    assert VoterReceipt.objects.filter(group=teaching).count() == 2
    assert LeaderTally.objects.get(group=teaching, nominee=li_nomination).votes == 2

    # 5. The branch closes the election and publishes.
    secretary.post(reverse("functional_groups:transition", args=[drive.pk, "close_election"]))
    response = secretary.post(
        reverse("functional_groups:transition", args=[drive.pk, "publish"]), follow=True
    )
    assert "已公布名单和组长" in response.content.decode()
    drive.refresh_from_db()
    assert drive.status == DriveStatus.PUBLISHED
    teaching.refresh_from_db()
    assert teaching.leader == li
    assert set(
        Membership.objects.filter(organization=teaching.organization).values_list(
            "person__name", "position"
        )
    ) == {("李明", Position.GROUP_LEADER), ("张三丰", Position.MEMBER)}

    # 6. The public board, without an account.
    board = Client().get(reverse("functional_groups:board", args=[drive.pk, drive.board_token]))
    assert board.status_code == 200
    text = board.content.decode()
    assert "教学科研功能党小组" in text and "李明" in text and "张三丰" in text and "王红" in text


def test_the_public_board_needs_no_login_and_shows_no_phone(school):
    world = drive_at(school, DriveStatus.PUBLISHED)
    url = reverse("functional_groups:board", args=[world.drive.pk, world.drive.board_token])
    response = Client().get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "李老师" in text and "赵老师" in text and "德育工作功能党小组" in text
    for person in world.people.values():
        assert person.phone and person.phone not in text
        assert person.phone[-4:] not in text
    assert '<meta name="viewport"' in text


def test_the_board_is_closed_before_publication_and_to_a_wrong_token(school):
    world = drive_at(school, DriveStatus.ELECTED)
    url = reverse("functional_groups:board", args=[world.drive.pk, world.drive.board_token])
    assert Client().get(url).status_code == 404
    published = drive_at(school, DriveStatus.PUBLISHED)
    wrong = reverse("functional_groups:board", args=[published.drive.pk, "x" * 22])
    assert Client().get(wrong).status_code == 404


def test_another_tenants_drive_is_404(school, other_school):
    world = drive_at(other_school, DriveStatus.SIGNUP)
    for role in (Role.SECRETARY, Role.MEMBER, Role.DISTRICT_ADMIN):
        client = client_for(school.users[role])
        assert (
            client.get(reverse("functional_groups:detail", args=[world.drive.pk])).status_code
            == 404
        )
        response = client.post(
            reverse("functional_groups:signup", args=[world.drive.pk]), {"group": world.teaching.pk}
        )
        assert response.status_code == 404
    assert not SignUp.objects.exists()


@pytest.mark.parametrize(
    "name, status, kwargs",
    [
        ("functional_groups:transition", DriveStatus.PROPOSING, {"action": "open_signup"}),
        ("functional_groups:group_create", DriveStatus.PROPOSING, {}),
        ("functional_groups:roster", DriveStatus.CONFIRMING, {}),
        ("functional_groups:edit", DriveStatus.PROPOSING, {}),
    ],
)
def test_a_member_is_refused_the_secretarys_actions(school, name, status, kwargs):
    world = drive_at(school, status)
    client = client_for(school.users[Role.MEMBER])
    url = reverse(name, kwargs={"pk": world.drive.pk, **kwargs})
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "area": "other"}).status_code == 403
    world.refresh()
    assert world.drive.status == status


def test_an_activist_cannot_sign_up_or_vote(school):
    activist = member_with_account(
        school,
        "钱积极",
        "qian",
        status=PoliticalStatus.ACTIVIST,
        joined_on=None,
        full_member_on=None,
    )
    signup_world = drive_at(school, DriveStatus.SIGNUP)
    client = client_for(activist.user)
    response = client.post(
        reverse("functional_groups:signup", args=[signup_world.drive.pk]),
        {"group": signup_world.teaching.pk},
    )
    assert response.status_code == 403
    electing = drive_at(school, DriveStatus.ELECTING)
    vote = client.post(
        reverse("functional_groups:vote", args=[electing.teaching.pk]),
        {"nomination": electing.nominations["li"].pk},
    )
    assert vote.status_code == 403
    assert not SignUp.objects.filter(person=activist).exists()


def test_the_secretary_sees_the_steps_and_the_board_link(school):
    world = drive_at(school, DriveStatus.PUBLISHED)
    response = client_for(school.users[Role.SECRETARY]).get(
        reverse("functional_groups:detail", args=[world.drive.pk])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert world.drive.board_token in text
    assert "党务公开栏公布" in text


def test_a_tie_is_shown_and_decided_by_the_branch(school):
    world = drive_at(school, DriveStatus.ELECTED, tie=True)
    secretary = client_for(school.users[Role.SECRETARY])
    page = secretary.get(
        reverse("functional_groups:detail", args=[world.drive.pk])
    ).content.decode()
    assert "得票相同，请支部研究后确定组长" in page
    url = reverse("functional_groups:leader_choose", args=[world.teaching.pk])
    assert secretary.get(url).status_code == 200
    response = secretary.post(url, {"nomination": world.nominations["wang"].pk})
    assert response.status_code == 302
    world.refresh()
    assert world.teaching.leader == world.people["wang"]


def test_closing_the_election_reports_a_tie(school):
    world = drive_at(school, DriveStatus.ELECTING, tie=True)
    from xianfeng.functional_groups import services

    for key in ("li", "wang"):
        services.vote_cast(
            group=world.teaching,
            person=world.people[key],
            nomination=world.nominations[key],
            today=today(),
        )
    response = client_for(school.users[Role.SECRETARY]).post(
        reverse("functional_groups:transition", args=[world.drive.pk, "close_election"]),
        follow=True,
    )
    assert (
        "李老师、王老师得票相同（各 1 票），请支部研究后从中确定组长" in response.content.decode()
    )


def test_a_wrong_step_shows_the_reason(school):
    world = drive_at(school, DriveStatus.PROPOSING)
    response = client_for(school.users[Role.SECRETARY]).post(
        reverse("functional_groups:transition", args=[world.drive.pk, "publish"])
    )
    assert response.status_code == 400
    assert "只有在“选举结束”阶段才能公布名单" in response.content.decode()


def test_the_list_shows_the_nav_entry_and_drives(school):
    world = drive_at(school, DriveStatus.PROPOSING)
    PersonFactory(organization=school.branch, name="无关")
    response = client_for(school.users[Role.GROUP_LEADER]).get(reverse("functional_groups:list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert world.drive.title in text
    assert 'href="/functional-groups/"' in text
