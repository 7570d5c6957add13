import datetime

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditEntry, Tenant
from xianfeng.functional_groups import services
from xianfeng.functional_groups.models import (
    DriveStatus,
    LeaderSource,
    LeaderTally,
    Nomination,
    ProposedGroup,
    SignUp,
    VoterReceipt,
)
from xianfeng.functional_groups.tests.helpers import drive_at, today
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import Membership, Person, PoliticalStatus, Position
from xianfeng.testing import PersonFactory


def test_publication_creates_the_groups_with_leader_and_members(school):
    world = drive_at(school, DriveStatus.PUBLISHED)
    assert world.drive.status == DriveStatus.PUBLISHED
    assert world.drive.published_at is not None
    teaching = world.teaching.organization
    assert teaching is not None
    assert teaching.kind == OrganizationKind.FUNCTIONAL_GROUP
    assert teaching.parent_id == school.branch.pk
    assert teaching.path.startswith(school.branch.path)
    positions = {
        (m.person.name, m.position) for m in Membership.objects.filter(organization=teaching)
    }
    assert positions == {
        ("李老师", Position.GROUP_LEADER),
        ("张三丰", Position.MEMBER),
        ("王老师", Position.MEMBER),
    }
    assert world.teaching.leader_source == LeaderSource.ELECTED
    moral = world.moral.organization
    assert moral is not None
    assert [(m.person.name, m.position) for m in Membership.objects.filter(organization=moral)] == [
        ("赵老师", Position.GROUP_LEADER)
    ]


def test_publication_is_all_or_nothing(school):
    world = drive_at(school, DriveStatus.ELECTED)
    # A group of that name already stands under the branch: the second group cannot be created.
    organization_create(
        tenant=school.tenant,
        name="德育工作功能党小组",
        kind=OrganizationKind.FUNCTIONAL_GROUP,
        parent=school.branch,
    )
    with pytest.raises(DomainError, match="德育工作功能党小组"):
        services.drive_publish(drive=world.drive)
    world.refresh()
    assert world.drive.status == DriveStatus.ELECTED
    assert not Organization.objects.filter(name="教学科研功能党小组").exists()
    assert not Membership.objects.filter(position=Position.GROUP_LEADER).exists()


def test_signing_up_twice_is_refused_in_chinese(school):
    world = drive_at(school, DriveStatus.SIGNUP)
    services.signup_create(
        drive=world.drive, person=school.member, group=world.teaching, today=today()
    )
    with pytest.raises(DomainError) as refused:
        services.signup_create(
            drive=world.drive, person=school.member, group=world.moral, today=today()
        )
    assert "已报名参加“教学科研功能党小组”" in refused.value.message
    assert "每名党员只能参加一个功能党小组" in refused.value.message
    assert SignUp.objects.filter(person=school.member).count() == 1


def test_the_database_holds_one_group_per_member_when_the_service_is_bypassed(school):
    world = drive_at(school, DriveStatus.SIGNUP)
    SignUp.objects.create(
        tenant=school.tenant, drive=world.drive, person=school.member, group=world.teaching
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(
            tenant=school.tenant, drive=world.drive, person=school.member, group=world.moral
        )


def test_a_member_may_withdraw_and_sign_up_for_another_group(school):
    world = drive_at(school, DriveStatus.SIGNUP)
    services.signup_create(
        drive=world.drive, person=school.member, group=world.teaching, today=today()
    )
    services.signup_withdraw(drive=world.drive, person=school.member)
    signup = services.signup_create(
        drive=world.drive, person=school.member, group=world.moral, reason="擅长德育", today=today()
    )
    assert signup.group == world.moral


def test_only_the_branchs_party_members_may_sign_up(school):
    world = drive_at(school, DriveStatus.SIGNUP)
    activist = PersonFactory(
        organization=school.branch,
        name="钱积极",
        status=PoliticalStatus.ACTIVIST,
        joined_on=None,
        full_member_on=None,
    )
    with pytest.raises(DomainError, match=r"只有正式党员和预备党员.*入党积极分子"):
        services.signup_create(
            drive=world.drive, person=activist, group=world.teaching, today=today()
        )
    outsider = PersonFactory(organization=school.other_branch, name="孙数学")
    with pytest.raises(DomainError, match="不是“语文党支部”的党员"):
        services.signup_create(
            drive=world.drive, person=outsider, group=world.teaching, today=today()
        )
    probationary = PersonFactory(
        organization=school.branch,
        name="周预备",
        status=PoliticalStatus.PROBATIONARY,
        full_member_on=None,
    )
    services.signup_create(
        drive=world.drive, person=probationary, group=world.teaching, today=today()
    )


def test_sign_up_after_the_deadline_is_refused(school):
    world = drive_at(school, DriveStatus.SIGNUP)
    late = world.drive.signup_deadline + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match=r"报名已于 .* 截止"):
        services.signup_create(
            drive=world.drive, person=school.member, group=world.teaching, today=late
        )


@pytest.mark.parametrize(
    "status, step",
    [
        (DriveStatus.PROPOSING, "close_signup"),
        (DriveStatus.PROPOSING, "open_election"),
        (DriveStatus.SIGNUP, "open_signup"),
        (DriveStatus.SIGNUP, "close_election"),
        (DriveStatus.CONFIRMING, "publish"),
        (DriveStatus.ELECTING, "open_signup"),
        (DriveStatus.ELECTED, "close_election"),
        (DriveStatus.PUBLISHED, "publish"),
    ],
)
def test_a_step_from_the_wrong_state_is_refused(school, status, step):
    world = drive_at(school, status)
    calls = {
        "open_signup": lambda: services.drive_open_signup(drive=world.drive, today=today()),
        "close_signup": lambda: services.drive_close_signup(drive=world.drive),
        "open_election": lambda: services.drive_open_election(drive=world.drive),
        "close_election": lambda: services.drive_close_election(drive=world.drive),
        "publish": lambda: services.drive_publish(drive=world.drive),
    }
    with pytest.raises(DomainError, match=f"当前处于“{DriveStatus(status).label}”阶段"):
        calls[step]()
    world.refresh()
    assert world.drive.status == status


def test_member_actions_outside_their_step_are_refused(school):
    world = drive_at(school, DriveStatus.CONFIRMING)
    with pytest.raises(DomainError, match="只有在“党员报名”阶段才能报名"):
        services.signup_create(
            drive=world.drive, person=school.member, group=world.moral, today=today()
        )
    with pytest.raises(DomainError, match="只有在“推选组长”阶段才能自荐"):
        services.nomination_create(group=world.teaching, person=school.member, statement="愿意")
    with pytest.raises(DomainError, match="只有在“提出方案”阶段才能提出拟设小组"):
        services.group_propose(drive=world.drive, name="校园平安功能党小组", area="campus_safety")


def test_the_branch_settles_the_roster_by_moving_and_placing_members(school):
    world = drive_at(school, DriveStatus.CONFIRMING)
    secretary = school.users["secretary"]
    moved = services.roster_assign(
        drive=world.drive, person=world.people["wang"], group=world.moral, user=secretary
    )
    assert moved.group == world.moral
    assert moved.assigned_by == secretary
    newcomer = PersonFactory(organization=school.branch, name="吴老师")
    placed = services.roster_assign(
        drive=world.drive, person=newcomer, group=world.teaching, user=secretary
    )
    assert placed.group == world.teaching
    assert SignUp.objects.filter(drive=world.drive, person=world.people["wang"]).count() == 1


def test_election_cannot_open_while_a_group_is_empty(school):
    world = drive_at(school, DriveStatus.CONFIRMING)
    services.roster_remove(signup=SignUp.objects.get(person=world.people["zhao"]))
    with pytest.raises(DomainError, match="以下小组还没有成员：德育工作功能党小组"):
        services.drive_open_election(drive=world.drive)


def test_only_members_of_the_groups_roster_nominate_themselves(school):
    world = drive_at(school, DriveStatus.ELECTING)
    with pytest.raises(DomainError, match="赵老师不在“教学科研功能党小组”的名单中"):
        services.nomination_create(
            group=world.teaching, person=world.people["zhao"], statement="我来"
        )
    with pytest.raises(DomainError, match="已经自荐"):
        services.nomination_create(
            group=world.teaching, person=world.people["li"], statement="再来"
        )


def test_nominations_close_once_a_group_starts_voting(school):
    world = drive_at(school, DriveStatus.ELECTING)
    services.vote_cast(
        group=world.teaching,
        person=school.member,
        nomination=world.nominations["li"],
        today=today(),
    )
    with pytest.raises(DomainError, match="已开始投票，自荐已截止"):
        services.nomination_create(
            group=world.teaching, person=world.people["wang"], statement="我来"
        )


def test_a_member_votes_once_only(school):
    world = drive_at(school, DriveStatus.ELECTING)
    services.vote_cast(
        group=world.teaching,
        person=school.member,
        nomination=world.nominations["li"],
        today=today(),
    )
    with pytest.raises(DomainError, match="张三丰已在“教学科研功能党小组”投过票，每人只能投一次"):
        services.vote_cast(
            group=world.teaching,
            person=school.member,
            nomination=world.nominations["li"],
            today=today(),
        )
    assert VoterReceipt.objects.filter(group=world.teaching).count() == 1
    assert LeaderTally.objects.get(nominee=world.nominations["li"]).votes == 1


def test_the_database_holds_one_receipt_per_member_and_group(school):
    world = drive_at(school, DriveStatus.ELECTING)
    VoterReceipt.objects.create(
        tenant=school.tenant, group=world.teaching, person=school.member, voted_on=today()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterReceipt.objects.create(
            tenant=school.tenant, group=world.teaching, person=school.member, voted_on=today()
        )


def test_voters_outside_the_roster_or_the_party_cannot_vote(school):
    world = drive_at(school, DriveStatus.ELECTING)
    with pytest.raises(DomainError, match="不在“教学科研功能党小组”的名单中"):
        services.vote_cast(
            group=world.teaching,
            person=world.people["zhao"],
            nomination=world.nominations["li"],
            today=today(),
        )
    # A member who lost party standing after the roster was settled no longer votes.
    wang = world.people["wang"]
    wang.status = PoliticalStatus.ACTIVIST
    wang.save()
    with pytest.raises(DomainError, match="入党积极分子"):
        services.vote_cast(
            group=world.teaching, person=wang, nomination=world.nominations["li"], today=today()
        )
    with pytest.raises(DomainError, match="不是本组的候选人"):
        services.vote_cast(
            group=world.teaching,
            person=school.member,
            nomination=world.nominations["zhao"],
            today=today(),
        )
    assert not VoterReceipt.objects.exists()
    assert set(LeaderTally.objects.values_list("votes", flat=True)) == {0}


def test_a_nominee_starts_with_a_tally_of_zero(school):
    world = drive_at(school, DriveStatus.ELECTING, tie=True)
    assert set(LeaderTally.objects.values_list("group", "nominee", "votes")) == {
        (world.teaching.pk, world.nominations["li"].pk, 0),
        (world.teaching.pk, world.nominations["wang"].pk, 0),
        (world.moral.pk, world.nominations["zhao"].pk, 0),
    }


def test_the_database_holds_one_tally_per_nominee(school):
    world = drive_at(school, DriveStatus.ELECTING)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaderTally.objects.create(
            tenant=school.tenant, group=world.teaching, nominee=world.nominations["li"]
        )


def test_a_nominee_recorded_without_a_tally_still_gets_the_vote(school):
    world = drive_at(school, DriveStatus.ELECTING)
    # A nomination written around the service (e.g. before tallies existed) has no tally yet.
    bare = Nomination.objects.create(
        tenant=school.tenant, group=world.teaching, person=world.people["wang"], statement="我来"
    )
    services.vote_cast(group=world.teaching, person=school.member, nomination=bare, today=today())
    assert LeaderTally.objects.get(nominee=bare).votes == 1
    assert LeaderTally.objects.get(nominee=world.nominations["li"]).votes == 0


def test_the_tally_names_no_person_and_no_time_and_the_receipt_no_choice():
    tally = {f.name: f for f in LeaderTally._meta.get_fields()}
    assert set(tally) == {"id", "tenant", "group", "nominee", "votes"}
    assert {f.related_model for f in tally.values() if f.is_relation} == {
        Tenant,
        ProposedGroup,
        Nomination,
    }
    person_models = {Person, apps.get_model(settings.AUTH_USER_MODEL)}
    assert not person_models & {f.related_model for f in tally.values()}
    timed = {"DateField", "DateTimeField", "TimeField", "DurationField"}
    assert not [f for f in tally.values() if f.get_internal_type() in timed]
    receipt = {f.name: f for f in VoterReceipt._meta.get_fields()}
    assert set(receipt) == {"id", "tenant", "group", "person", "voted_on"}
    assert not {Nomination, LeaderTally} & {f.related_model for f in receipt.values()}
    # An audit entry of a tally would name the voter as its actor.
    assert not auditlog.contains(LeaderTally)
    assert auditlog.contains(VoterReceipt)


def _rows_per_table() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_after_five_votes_only_receipts_and_the_counts_are_stored(school):
    """3 votes for 李老师 and 2 for 王老师: the database learns who voted and 3/2, nothing more."""
    world = drive_at(school, DriveStatus.CONFIRMING)
    extra = [PersonFactory(organization=school.branch, name=n) for n in ("钱老师", "孙老师")]
    for person in extra:
        services.roster_assign(drive=world.drive, person=person, group=world.teaching, user=None)
    services.drive_open_election(drive=world.drive)
    a = services.nomination_create(group=world.teaching, person=world.people["li"], statement="甲")
    b = services.nomination_create(
        group=world.teaching, person=world.people["wang"], statement="乙"
    )
    tally_ids = set(LeaderTally.objects.values_list("pk", flat=True))
    audit_before = set(AuditEntry.objects.values_list("pk", flat=True))
    rows_before = _rows_per_table()

    votes = [
        (school.member, a),
        (world.people["wang"], b),
        (world.people["li"], a),
        (extra[0], b),
        (extra[1], a),
    ]
    for voter, nomination in votes:
        services.vote_cast(group=world.teaching, person=voter, nomination=nomination, today=today())

    # Rows were added to two tables only: the five receipts and their audit entries.
    rows_after = _rows_per_table()
    grown = {label: rows_after[label] - rows_before[label] for label in rows_after}
    assert {label: n for label, n in grown.items() if n} == {
        "functional_groups.VoterReceipt": 5,
        "core.AuditEntry": 5,
    }
    assert set(VoterReceipt.objects.values_list("person", "voted_on")) == {
        (voter.pk, today()) for voter, _ in votes
    }
    # The tallies are the rows that stood before the first vote, now holding 3 and 2.
    assert set(LeaderTally.objects.values_list("pk", flat=True)) == tally_ids
    assert dict(
        LeaderTally.objects.filter(group=world.teaching).values_list("nominee", "votes")
    ) == {a.pk: 3, b.pk: 2}

    # The audit entries are the receipts' and say nothing of the nominees.
    entries = AuditEntry.objects.exclude(pk__in=audit_before)
    assert {e.content_type.model for e in entries} == {"voterreceipt"}
    for voter, nomination in votes:
        entry = entries.get(object_repr__startswith=voter.name)
        assert set(entry.changes_dict) <= {"id", "tenant", "group", "person", "voted_on"}
        text = f"{entry.object_repr} {entry.changes} {entry.additional_data}"
        assert "nominee" not in text and "nomination" not in text
        if nomination.person != voter:
            assert nomination.person.name not in text

    if connection.vendor == "postgresql":
        # Each vote rewrites every tally of the group, so all of them carry the transaction id of
        # the last vote and none stands out as the one that vote raised.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT xmin::text FROM {LeaderTally._meta.db_table} WHERE group_id = %s",
                [world.teaching.pk],
            )
            tally_xids = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT xmin::text FROM {VoterReceipt._meta.db_table} WHERE person_id = %s",
                [extra[1].pk],
            )
            last_receipt_xid = cursor.fetchone()[0]
        assert tally_xids == {last_receipt_xid}


def test_most_votes_wins_and_a_sole_nominee_leads_without_votes(school):
    world = drive_at(school, DriveStatus.ELECTED)
    assert world.teaching.leader == world.people["li"]
    assert world.moral.leader == world.people["zhao"]
    result = services.group_result(group=world.teaching)
    assert [(t.nomination.person.name, t.votes) for t in result.tallies] == [("李老师", 1)]
    assert result.voters == 1
    assert result.members == 3


def test_a_tie_is_left_to_the_branch_which_chooses_among_the_tied(school):
    world = drive_at(school, DriveStatus.ELECTED, tie=True)
    assert world.teaching.leader is None
    result = services.group_result(group=world.teaching)
    assert result.is_tie
    message = services.tie_message(result)
    assert message == (
        "“教学科研功能党小组”的自荐人李老师、王老师得票相同（各 1 票），请支部研究后从中确定组长。"
    )
    with pytest.raises(DomainError, match="以下小组尚未确定组长：教学科研功能党小组"):
        services.drive_publish(drive=world.drive)
    with pytest.raises(DomainError, match="只能从得票相同的自荐人中确定组长"):
        services.leader_choose(group=world.teaching, nomination=world.nominations["zhao"])
    services.leader_choose(group=world.teaching, nomination=world.nominations["wang"])
    world.refresh()
    assert world.teaching.leader == world.people["wang"]
    assert world.teaching.leader_source == LeaderSource.BRANCH
    with pytest.raises(DomainError, match="已由选举产生"):
        services.leader_choose(group=world.moral, nomination=world.nominations["zhao"])
    services.drive_publish(drive=world.drive)
    world.refresh()
    leader = Membership.objects.get(
        organization=world.teaching.organization, position=Position.GROUP_LEADER
    )
    assert leader.person == world.people["wang"]


def test_a_tie_choice_outside_the_top_is_refused(school):
    world = drive_at(school, DriveStatus.ELECTING, tie=True)
    third = services.nomination_create(
        group=world.teaching, person=school.member, statement="我也来"
    )
    for key in ("li", "wang"):
        services.vote_cast(
            group=world.teaching,
            person=world.people[key],
            nomination=world.nominations[key],
            today=today(),
        )
    services.drive_close_election(drive=world.drive)
    with pytest.raises(DomainError, match="只能从得票相同的自荐人中确定组长"):
        services.leader_choose(group=world.teaching, nomination=third)


def test_election_cannot_close_while_a_group_has_no_nominee(school):
    world = drive_at(school, DriveStatus.ELECTING)
    LeaderTally.objects.filter(group=world.moral).delete()
    Nomination.objects.filter(group=world.moral).delete()
    with pytest.raises(DomainError, match="以下小组还没有人自荐：德育工作功能党小组"):
        services.drive_close_election(drive=world.drive)


def test_a_drive_belongs_to_a_branch(school):
    with pytest.raises(DomainError, match="只能由党支部组建"):
        services.drive_create(
            branch=school.school, title="功能党小组", signup_deadline=today(), user=None
        )


def test_sign_up_cannot_open_without_groups_or_after_the_deadline(school):
    drive = services.drive_create(
        branch=school.branch, title="功能党小组", signup_deadline=today(), user=None
    )
    with pytest.raises(DomainError, match="请先提出至少一个拟设的功能党小组"):
        services.drive_open_signup(drive=drive, today=today())
    services.group_propose(drive=drive, name="校园平安功能党小组", area="campus_safety")
    with pytest.raises(DomainError, match=r"报名截止日期.*已过"):
        services.drive_open_signup(drive=drive, today=today() + datetime.timedelta(days=1))
