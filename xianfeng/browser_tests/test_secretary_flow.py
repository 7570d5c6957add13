"""A school secretary's first afternoon: the tree, a roster import, and finding the new person."""

import datetime
import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from xianfeng.browser_tests.conftest import log_in
from xianfeng.core.models import Role
from xianfeng.people.models import Person, PoliticalStatus
from xianfeng.people.roster import HEADERS, SHEET_TITLE, XLSX_CONTENT_TYPE
from xianfeng.testing import School

pytestmark = pytest.mark.browser

NEW_PERSON = {
    "人员编号": "R2026001",
    "姓名": "郝佳音",
    "性别": "女",
    "出生日期": datetime.date(1991, 3, 12),
    "政治面貌": "正式党员",
    "入党时间": datetime.date(2015, 6, 20),
    "转正时间": datetime.date(2016, 6, 20),
    "所在组织": "语文党支部",
    "岗位类别": "一线教师",
    "职务": "语文教研组长",
    "党务工作者": "否",
    "领导班子成员": "否",
    "新党员": "否",
    "手机号": "13800001234",
}


def _roster_file() -> bytes:
    """A roster as a school would fill it in: the template's headers, one row per person."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADERS))
    sheet.append([NEW_PERSON.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_secretary_sees_the_tree_imports_a_roster_and_finds_the_person(
    page: Page, school: School
) -> None:
    log_in(page, school.users[Role.SECRETARY].username)

    page.goto("/organizations/")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=school.branch.name)).to_be_visible()
    expect(main.get_by_role("link", name=school.other_branch.name)).to_be_visible()

    page.goto("/people/roster/import/")
    page.set_input_files(
        "#roster-file",
        files=[{"name": "花名册.xlsx", "mimeType": XLSX_CONTENT_TYPE, "buffer": _roster_file()}],
    )
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_role("main")).to_contain_text("导入完成：新增 1 人")

    person = Person.objects.get(tenant=school.tenant, code="R2026001")
    assert person.organization == school.branch
    assert person.status == PoliticalStatus.MEMBER
    assert person.name_initials == "hjy"

    page.goto("/people/")
    results = page.locator("#people-results")
    expect(results).to_contain_text(school.member.name)
    search = page.get_by_role("searchbox")
    search.fill("hjy")
    search.press("Enter")
    expect(results).to_contain_text("郝佳音")
    expect(results).not_to_contain_text(school.member.name)
    expect(page).to_have_url(re.compile(r"[?&]q=hjy"))
