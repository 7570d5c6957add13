"""Who may use which URL: one rule per named URL pattern, read by test_permission_matrix.py.

Every URL the project serves must appear here, pages and API alike; a URL without a rule fails the
matrix. A rule names the roles that get the page (`allowed`), the roles for which the object the
URL names lies outside their subtree (`hidden`, answered 404), and every other role is refused with
403. The objects come from xianfeng.testing.build_school():

    district (党委: district_admin)
    └── school (党总支: inspector, leader, secretary)
        ├── branch (语文党支部: member)
        │   └── group (语文第一党小组: group_leader) ← member (a person, linked to the member user)
        ├── other_branch (数学党支部)
        └── spare_branch (英语党支部, set up after the campaign: nothing refers to it)

plus, built once per school by `prepare`, a campaign over the school with an item, a 督办 and a file
for the branch, and the tenant's own copy of a built-in template (`world(s)`).

`kwargs` builds the URL's parameters from such a school (it may create what the URL needs through
the services), `data` the body of a write; a page write without `data` is checked only for refusals.
URLs everyone must reach without an account (login, health check, API docs) are listed as `Exempt`,
with the reason, and checked only for answering anonymous requests.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from xianfeng.campaigns.models import (
    Campaign,
    CampaignTemplate,
    ChecklistItem,
    Evidence,
    EvidenceKind,
    Reminder,
)
from xianfeng.campaigns.services import campaign_create, reminder_send
from xianfeng.campaigns.template_services import (
    builtin_templates_load,
    latest_version,
    template_copy,
)
from xianfeng.core import services as core_services
from xianfeng.core.models import Role
from xianfeng.functional_groups.models import DriveStatus
from xianfeng.functional_groups.tests import helpers as fg
from xianfeng.leadership.tests import helpers as lg
from xianfeng.organizations.models import Organization, OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import PoliticalStatus, Position, PostCategory
from xianfeng.people.roster import HEADERS, SHEET_TITLE, XLSX_CONTENT_TYPE
from xianfeng.people.services import membership_add
from xianfeng.testing import PersonFactory, School

ADMIN = Role.DISTRICT_ADMIN
INSPECTOR = Role.INSPECTOR
LEADER = Role.LEADER
SECRETARY = Role.SECRETARY
GROUP_LEADER = Role.GROUP_LEADER
MEMBER = Role.MEMBER

EVERYONE = frozenset(Role.values)
# Every role sees the branch except the group leader, whose subtree is one group inside it.
SEE_BRANCH = EVERYONE - {GROUP_LEADER}
EDITORS = frozenset({ADMIN, SECRETARY})
ADMINS = frozenset({ADMIN})
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """Who may use one URL, and how to build a request to it."""

    allowed: frozenset[str]
    hidden: frozenset[str] = NONE
    # How a hidden object is refused: 404 when the URL names it, 400 (a field error) when the body does.
    hidden_status: int = 404
    kwargs: Callable[[School], dict[str, Any]] | None = None
    methods: tuple[str, ...] = ("GET",)
    data: Callable[[School], dict[str, Any]] | None = None
    # Status codes that mean success, when not the usual (200; a page POST 302; an API write 2xx).
    success: frozenset[int] = NONE
    # Whether the body of a write names tenant objects (so another tenant's must be refused).
    tenant_data: bool = True


@dataclass(frozen=True)
class Exempt:
    """A URL outside the role matrix because everyone, signed in or not, must reach it."""

    reason: str
    method: str = "GET"
    anonymous_status: int = 200
    # The URL's parameters, for a public URL that names an object (a board reached by its link).
    kwargs: dict[str, Any] | None = None


def _person_form(s: School, **changes: Any) -> dict[str, Any]:
    data = {
        "code": "P900001",
        "name": "李明华",
        "organization": s.branch.pk,
        "status": PoliticalStatus.MEMBER,
        "gender": "female",
        "birth_date": "1988-05-04",
        "masses_kind": "",
        "post_category": PostCategory.TEACHER,
        "joined_on": "2012-06-30",
        "full_member_on": "2013-06-30",
        "title": "",
        "phone": "13900001111",
    }
    return data | changes


def _person_json(s: School, **changes: Any) -> dict[str, Any]:
    data = _person_form(s, **changes)
    data["organization_id"] = data.pop("organization")
    return data


def _extra_membership(s: School) -> dict[str, Any]:
    membership = membership_add(
        person=s.member,
        organization=s.group,
        position=Position.GROUP_LEADER,
        since=datetime.date(2024, 9, 1),
    )
    return {"pk": s.member.pk, "membership_pk": membership.pk}


def _member_grant(s: School) -> dict[str, Any]:
    user = s.users[MEMBER]
    return {"pk": user.pk, "grant_pk": user.role_grants.get().pk}


def _member_token(s: School) -> dict[str, Any]:
    token, _key = core_services.access_token_create(user=s.users[MEMBER], name="成绩同步脚本")
    return {"pk": token.pk}


def _roster_upload(s: School) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    row = {
        "人员编号": "R900001",
        "姓名": "郝佳音",
        "政治面貌": "群众",
        "群众类别": "教职工",
        "所在组织": s.branch.name,
    }
    sheet.append(list(HEADERS))
    sheet.append([row.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("花名册.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


@dataclass
class CampaignWorld:
    """A running campaign of one school, with the objects the campaign pages name."""

    template: CampaignTemplate  # the tenant's own copy of a built-in template
    campaign: Campaign  # over the school (党总支), published
    item: ChecklistItem  # an item of the branch
    reminder: Reminder  # a 督办 addressed to the branch
    evidence: Evidence  # a file handed in for the branch's item
    phase: str
    task: str
    standard_set: str
    criterion: str
    # A branch set up after the campaign started: nothing refers to it, so it can be deleted.
    spare_branch: Organization


WORLDS: dict[int, CampaignWorld] = {}


def prepare(s: School) -> None:
    """Build what the campaign pages need; runs once per school, before any case."""
    if not CampaignTemplate.objects.filter(tenant__isnull=True).exists():
        builtin_templates_load()
    # A built-in with standards, so the criterion page has something to edit.
    builtin = next(
        t
        for t in CampaignTemplate.objects.filter(tenant__isnull=True).order_by("slug")
        if any(st.criteria for st in latest_version(t).model().standard_sets)
    )
    # The template is named after its tenant, so the other tenant's would show in a leak check.
    template = template_copy(
        source=latest_version(builtin),
        tenant=s.tenant,
        user=None,
        slug="school_plan",
        name=f"{s.tenant.name}创先争优方案",
    )
    model = latest_version(template).model()
    standard = next(st for st in model.standard_sets if st.criteria)
    today = datetime.date.today()
    campaign = campaign_create(
        template_version=latest_version(template),
        root=s.school,
        name="创先争优活动",
        starts_on=today,
        user=s.users[SECRETARY],
    )
    item = ChecklistItem.objects.filter(campaign=campaign, organization=s.branch).first()
    assert item is not None, "the campaign has no item for the branch"
    reminder = reminder_send(
        campaign=campaign,
        user=s.users[SECRETARY],
        organization=s.branch,
        message="请抓紧办理并回复进展。",
        reply_due_on=today + datetime.timedelta(days=3),
        today=today,
        item=item,
    )
    evidence = Evidence.objects.create(
        tenant=s.tenant,
        item=item,
        kind=EvidenceKind.DOCUMENT,
        file=ContentFile("会议记录".encode(), name="会议记录.txt"),
        original_name="会议记录.txt",
        uploaded_by=s.users[SECRETARY],
    )
    spare_branch = organization_create(
        tenant=s.tenant,
        name="英语党支部",
        kind=OrganizationKind.BRANCH,
        parent=s.school,
        branch_type="subject",
    )
    WORLDS[s.tenant.pk] = CampaignWorld(
        template=template,
        campaign=campaign,
        item=item,
        reminder=reminder,
        evidence=evidence,
        phase=model.phases[0].slug,
        task=model.phases[0].tasks[0].slug,
        standard_set=standard.slug,
        criterion=standard.criteria[0].slug,
        spare_branch=spare_branch,
    )


def world(s: School) -> CampaignWorld:
    return WORLDS[s.tenant.pk]


TABLE: dict[str, Rule | Exempt] = {
    # ----- outside the matrix: reachable without an account ----------------------------------
    "login": Exempt("登录页，未登录者必须能打开"),
    "logout": Exempt("退出登录，只接受 POST，未登录时也只是回到登录页", "POST", 302),
    "set_language": Exempt("切换界面语言（Django i18n），不涉及任何数据", "POST", 302),
    "healthz": Exempt("监控用的存活检查，不返回任何业务数据"),
    "api:openapi-json": Exempt("API 的 OpenAPI 描述，只有接口结构，没有数据"),
    "api:openapi-view": Exempt("API 文档页（本站静态文件），没有数据"),
    "api:api-root": Exempt("API 根路径，只指向文档", anonymous_status=404),
    # ----- pages -----------------------------------------------------------------------------
    "home": Rule(allowed=EVERYONE),
    "organizations:tree": Rule(allowed=EVERYONE),
    "organizations:detail": Rule(
        allowed=SEE_BRANCH, hidden=frozenset({GROUP_LEADER}), kwargs=lambda s: {"pk": s.branch.pk}
    ),
    "organizations:create": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"parent_pk": s.branch.pk},
        methods=("GET", "POST"),
        data=lambda s: {"name": "语文第三党小组", "kind": "group", "sort_order": 3},
    ),
    "organizations:edit": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"pk": s.branch.pk},
        methods=("GET", "POST"),
        data=lambda s: {"name": "语文党支部", "branch_type": "subject", "unit_name": "第一中学"},
    ),
    "organizations:move": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": s.group.pk},
        methods=("GET", "POST"),
        data=lambda s: {"new_parent": s.other_branch.pk},
    ),
    "organizations:delete": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER, MEMBER}),
        kwargs=lambda s: {"pk": world(s).spare_branch.pk},
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "people:list": Rule(allowed=EVERYONE),
    "people:create": Rule(allowed=EDITORS, methods=("GET", "POST"), data=_person_form),
    "people:detail": Rule(allowed=EVERYONE, kwargs=lambda s: {"pk": s.member.pk}),
    "people:edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": s.member.pk},
        methods=("GET", "POST"),
        data=lambda s: _person_form(
            s, code=s.member.code, name=s.member.name, organization=s.group.pk
        ),
    ),
    "people:membership_add": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": s.member.pk},
        methods=("POST",),
        data=lambda s: {"organization": s.branch.pk, "position": Position.PROPAGANDA_COMMITTEE},
    ),
    "people:membership_remove": Rule(
        allowed=EDITORS,
        kwargs=_extra_membership,
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "core:users": Rule(allowed=ADMINS),
    "core:user_create": Rule(
        allowed=ADMINS,
        methods=("GET", "POST"),
        data=lambda s: {
            "username": "new-teacher",
            "full_name": "赵文静",
            "password": "Xianfeng-2026!new",
            "password_confirm": "Xianfeng-2026!new",
            "person": PersonFactory(organization=s.branch, name="赵文静").code,
        },
    ),
    "core:person_options": Rule(allowed=ADMINS),
    "core:user_detail": Rule(
        allowed=ADMINS,
        kwargs=lambda s: {"pk": s.users[MEMBER].pk},
        methods=("GET", "POST"),
        data=lambda s: {"action": "update", "full_name": "张三丰", "is_active": "on"},
    ),
    "core:grant_remove": Rule(
        allowed=ADMINS, kwargs=_member_grant, methods=("GET", "POST"), data=lambda s: {}
    ),
    "core:audit": Rule(allowed=ADMINS),
    "core:tokens": Rule(
        allowed=EVERYONE,
        methods=("GET", "POST"),
        data=lambda s: {"name": "成绩同步脚本"},
        # The new key is shown once, in this very answer, rather than after a redirect.
        success=frozenset({200}),
        tenant_data=False,
    ),
    # A token is its owner's alone: everyone else is answered as if it did not exist.
    "core:token_revoke": Rule(
        allowed=frozenset({MEMBER}),
        hidden=EVERYONE - {MEMBER},
        kwargs=_member_token,
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "roster:import": Rule(
        allowed=EDITORS,
        methods=("GET", "POST"),
        data=lambda s: {"file": _roster_upload(s)},
        # The file names organizations by name, and names are looked up in the user's own tenant.
        tenant_data=False,
    ),
    # An annotated error file belongs to the session that uploaded it: nobody else finds it.
    "roster:error_file": Rule(
        allowed=NONE, hidden=EDITORS, kwargs=lambda s: {"token": "0123456789abcdef" * 2}
    ),
    "roster:template": Rule(allowed=EDITORS),
    "roster:export": Rule(allowed=EVERYONE),
    # ----- campaigns ---------------------------------------------------------------------------
    "campaigns:list": Rule(allowed=EVERYONE),
    "campaigns:create": Rule(
        allowed=EDITORS,
        methods=("GET", "POST"),
        data=lambda s: {
            "template": world(s).template.pk,
            "root": s.school.pk,
            "name": "先进性教育活动",
            "starts_on": datetime.date.today().isoformat(),
            "publish": "on",
        },
    ),
    "campaigns:my_tasks": Rule(allowed=EVERYONE),
    # A campaign over the school is seen from above and from every unit inside it.
    "campaigns:detail": Rule(allowed=EVERYONE, kwargs=lambda s: {"pk": world(s).campaign.pk}),
    # Its dashboard needs the whole school in view; a branch or group member is refused.
    "campaigns:dashboard": Rule(
        allowed=frozenset({ADMIN, INSPECTOR, LEADER, SECRETARY}),
        kwargs=lambda s: {"pk": world(s).campaign.pk},
    ),
    "campaigns:status": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": world(s).campaign.pk, "action": "sync"},
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "campaigns:circular_create": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": world(s).campaign.pk},
        methods=("GET", "POST"),
        data=lambda s: {"title": "第一阶段工作通报", "body": "各支部按时完成了动员部署。"},
    ),
    "campaigns:reminder_create": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": world(s).campaign.pk},
        methods=("GET", "POST"),
        data=lambda s: {
            "organization": s.branch.pk,
            "message": "请于本周内提交学习记录。",
            "reply_due_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat(),
        },
    ),
    # The 督办 is addressed to the branch: the group leader below it does not see it.
    "campaigns:reminder_reply": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"pk": world(s).reminder.pk},
        methods=("GET", "POST"),
        data=lambda s: {"reply": "已于周三完成，材料已上传。"},
    ),
    "campaigns:item": Rule(
        allowed=SEE_BRANCH,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"pk": world(s).item.pk},
    ),
    "campaigns:item_complete": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"pk": world(s).item.pk},
        methods=("POST",),
    ),
    "campaigns:item_reopen": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"pk": world(s).item.pk},
        methods=("POST",),
        data=lambda s: {},
    ),
    "campaigns:evidence_file": Rule(
        allowed=SEE_BRANCH,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"pk": world(s).evidence.pk},
    ),
    "campaigns:templates": Rule(allowed=EVERYONE),
    "campaigns:template_import": Rule(allowed=EDITORS, methods=("GET", "POST")),
    "campaigns:template_detail": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"pk": world(s).template.pk}
    ),
    "campaigns:template_copy": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": world(s).template.pk},
        methods=("GET", "POST"),
        data=lambda s: {"slug": "school_plan_2", "name": "创先争优方案（第二稿）"},
    ),
    "campaigns:template_edit": Rule(
        allowed=EDITORS, kwargs=lambda s: {"pk": world(s).template.pk}, methods=("GET", "POST")
    ),
    "campaigns:template_phase_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": world(s).template.pk, "slug": world(s).phase},
        methods=("GET", "POST"),
    ),
    "campaigns:template_task_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"pk": world(s).template.pk, "slug": world(s).task},
        methods=("GET", "POST"),
    ),
    "campaigns:template_criterion_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {
            "pk": world(s).template.pk,
            "set_slug": world(s).standard_set,
            "slug": world(s).criterion,
        },
        methods=("GET", "POST"),
    ),
    "campaigns:template_export": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"pk": world(s).template.pk}
    ),
    # ----- API -------------------------------------------------------------------------------
    "api:campaign_template_list": Rule(allowed=EVERYONE),
    "api:campaign_template_detail": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"template_id": world(s).template.pk}
    ),
    "api:campaign_template_export": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"template_id": world(s).template.pk}
    ),
    "api:campaign_template_import": Rule(
        allowed=EDITORS,
        # The same text again: recognised as the template the tenant already has.
        data=lambda s: {"yaml": latest_version(world(s).template).yaml_text},
        tenant_data=False,
    ),
    "api:campaign_list_api": Rule(allowed=EVERYONE),
    "api:campaign_add": Rule(
        allowed=EDITORS,
        data=lambda s: {
            "template_id": world(s).template.pk,
            "root_id": s.school.pk,
            "name": "先进性教育活动",
            "starts_on": datetime.date.today().isoformat(),
        },
    ),
    "api:campaign_detail_api": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"campaign_id": world(s).campaign.pk}
    ),
    "api:checklist_item_list": Rule(allowed=EVERYONE),
    "api:checklist_item_complete": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"item_id": world(s).item.pk},
        data=lambda s: {
            "evidence": [{"kind": "minutes", "text": "支部委员会会议记录"}],
            "complete": False,
        },
    ),
    "api:circular_list_api": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"campaign_id": world(s).campaign.pk}
    ),
    "api:circular_add": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"campaign_id": world(s).campaign.pk},
        data=lambda s: {"title": "第一阶段工作通报", "body": "各支部按时完成了动员部署。"},
    ),
    "api:reminder_add": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"campaign_id": world(s).campaign.pk},
        data=lambda s: {
            "organization_id": s.branch.pk,
            "message": "请于本周内提交学习记录。",
            "reply_due_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat(),
        },
    ),
    "api:reminder_answer": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"reminder_id": world(s).reminder.pk},
        data=lambda s: {"reply": "已于周三完成，材料已上传。"},
    ),
    "api:organization_list": Rule(allowed=EVERYONE),
    "api:organization_add": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        # The parent named in the body is looked up among the visible organizations first.
        hidden_status=400,
        data=lambda s: {"parent_id": s.branch.pk, "name": "语文第三党小组", "kind": "group"},
        success=frozenset({201}),
    ),
    "api:organization_detail": Rule(
        allowed=SEE_BRANCH,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"organization_id": s.branch.pk},
    ),
    "api:organization_change": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        kwargs=lambda s: {"organization_id": s.branch.pk},
        data=lambda s: {"name": "语文党支部（高中部）"},
    ),
    "api:organization_remove": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER, MEMBER}),
        kwargs=lambda s: {"organization_id": world(s).spare_branch.pk},
        data=lambda s: {},
    ),
    "api:organization_relocate": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"organization_id": s.group.pk},
        data=lambda s: {"parent_id": s.other_branch.pk},
    ),
    "api:person_list": Rule(allowed=EVERYONE),
    "api:person_add": Rule(
        allowed=EDITORS,
        hidden=frozenset({GROUP_LEADER}),
        hidden_status=400,
        data=_person_json,
        success=frozenset({201}),
    ),
    "api:person_detail": Rule(allowed=EVERYONE, kwargs=lambda s: {"person_id": s.member.pk}),
    "api:person_replace": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"person_id": s.member.pk},
        data=lambda s: _person_json(
            s, code=s.member.code, name=s.member.name, organization=s.group.pk
        ),
    ),
    "api:person_change": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"person_id": s.member.pk},
        data=lambda s: {"title": "语文教研组长"},
    ),
    "api:person_remove": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"person_id": s.member.pk},
        data=lambda s: {},
    ),
    # ----- leadership group and implementation plan (/campaigns/<pk>/leadership/) ---------------
    # Seen by everyone who sees the campaign; set up by whoever runs it (CHANGE on its root).
    "leadership:group": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"campaign_pk": world(s).campaign.pk}
    ),
    "leadership:group_setup": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"campaign_pk": world(s).campaign.pk},
        methods=("POST",),
        data=lambda s: {},
    ),
    "leadership:group_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_group(world(s).campaign),
        methods=("GET", "POST"),
        data=lambda s: {"name": "创先争优活动领导小组", "office_name": "领导小组办公室"},
    ),
    "leadership:role_add": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_group(world(s).campaign),
        methods=("GET", "POST"),
        data=lambda s: {"role": "deputy", "person": s.member.pk, "duties": "协助组长"},
    ),
    "leadership:role_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_role(world(s).campaign),
        methods=("GET", "POST"),
        data=lambda s: {"role": "member", "person": s.member.pk},
    ),
    "leadership:role_delete": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_role(world(s).campaign),
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "leadership:working_group_add": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_group(world(s).campaign),
        methods=("GET", "POST"),
        data=lambda s: {"name": "宣传工作小组", "duties": "指导宣传的全面工作"},
    ),
    "leadership:working_group_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_working_group(world(s).campaign),
        methods=("GET", "POST"),
        data=lambda s: {"name": "宣传工作小组", "duties": "组织宣传纲要工作"},
    ),
    "leadership:working_group_delete": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_working_group(world(s).campaign),
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "leadership:working_group_member_add": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_working_group(world(s).campaign),
        methods=("POST",),
        data=lambda s: {"person": s.member.pk, "role": "member"},
    ),
    "leadership:working_group_member_remove": Rule(
        allowed=EDITORS,
        kwargs=lambda s: lg.matrix_working_group_member(world(s).campaign, s),
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "leadership:plan": Rule(
        allowed=EVERYONE, kwargs=lambda s: {"campaign_pk": world(s).campaign.pk}
    ),
    "leadership:plan_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"campaign_pk": world(s).campaign.pk},
        methods=("GET", "POST"),
        data=lambda s: lg.FOUR,
    ),
    # A plan is approved from above the campaign's root: the school's secretary may not.
    "leadership:plan_action": Rule(
        allowed=ADMINS,
        kwargs=lambda s: {
            "campaign_pk": lg.matrix_submitted_plan(world(s).campaign, s).pk,
            "action": "approve",
        },
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "api:leadership_group_detail": Rule(
        allowed=EVERYONE,
        kwargs=lambda s: {"campaign_id": lg.matrix_group(world(s).campaign)["campaign_pk"]},
    ),
    "api:leadership_group_create": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"campaign_id": world(s).campaign.pk},
        data=lambda s: {},
        success=frozenset({201}),
    ),
    "api:leadership_role_create": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"campaign_id": lg.matrix_group(world(s).campaign)["campaign_pk"]},
        data=lambda s: {"role": "deputy", "person_id": s.member.pk},
        success=frozenset({201}),
    ),
    # Before publication a plan is read only by those who write and approve it.
    "api:implementation_plan_detail": Rule(
        allowed=EVERYONE,
        kwargs=lambda s: {"campaign_id": lg.matrix_published_plan(world(s).campaign, s).pk},
    ),
    "api:implementation_plan_save": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"campaign_id": world(s).campaign.pk},
        data=lambda s: lg.FOUR,
    ),
    "api:implementation_plan_transition": Rule(
        allowed=ADMINS,
        kwargs=lambda s: {
            "campaign_id": lg.matrix_submitted_plan(world(s).campaign, s).pk,
            "action": "approve",
        },
        data=lambda s: {},
    ),
    # ----- functional groups (功能党小组) of the branch ------------------------------------------
    # A drive is seen from above the branch and from inside it (the group leader too); the
    # secretary runs it; signing up, nominating and voting are the member's own, as a person.
    "functional_groups:board": Exempt(
        "功能党小组名单的党务公开栏，凭链接中的口令无需登录查看；编号或口令不对时 404",
        anonymous_status=404,
        kwargs={"pk": 0, "token": "0" * 22},
    ),
    "functional_groups:list": Rule(allowed=EVERYONE),
    "functional_groups:create": Rule(
        allowed=EDITORS,
        methods=("GET", "POST"),
        data=lambda s: {
            "branch": s.branch.pk,
            "title": "建立“功能党小组”",
            "signup_deadline": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
        },
    ),
    "functional_groups:detail": Rule(
        allowed=EVERYONE, kwargs=lambda s: fg.matrix_drive(s, DriveStatus.ELECTING)
    ),
    "functional_groups:edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: fg.matrix_drive(s, DriveStatus.PROPOSING),
        methods=("GET", "POST"),
        data=lambda s: {
            "title": "建立“功能党小组”",
            "signup_deadline": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
        },
    ),
    "functional_groups:group_create": Rule(
        allowed=EDITORS,
        kwargs=lambda s: fg.matrix_drive(s, DriveStatus.PROPOSING),
        methods=("GET", "POST"),
        data=lambda s: {"name": "校园平安功能党小组", "area": "campus_safety"},
    ),
    "functional_groups:transition": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {**fg.matrix_drive(s, DriveStatus.PROPOSING), "action": "open_signup"},
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "functional_groups:roster": Rule(
        allowed=EDITORS,
        kwargs=lambda s: fg.matrix_drive(s, DriveStatus.CONFIRMING),
        methods=("GET", "POST"),
        data=lambda s: {"person": fg.made(s).people["wang"].pk, "group": fg.made(s).moral.pk},
    ),
    "functional_groups:roster_remove": Rule(
        allowed=EDITORS, kwargs=fg.matrix_signup, methods=("GET", "POST"), data=lambda s: {}
    ),
    "functional_groups:signup": Rule(
        allowed=frozenset({MEMBER}),
        kwargs=lambda s: fg.matrix_drive(s, DriveStatus.SIGNUP),
        methods=("POST",),
        data=lambda s: {"group": fg.made(s).teaching.pk, "reason": "擅长教研"},
    ),
    "functional_groups:signup_withdraw": Rule(
        allowed=frozenset({MEMBER}),
        kwargs=fg.matrix_signed_up,
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "functional_groups:group_edit": Rule(
        allowed=EDITORS,
        kwargs=lambda s: fg.matrix_group(s, DriveStatus.PROPOSING),
        methods=("GET", "POST"),
        data=lambda s: {"name": "教学科研功能党小组", "area": "teaching_research"},
    ),
    "functional_groups:group_delete": Rule(
        allowed=EDITORS,
        kwargs=lambda s: fg.matrix_group(s, DriveStatus.PROPOSING),
        methods=("GET", "POST"),
        data=lambda s: {},
    ),
    "functional_groups:nominate": Rule(
        allowed=frozenset({MEMBER}),
        kwargs=lambda s: fg.matrix_group(s, DriveStatus.ELECTING),
        methods=("POST",),
        data=lambda s: {"statement": "愿意带领大家开展活动。"},
    ),
    "functional_groups:vote": Rule(
        allowed=frozenset({MEMBER}),
        kwargs=lambda s: fg.matrix_group(s, DriveStatus.ELECTING),
        methods=("GET", "POST"),
        data=lambda s: {"nomination": fg.made(s).nominations["li"].pk},
    ),
    "functional_groups:leader_choose": Rule(
        allowed=EDITORS,
        kwargs=lambda s: fg.matrix_group(s, DriveStatus.ELECTED, tie=True),
        methods=("GET", "POST"),
        data=lambda s: {"nomination": fg.made(s).nominations["wang"].pk},
    ),
    "api:functional_group_drive_list": Rule(allowed=EVERYONE),
    "api:functional_group_drive_add": Rule(
        allowed=EDITORS,
        data=lambda s: {
            "branch_id": s.branch.pk,
            "title": "建立“功能党小组”",
            "signup_deadline": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
        },
        success=frozenset({201}),
    ),
    "api:functional_group_drive_detail": Rule(
        allowed=EVERYONE,
        kwargs=lambda s: {"drive_id": fg.matrix_drive(s, DriveStatus.ELECTING)["pk"]},
    ),
    "api:functional_group_propose": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"drive_id": fg.matrix_drive(s, DriveStatus.PROPOSING)["pk"]},
        data=lambda s: {"name": "校园平安功能党小组", "area": "campus_safety"},
        success=frozenset({201}),
    ),
    "api:functional_group_drive_step": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {
            "drive_id": fg.matrix_drive(s, DriveStatus.PROPOSING)["pk"],
            "action": "open_signup",
        },
        data=lambda s: {},
    ),
    "api:functional_group_signup": Rule(
        allowed=frozenset({MEMBER}),
        kwargs=lambda s: {"drive_id": fg.matrix_drive(s, DriveStatus.SIGNUP)["pk"]},
        data=lambda s: {"group_id": fg.made(s).teaching.pk},
        success=frozenset({201}),
    ),
    "api:functional_group_roster_assign": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"drive_id": fg.matrix_drive(s, DriveStatus.CONFIRMING)["pk"]},
        data=lambda s: {
            "person_id": fg.made(s).people["wang"].pk,
            "group_id": fg.made(s).moral.pk,
        },
    ),
    "api:functional_group_nominate": Rule(
        allowed=frozenset({MEMBER}),
        kwargs=lambda s: {"group_id": fg.matrix_group(s, DriveStatus.ELECTING)["pk"]},
        data=lambda s: {"statement": "愿意带领大家开展活动。"},
        success=frozenset({201}),
    ),
    "api:functional_group_vote": Rule(
        allowed=frozenset({MEMBER}),
        kwargs=lambda s: {"group_id": fg.matrix_group(s, DriveStatus.ELECTING)["pk"]},
        data=lambda s: {"nomination_id": fg.made(s).nominations["li"].pk},
    ),
    "api:functional_group_results": Rule(
        allowed=EVERYONE,
        kwargs=lambda s: {"drive_id": fg.matrix_drive(s, DriveStatus.ELECTED)["pk"]},
    ),
    "api:functional_group_leader_choose": Rule(
        allowed=EDITORS,
        kwargs=lambda s: {"group_id": fg.matrix_group(s, DriveStatus.ELECTED, tie=True)["pk"]},
        data=lambda s: {"nomination_id": fg.made(s).nominations["wang"].pk},
    ),
}
