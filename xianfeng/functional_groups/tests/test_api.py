import datetime

from xianfeng.core.models import Role
from xianfeng.functional_groups.models import DriveStatus, LeaderTally, SignUp, VoterReceipt
from xianfeng.functional_groups.tests.helpers import drive_at, today

BASE = "/api/functional-groups"


def test_the_secretary_runs_a_drive_over_the_api(school, api_as):
    client = api_as(school.users[Role.SECRETARY])
    deadline = (today() + datetime.timedelta(days=5)).isoformat()
    response = client.post(
        BASE,
        {"branch_id": school.branch.pk, "title": "建立功能党小组", "signup_deadline": deadline},
    )
    assert response.status_code == 201, response.json()
    drive_id = response.json()["id"]
    assert response.json()["status"] == "proposing"
    group = client.post(
        f"{BASE}/{drive_id}/groups", {"name": "校园平安功能党小组", "area": "campus_safety"}
    )
    assert group.status_code == 201
    assert group.json()["area_label"] == "校园平安"
    step = client.post(f"{BASE}/{drive_id}/steps/open_signup")
    assert step.status_code == 200
    assert step.json()["status_label"] == "党员报名"
    wrong = client.post(f"{BASE}/{drive_id}/steps/publish")
    assert wrong.status_code == 400
    assert "只有在“选举结束”阶段才能公布名单" in wrong.json()["detail"]
    listed = client.get(BASE).json()
    assert [item["id"] for item in listed["items"]] == [drive_id]


def test_a_member_signs_up_once_over_the_api(school, api_as):
    world = drive_at(school, DriveStatus.SIGNUP)
    client = api_as(school.users[Role.MEMBER])
    url = f"{BASE}/{world.drive.pk}/signup"
    first = client.post(url, {"group_id": world.teaching.pk, "reason": "擅长教研"})
    assert first.status_code == 201
    assert first.json()["group_name"] == "教学科研功能党小组"
    second = client.post(url, {"group_id": world.moral.pk})
    assert second.status_code == 400
    assert "每名党员只能参加一个功能党小组" in second.json()["detail"]
    assert SignUp.objects.filter(person=school.member).count() == 1


def test_votes_once_and_reads_results_after_the_election(school, api_as):
    world = drive_at(school, DriveStatus.ELECTING)
    member = api_as(school.users[Role.MEMBER])
    url = f"{BASE}/groups/{world.teaching.pk}/votes"
    assert member.post(url, {"nomination_id": world.nominations["li"].pk}).status_code == 204
    again = member.post(url, {"nomination_id": world.nominations["li"].pk})
    assert again.status_code == 400
    assert "每人只能投一次" in again.json()["detail"]
    assert VoterReceipt.objects.count() == 1
    assert LeaderTally.objects.get(nominee=world.nominations["li"]).votes == 1
    # While voting runs only the branch sees the count.
    assert member.get(f"{BASE}/{world.drive.pk}/results").status_code == 403
    secretary = api_as(school.users[Role.SECRETARY])
    assert secretary.post(f"{BASE}/{world.drive.pk}/steps/close_election").status_code == 200
    results = member.get(f"{BASE}/{world.drive.pk}/results").json()
    teaching = next(r for r in results if r["group_id"] == world.teaching.pk)
    assert teaching["tallies"] == [
        {"nomination_id": world.nominations["li"].pk, "name": "李老师", "votes": 1}
    ]
    assert teaching["leader_name"] == "李老师"
    assert teaching["is_tie"] is False


def test_the_api_reports_a_tie_and_the_branch_decides(school, api_as):
    world = drive_at(school, DriveStatus.ELECTED, tie=True)
    secretary = api_as(school.users[Role.SECRETARY])
    results = secretary.get(f"{BASE}/{world.drive.pk}/results").json()
    teaching = next(r for r in results if r["group_id"] == world.teaching.pk)
    assert teaching["is_tie"] is True
    assert "请支部研究后从中确定组长" in teaching["message"]
    chosen = secretary.post(
        f"{BASE}/groups/{world.teaching.pk}/leader",
        {"nomination_id": world.nominations["li"].pk},
    )
    assert chosen.status_code == 200
    assert chosen.json()["leader_name"] == "李老师"
    published = secretary.post(f"{BASE}/{world.drive.pk}/steps/publish")
    assert published.status_code == 200
    assert published.json()["board_url"].startswith(f"/functional-groups/board/{world.drive.pk}/")


def test_nomination_over_the_api_needs_the_roster(school, api_as):
    world = drive_at(school, DriveStatus.ELECTING)
    member = api_as(school.users[Role.MEMBER])
    own = member.post(f"{BASE}/groups/{world.teaching.pk}/nominations", {"statement": "愿意"})
    assert own.status_code == 201
    assert own.json()["name"] == "张三丰"
    other = member.post(f"{BASE}/groups/{world.moral.pk}/nominations", {"statement": "愿意"})
    assert other.status_code == 400
    assert "不在“德育工作功能党小组”的名单中" in other.json()["detail"]


def test_permissions_over_the_api(school, other_school, api_as):
    ours = drive_at(school, DriveStatus.PROPOSING)
    theirs = drive_at(other_school, DriveStatus.PROPOSING)
    member = api_as(school.users[Role.MEMBER])
    assert member.get(f"{BASE}/{ours.drive.pk}").status_code == 200
    assert member.get(f"{BASE}/{theirs.drive.pk}").status_code == 404
    refused = member.post(f"{BASE}/{ours.drive.pk}/steps/open_signup")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "您没有执行此操作的权限。"}
    secretary = api_as(school.users[Role.SECRETARY])
    assert secretary.post(f"{BASE}/{theirs.drive.pk}/steps/open_signup").status_code == 404
    foreign_branch = secretary.post(
        BASE,
        {
            "branch_id": other_school.branch.pk,
            "title": "功能党小组",
            "signup_deadline": today().isoformat(),
        },
    )
    assert foreign_branch.status_code == 400
    assert foreign_branch.json()["field"] == "branch_id"
    # The secretary is no party member on the rolls: signing up is for members themselves.
    signup = drive_at(school, DriveStatus.SIGNUP)
    assert (
        secretary.post(
            f"{BASE}/{signup.drive.pk}/signup", {"group_id": signup.teaching.pk}
        ).status_code
        == 403
    )
    ours.refresh()
    assert ours.drive.status == DriveStatus.PROPOSING
