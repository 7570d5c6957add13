"""Instantiation (fan-out, occurrences, dates), the item workflow, RAG, 通报 and 督办."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xianfeng.campaigns.models import (
    CampaignStatus,
    ChecklistItem,
    Evidence,
    ItemStatus,
    Rag,
    ReminderStatus,
    rag_of,
)
from xianfeng.campaigns.schedule import campaign_phase_dates, task_due_dates
from xianfeng.campaigns.selectors import campaign_dashboard
from xianfeng.campaigns.services import (
    EvidenceInput,
    campaign_close,
    campaign_publish,
    campaign_sync_units,
    circular_publish,
    item_reopen,
    item_submit,
    reminder_reply,
    reminder_send,
)
from xianfeng.campaigns.templating import schema as s
from xianfeng.campaigns.templating.loader import load_template
from xianfeng.campaigns.tests.helpers import (
    SMALL,
    START,
    add_members,
    evidence_for,
    make_campaign,
)
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Role
from xianfeng.organizations.models import OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import PoliticalStatus, PostCategory
from xianfeng.testing import PersonFactory, School

D = datetime.date


def _count(campaign, slug: str) -> int:  # type: ignore[no-untyped-def]
    return campaign.items.filter(task__slug=slug).count()


# --- fan-out ------------------------------------------------------------------------------------


def test_fan_out_per_responsible_kind(school: School) -> None:
    add_members(school, 9)
    PersonFactory(organization=school.branch, is_leadership_member=True)
    PersonFactory(organization=school.other_branch, is_leadership_member=True)
    PersonFactory(
        organization=school.branch,
        status=PoliticalStatus.ACTIVIST,
        joined_on=None,
        full_member_on=None,
    )
    campaign = make_campaign(school)
    # Two branches × three months.
    assert _count(campaign, "monthly_meeting") == 2 * 3
    # Every party member of the subtree: 张三丰, nine added, two leaders (not the activist).
    assert _count(campaign, "member_notes") == 12
    assert _count(campaign, "leaders_talk") == 2
    assert _count(campaign, "group_meeting") == 1
    office = campaign.items.get(task__slug="plan")
    assert (office.organization_id, office.person_id) == (school.school.pk, None)
    note = campaign.items.filter(task__slug="member_notes", person=school.member).get()
    assert note.organization_id == school.group.pk
    assert campaign.status == CampaignStatus.ACTIVE


def test_member_filters_by_status_post_and_flags(school: School) -> None:
    PersonFactory(organization=school.branch, post_category=PostCategory.HEAD_TEACHER)
    PersonFactory(
        organization=school.branch,
        post_category=PostCategory.HEAD_TEACHER,
        status=PoliticalStatus.PROBATIONARY,
        is_new_member=True,
    )
    PersonFactory(
        organization=school.branch,
        post_category=PostCategory.ADMINISTRATOR,
        is_party_affairs_worker=True,
    )
    PersonFactory(
        organization=school.branch, post_category=PostCategory.HEAD_TEACHER, is_active=False
    )
    text = SMALL.replace(
        "responsible: {unit: each_member}",
        "responsible: {unit: each_member, post_categories: [head_teacher, administrator]}",
    )
    assert _count(make_campaign(school, text), "member_notes") == 3
    text = SMALL.replace(
        "responsible: {unit: each_member}",
        "responsible: {unit: each_member, statuses: [probationary], flags: [new_member]}",
    ).replace("slug: small_campaign", "slug: small_two")
    assert _count(make_campaign(school, text), "member_notes") == 1


def test_a_subtree_rooted_lower_only_fans_out_inside_it(school: School) -> None:
    from xianfeng.campaigns.services import campaign_create
    from xianfeng.campaigns.template_services import latest_version
    from xianfeng.campaigns.tests.helpers import tenant_template

    add_members(school, 6)
    campaign = campaign_create(
        template_version=latest_version(tenant_template(school)),
        root=school.branch,
        name="语文支部活动",
        starts_on=START,
        user=None,
    )
    assert _count(campaign, "monthly_meeting") == 3  # only the branch itself
    assert set(campaign.items.values_list("organization__path", flat=True)) <= {
        path
        for path in campaign.items.values_list("organization__path", flat=True)
        if path.startswith(school.branch.path)
    }
    assert campaign.items.filter(organization=school.other_branch).count() == 0


def test_sync_adds_units_that_appeared_later(school: School) -> None:
    campaign = make_campaign(school)
    before = campaign.items.count()
    assert campaign_sync_units(campaign=campaign) == 0
    PersonFactory(organization=school.branch)
    organization_create(
        tenant=school.tenant,
        name="语文第二党小组",
        kind=OrganizationKind.GROUP,
        parent=school.branch,
    )
    assert campaign_sync_units(campaign=campaign) == 2
    assert campaign.items.count() == before + 2


def test_a_hundred_member_school_instantiates_quickly(school: School) -> None:
    add_members(school, 100)
    started = time.perf_counter()
    campaign = make_campaign(school)
    elapsed = time.perf_counter() - started
    assert _count(campaign, "member_notes") == 101
    assert elapsed < 1.0, f"instantiation took {elapsed:.2f}s"


def test_creation_is_all_or_nothing(school: School) -> None:
    with pytest.raises(DomainError, match="活动名称"):
        make_campaign(school, name="  ")
    assert not ChecklistItem.objects.exists()


# --- dates --------------------------------------------------------------------------------------


def _template(body: str) -> s.CampaignTemplate:
    return load_template("slug: t\nname: 测试\ntheme: 主题\n" + body)


def test_offset_phases_get_real_dates() -> None:
    template = load_template(SMALL)
    first, second = campaign_phase_dates(template, D(2026, 3, 2))
    assert (first.starts_on, first.ends_on) == (D(2026, 3, 2), D(2026, 6, 1))
    assert (second.starts_on, second.ends_on) == (D(2026, 6, 2), D(2026, 7, 1))


def test_fixed_dates_move_with_the_start_unless_kept() -> None:
    template = _template(
        "phases:\n"
        "  - {slug: a, name: 甲, starts: {date: 2010-06-21}, ends: {date: 2010-06-30}}\n"
        "  - {slug: b, name: 乙, starts: {date: 2010-07-01}, ends: {date: 2011-06-30}}\n"
    )
    a, b = campaign_phase_dates(template, D(2026, 3, 1))
    assert (a.starts_on, a.ends_on) == (D(2026, 3, 1), D(2026, 3, 10))
    assert (b.starts_on, b.ends_on) == (D(2026, 3, 11), D(2027, 3, 10))
    a, b = campaign_phase_dates(template, D(2026, 3, 1), keep_dates=True)
    assert (a.starts_on, b.ends_on) == (D(2010, 6, 21), D(2011, 6, 30))


@pytest.mark.parametrize(
    ("cadence", "days", "expected"),
    [
        ("monthly", 92, [D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1)]),
        ("monthly", 90, [D(2026, 4, 1), D(2026, 5, 1), D(2026, 5, 30)]),
        ("weekly", 21, [D(2026, 3, 8), D(2026, 3, 15), D(2026, 3, 22)]),
        ("quarterly", 365, [D(2026, 6, 1), D(2026, 9, 1), D(2026, 12, 1), D(2027, 3, 1)]),
        ("half_yearly", 40, [D(2026, 4, 10)]),
        ("yearly", 730, [D(2027, 3, 1), D(2028, 2, 29)]),
        ("once", 30, [D(2026, 3, 31)]),
    ],
)
def test_recurring_tasks_occur_once_per_period(cadence: str, days: int, expected: list[D]) -> None:
    template = _template(
        "phases:\n"
        f"  - slug: p\n    name: 阶段\n    starts: {{offset_days: 0}}\n    duration_days: {days}\n"
        f"    tasks:\n      - {{slug: t, title: 任务, responsible: {{unit: office}}, cadence: {cadence}}}\n"
    )
    [phase] = campaign_phase_dates(template, D(2026, 3, 2))
    assert task_due_dates(template.phases[0].tasks[0], phase, datetime.timedelta(0)) == expected


def test_due_offsets_apply_per_occurrence_and_stay_in_the_phase() -> None:
    template = _template(
        "phases:\n"
        "  - slug: p\n    name: 阶段\n    starts: {offset_days: 0}\n    duration_days: 61\n"
        "    tasks:\n"
        "      - {slug: m, title: 月报, responsible: {unit: office}, cadence: monthly, due: {offset_days: 5}}\n"
        "      - {slug: o, title: 方案, responsible: {unit: office}, due: {offset_days: 61}}\n"
    )
    [phase] = campaign_phase_dates(template, D(2026, 3, 1))
    monthly, once = template.phases[0].tasks
    none = datetime.timedelta(0)
    assert task_due_dates(monthly, phase, none) == [D(2026, 3, 6), D(2026, 4, 6)]
    assert task_due_dates(once, phase, none) == [D(2026, 4, 30)]


# --- RAG ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (ItemStatus.DONE, D(2026, 1, 1), Rag.GREEN),
        (ItemStatus.NOT_STARTED, D(2026, 3, 9), Rag.RED),
        (ItemStatus.IN_PROGRESS, D(2026, 3, 10), Rag.AMBER),
        (ItemStatus.NOT_STARTED, D(2026, 3, 17), Rag.AMBER),
        (ItemStatus.NOT_STARTED, D(2026, 3, 18), Rag.GREEN),
    ],
)
def test_rag(status: str, due: D, expected: str) -> None:
    assert rag_of(status=status, due_on=due, today=D(2026, 3, 10)) == expected


def test_dashboard_counts_by_phase_and_unit(school: School) -> None:
    campaign = make_campaign(school)
    secretary = school.users[Role.SECRETARY]
    plan = campaign.items.get(task__slug="plan")  # due 2026-03-09
    item_submit(
        item=plan, user=secretary, evidence=[EvidenceInput(kind="plan", text="方案")], complete=True
    )
    # 2026-03-20: the member's notes (due 03-16) are overdue; the first monthly meetings (due
    # 04-01) are not yet within 7 days; 2026-03-26 they are.
    board = campaign_dashboard(campaign=campaign, today=D(2026, 3, 20))
    first = board.phases[0].progress
    assert (first.total, first.done, first.red, first.amber, first.later) == (8, 1, 1, 0, 6)
    assert board.phases[0].progress.rag == "red"
    assert [i.task.slug for i in board.overdue] == ["member_notes"]
    board = campaign_dashboard(campaign=campaign, today=D(2026, 3, 26))
    assert board.phases[0].progress.amber == 2
    by_org = {row["id"]: row["progress"] for row in board.organizations}
    assert by_org[school.branch.pk].total == 3
    assert by_org[school.group.pk].total == 2  # 张三丰's notes and the group meeting
    assert by_org[school.school.pk].done == 1
    assert board.chart()["done"] == [1, 0]


# --- completing items ---------------------------------------------------------------------------


def test_completing_without_the_required_evidence_is_refused(school: School) -> None:
    campaign = make_campaign(school)
    item = campaign.items.get(task__slug="member_notes")
    user = school.users[Role.MEMBER]
    with pytest.raises(DomainError) as refused:
        item_submit(
            item=item,
            user=user,
            evidence=[EvidenceInput(kind="notes", text="五千字")],
            complete=True,
        )
    assert refused.value.message == "还缺少以下佐证材料，不能完成：照片（还差 2 份）。"
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED
    assert not Evidence.objects.exists()


def test_completing_with_evidence(school: School, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    campaign = make_campaign(school)
    item = campaign.items.get(task__slug="member_notes")
    user = school.users[Role.MEMBER]
    item_submit(item=item, user=user, evidence=[EvidenceInput(kind="notes", text="笔记")])
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS
    item_submit(item=item, user=user, evidence=evidence_for(item)[1:], complete=True)
    item.refresh_from_db()
    assert (item.status, item.completed_by) == (ItemStatus.DONE, user)
    files = [e.file.name for e in item.evidence.exclude(file="")]
    assert len(files) == 2
    assert all(name.startswith(f"campaigns/tenant-{school.tenant.pk}/") for name in files)
    assert (tmp_path / files[0]).exists()
    with pytest.raises(DomainError, match="已完成"):
        item_submit(item=item, user=user, evidence=[EvidenceInput(kind="notes", text="又一份")])
    item_reopen(item=item)
    item.refresh_from_db()
    assert (item.status, item.completed_at) == (ItemStatus.IN_PROGRESS, None)
    with pytest.raises(DomainError, match="只有已完成"):
        item_reopen(item=item)


def test_bad_files_are_refused(school: School) -> None:
    campaign = make_campaign(school)
    item = campaign.items.get(task__slug="plan")
    exe = SimpleUploadedFile("virus.exe", b"MZ")
    with pytest.raises(DomainError, match="不支持的文件类型"):
        item_submit(
            item=item,
            user=school.users[Role.SECRETARY],
            evidence=[EvidenceInput(kind="plan", file=exe)],
        )
    with pytest.raises(DomainError, match="文字说明或上传的文件"):
        item_submit(
            item=item, user=school.users[Role.SECRETARY], evidence=[EvidenceInput(kind="plan")]
        )


def test_workflow_states(school: School) -> None:
    campaign = make_campaign(school, publish=False)
    assert campaign.status == CampaignStatus.DRAFT
    item = campaign.items.get(task__slug="plan")
    with pytest.raises(DomainError, match="尚未发布"):
        item_submit(item=item, user=school.users[Role.SECRETARY], complete=True)
    campaign = campaign_publish(campaign=campaign)
    with pytest.raises(DomainError, match="草稿"):
        campaign_publish(campaign=campaign)
    item_submit(item=item, user=school.users[Role.SECRETARY], complete=True)
    campaign = campaign_close(campaign=campaign)
    assert campaign.status == CampaignStatus.CLOSED
    with pytest.raises(DomainError, match="进行中"):
        campaign_close(campaign=campaign)
    with pytest.raises(DomainError, match="已结束"):
        campaign_sync_units(campaign=campaign)


# --- 通报 and 督办 -----------------------------------------------------------------------------


def test_circular(school: School) -> None:
    campaign = make_campaign(school)
    circular = circular_publish(
        campaign=campaign,
        user=school.users[Role.SECRETARY],
        title="第一阶段进展",
        body="各支部抓紧落实。",
    )
    assert circular.published_at is not None and circular.tenant_id == school.tenant.pk
    with pytest.raises(DomainError, match="标题"):
        circular_publish(campaign=campaign, user=school.users[Role.SECRETARY], title=" ", body="x")


def test_reminder_and_reply(school: School) -> None:
    campaign = make_campaign(school)
    item = campaign.items.filter(task__slug="monthly_meeting", organization=school.branch).first()
    admin = school.users[Role.DISTRICT_ADMIN]
    today = D(2026, 4, 3)
    reminder = reminder_send(
        campaign=campaign,
        user=admin,
        organization=school.branch,
        item=item,
        message="四月支部会议尚未召开，请说明。",
        reply_due_on=D(2026, 4, 6),
        today=today,
    )
    assert reminder.status_label(today) == "待回复"
    assert reminder.status_label(D(2026, 4, 7)) == "逾期未回复"
    reminder = reminder_reply(
        reminder=reminder, user=school.users[Role.SECRETARY], reply="已于4月5日召开。"
    )
    assert reminder.status == ReminderStatus.REPLIED
    assert reminder.status_label(D(2026, 4, 7)) == "已回复"
    with pytest.raises(DomainError, match="已经回复"):
        reminder_reply(reminder=reminder, user=school.users[Role.SECRETARY], reply="再次回复")


def test_reminder_checks(school: School, other_school: School) -> None:
    campaign = make_campaign(school)
    admin = school.users[Role.DISTRICT_ADMIN]
    with pytest.raises(DomainError, match="不在本次活动"):
        reminder_send(
            campaign=campaign,
            user=admin,
            organization=school.district,
            message="请回复",
            reply_due_on=D(2026, 4, 6),
            today=D(2026, 4, 1),
        )
    with pytest.raises(DomainError, match="不在本次活动"):
        reminder_send(
            campaign=campaign,
            user=admin,
            organization=other_school.branch,
            message="请回复",
            reply_due_on=D(2026, 4, 6),
            today=D(2026, 4, 1),
        )
    with pytest.raises(DomainError, match="早于今天"):
        reminder_send(
            campaign=campaign,
            user=admin,
            organization=school.branch,
            message="请回复",
            reply_due_on=D(2026, 3, 1),
            today=D(2026, 4, 1),
        )
    item = campaign.items.filter(organization=school.other_branch).first()
    with pytest.raises(DomainError, match="不属于"):
        reminder_send(
            campaign=campaign,
            user=admin,
            organization=school.branch,
            item=item,
            message="请回复",
            reply_due_on=D(2026, 4, 6),
            today=D(2026, 4, 1),
        )


def test_an_organization_in_a_campaign_cannot_be_deleted(school: School) -> None:
    from xianfeng.organizations.services import organization_delete

    make_campaign(school)
    with pytest.raises(DomainError, match="主题活动"):
        organization_delete(organization=school.other_branch)
