import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import Workbook, load_workbook

from xianfeng.core.models import AuditEntry, Role
from xianfeng.organizations.models import OrganizationKind
from xianfeng.organizations.services import organization_create
from xianfeng.people.models import Person, PoliticalStatus, PostCategory
from xianfeng.people.roster import (
    ERROR_HEADER,
    HEADERS,
    HELP_SHEET_TITLE,
    SHEET_TITLE,
    roster_error_workbook,
    roster_export,
    roster_import,
    roster_parse,
    roster_template,
    roster_validate,
)
from xianfeng.testing import make_user


def row(**overrides):
    values = {
        "人员编号": "R0001",
        "姓名": "李明",
        "性别": "男",
        "出生日期": datetime.date(1980, 5, 4),
        "政治面貌": "正式党员",
        "群众类别": "",
        "入党时间": "2005-07-01",
        "转正时间": "2006.07.01",
        "所在组织": "语文党支部",
        "岗位类别": "一线教师",
        "职务": "教研组长",
        "党务工作者": "是",
        "领导班子成员": "否",
        "新党员": "",
        "手机号": "13800000001",
    }
    values.update(overrides)
    return values


def good_rows():
    return [
        row(),
        row(
            人员编号="R0002",
            姓名="王丽",
            性别="女",
            政治面貌="预备党员",
            入党时间="2025年3月1日",
            转正时间="",
            所在组织="数学党支部",
            岗位类别="班主任",
            手机号=13800000002,
        ),
        row(
            人员编号="R0003",
            姓名="赵强",
            政治面貌="群众",
            群众类别="教职工",
            入党时间=None,
            转正时间=None,
            所在组织="第一中学党总支/语文党支部",
            岗位类别="后勤",
            党务工作者="否",
        ),
    ]


def xlsx(rows, headers=HEADERS, title=SHEET_TITLE):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers))
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def secretary(school):
    return school.users[Role.SECRETARY]


def person_entries(person=None):
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Person))
    return entries.filter(object_pk=str(person.pk)) if person else entries


def snapshot():
    return sorted(Person.objects.values_list("code", "name", "title", "organization_id"))


def test_good_file_imports(school, secretary):
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx(good_rows()))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    li = Person.objects.get(tenant=school.tenant, code="R0001")
    assert li.organization == school.branch
    assert li.status == PoliticalStatus.MEMBER
    assert li.joined_on == datetime.date(2005, 7, 1)
    assert li.full_member_on == datetime.date(2006, 7, 1)
    assert li.birth_date == datetime.date(1980, 5, 4)
    assert li.post_category == PostCategory.TEACHER
    assert li.is_party_affairs_worker and not li.is_new_member
    assert li.title == "教研组长"
    assert li.name_pinyin == "liming" and li.name_initials == "lm"
    wang = Person.objects.get(code="R0002")
    assert wang.joined_on == datetime.date(2025, 3, 1)
    assert wang.phone == "13800000002"
    assert wang.organization == school.other_branch
    zhao = Person.objects.get(code="R0003")
    assert (zhao.status, zhao.masses_kind) == ("masses", "staff")
    entry = person_entries(li).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == secretary
    assert entry.tenant == school.tenant
    assert entry.changes["name"][1] == "李明"


def test_reimport_of_the_same_file_changes_nothing(school, secretary):
    content = xlsx(good_rows())
    roster_import(tenant=school.tenant, user=secretary, file=content)
    before, audit_before = snapshot(), AuditEntry.objects.count()
    result = roster_import(tenant=school.tenant, user=secretary, file=content)
    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_before


def test_changed_file_updates_matched_by_code(school, secretary):
    roster_import(tenant=school.tenant, user=secretary, file=xlsx(good_rows()))
    rows = good_rows()
    rows[0]["职务"] = "副校长"
    rows[0]["所在组织"] = "语文第一党小组"
    rows.append(row(人员编号="R0004", 姓名="孙悦", 手机号=""))
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx(rows))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    li = Person.objects.get(code="R0001")
    assert (li.title, li.organization) == ("副校长", school.group)
    assert Person.objects.filter(code="R0001").count() == 1
    entry = person_entries(li).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes["title"] == ["教研组长", "副校长"]
    assert entry.actor == secretary


def test_existing_person_is_updated_not_duplicated(school, secretary):
    member = school.member
    result = roster_import(
        tenant=school.tenant,
        user=secretary,
        file=xlsx([row(人员编号=member.code, 姓名="张三丰", 所在组织="语文第一党小组")]),
    )
    assert result.ok, result.errors
    assert result.updated == 1
    member.refresh_from_db()
    assert member.title == "教研组长"
    assert member.user == school.users[Role.MEMBER]


BAD_ROWS = [
    ({"岗位类别": "校长"}, "岗位类别", "不是可选的岗位类别"),
    ({"政治面貌": "党外人士"}, "政治面貌", "不是可选的政治面貌"),
    ({"出生日期": "1980-02-30"}, "出生日期", "不是有效的日期"),
    ({"入党时间": "去年"}, "入党时间", "不是有效的日期"),
    ({"姓名": ""}, "姓名", "姓名不能为空"),
    ({"所在组织": "物理党支部"}, "所在组织", "找不到名为“物理党支部”的组织"),
    ({"所在组织": ""}, "所在组织", "所在组织不能为空"),
    ({"入党时间": "", "转正时间": ""}, "入党时间", "党员必须填写入党时间"),
    ({"转正时间": "2001-01-01"}, "转正时间", "转正时间不能早于入党时间"),
    ({"党务工作者": "也许"}, "党务工作者", "只能填“是”或“否”"),
    ({"手机号": "138-0000"}, "手机号", "手机号只能是"),
    ({"政治面貌": "群众"}, "群众类别", "群众必须填写群众类别"),
    ({"职务": "长" * 51}, "职务", "最多 50 个字"),
]


@pytest.mark.parametrize(("changes", "column", "message"), BAD_ROWS)
def test_a_bad_row_is_reported_and_nothing_is_imported(school, secretary, changes, column, message):
    rows = [row(人员编号="G1"), row(人员编号="B1", **changes), row(人员编号="G2")]
    before = snapshot()
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx(rows))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert str(result.errors[0]).startswith(f"第 3 行“{column}”列：")
    assert snapshot() == before


def test_every_error_of_every_row_is_listed(school, secretary):
    rows = [
        row(人员编号="A1", 岗位类别="校长", 出生日期="1980.13.01"),
        row(人员编号="A2"),
        row(人员编号="A1", 姓名=""),
    ]
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx(rows))
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "岗位类别"),
        (2, "出生日期"),
        (4, "人员编号"),
        (4, "姓名"),
    }
    duplicate = next(e for e in result.errors if e.column == "人员编号")
    assert duplicate.message == "人员编号“A1”与第 2 行重复。"
    assert not Person.objects.filter(code__in=["A1", "A2"]).exists()


def test_bad_status_does_not_cascade_into_dependent_columns(school, secretary):
    result = roster_import(
        tenant=school.tenant,
        user=secretary,
        file=xlsx([row(政治面貌="", 入党时间="", 转正时间="")]),
    )
    assert [(e.column, e.message) for e in result.errors] == [("政治面貌", "政治面貌不能为空。")]


def test_organization_outside_the_importers_subtree(school):
    branch_secretary = make_user(
        tenant=school.tenant, username="branch-sec", role=Role.SECRETARY, organization=school.branch
    )
    result = roster_import(
        tenant=school.tenant,
        user=branch_secretary,
        file=xlsx([row(人员编号="X1"), row(人员编号="X2", 所在组织="数学党支部")]),
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "所在组织")]
    # Not visible to a branch secretary at all: it is reported as unknown, not as existing.
    assert "找不到名为“数学党支部”的组织" in result.errors[0].message
    assert not Person.objects.filter(code__in=["X1", "X2"]).exists()


def test_visible_organization_the_user_may_not_import_into(school):
    user = make_user(
        tenant=school.tenant, username="lead-sec", role=Role.SECRETARY, organization=school.branch
    )
    from xianfeng.core.models import RoleGrant

    RoleGrant.objects.create(
        tenant=school.tenant, user=user, role=Role.LEADER, organization=school.school
    )
    errors = roster_validate(
        tenant=school.tenant,
        user=user,
        parsed=roster_parse(xlsx([row(所在组织="数学党支部")])),
    )
    assert [(e.row, e.column) for e in errors] == [(2, "所在组织")]
    assert "不在您可以导入的范围内" in errors[0].message


def test_another_tenants_organization_is_unknown(school, other_school, secretary):
    other_school.school.name  # noqa: B018  (same names exist in the other tenant)
    result = roster_import(
        tenant=school.tenant,
        user=other_school.users[Role.SECRETARY],
        file=xlsx([row()]),
    )
    assert result.errors[0].column == "所在组织"
    assert not Person.objects.filter(code="R0001").exists()


def test_code_of_a_person_outside_the_subtree_is_refused(school, secretary):
    second = organization_create(
        tenant=school.tenant,
        name="第二中学党总支",
        kind=OrganizationKind.GENERAL_BRANCH,
        parent=school.district,
    )
    outsider = Person.objects.create(
        tenant=school.tenant,
        organization=second,
        code="Z9",
        name="钱七",
        status=PoliticalStatus.MASSES,
        masses_kind="parent",
    )
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx([row(人员编号="Z9")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "人员编号")]
    outsider.refresh_from_db()
    assert outsider.organization == second and outsider.name == "钱七"


def test_ambiguous_organization_name_needs_the_path(school):
    second = organization_create(
        tenant=school.tenant,
        name="第二中学党总支",
        kind=OrganizationKind.GENERAL_BRANCH,
        parent=school.district,
    )
    organization_create(
        tenant=school.tenant, name="语文党支部", kind=OrganizationKind.BRANCH, parent=second
    )
    admin = school.users[Role.DISTRICT_ADMIN]
    result = roster_import(tenant=school.tenant, user=admin, file=xlsx([row()]))
    assert result.errors[0].column == "所在组织"
    assert "第一中学党总支/语文党支部" in result.errors[0].message
    result = roster_import(
        tenant=school.tenant, user=admin, file=xlsx([row(所在组织="第一中学党总支/语文党支部")])
    )
    assert result.ok, result.errors
    assert Person.objects.get(code="R0001").organization == school.branch
    # The school's own secretary sees only one 语文党支部, so the short name is enough.
    result = roster_import(
        tenant=school.tenant,
        user=school.users[Role.SECRETARY],
        file=xlsx([row(人员编号="R0009")]),
    )
    assert result.ok, result.errors


@pytest.mark.parametrize(
    "value",
    [
        "2008-07-01",
        "2008.07.01",
        "2008/7/1",
        "2008年7月1日",
        "20080701",
        20080701,
        datetime.datetime(2008, 7, 1),
        39630,
    ],
)
def test_date_formats(school, secretary, value):
    result = roster_import(
        tenant=school.tenant, user=secretary, file=xlsx([row(入党时间=value, 转正时间=None)])
    )
    # 正式党员 needs 转正时间: the error proves the date was read and the rules ran on it.
    assert [e.column for e in result.errors] == ["转正时间"]
    result = roster_import(
        tenant=school.tenant,
        user=secretary,
        file=xlsx([row(入党时间=value, 转正时间=None, 政治面貌="预备党员")]),
    )
    assert result.ok, result.errors
    assert Person.objects.get(code="R0001").joined_on == datetime.date(2008, 7, 1)


def test_month_only_date_is_the_first_of_the_month(school, secretary):
    result = roster_import(
        tenant=school.tenant, user=secretary, file=xlsx([row(入党时间="2005.07")])
    )
    assert result.ok, result.errors
    assert Person.objects.get(code="R0001").joined_on == datetime.date(2005, 7, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("人员编号,姓名\nR1,张三\n".encode(), "不是 Excel 工作簿（.xlsx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel（.xls）"),
        (b"", "文件是空的"),
        (b"PK\x03\x04" + b"\0" * 60, "不是 Excel 工作簿"),
    ],
)
def test_a_file_that_is_not_xlsx(school, secretary, content, message):
    result = roster_import(tenant=school.tenant, user=secretary, file=content)
    assert len(result.errors) == 1
    assert result.errors[0].row is None
    assert message in result.errors[0].message
    assert not result.has_row_errors


def test_a_damaged_zip_is_reported(school, secretary):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    result = roster_import(tenant=school.tenant, user=secretary, file=buffer.getvalue())
    assert "无法读取该 Excel 文件" in result.errors[0].message


def test_missing_header_is_named(school, secretary):
    headers = [h for h in HEADERS if h != "岗位类别"]
    result = roster_import(
        tenant=school.tenant, user=secretary, file=xlsx(good_rows(), headers=headers)
    )
    assert [(e.row, e.column) for e in result.errors] == [(1, "岗位类别")]
    assert "表头缺少“岗位类别”列" in result.errors[0].message
    assert not Person.objects.filter(code="R0001").exists()


def test_wrong_headers_and_duplicated_header(school, secretary):
    result = roster_import(
        tenant=school.tenant, user=secretary, file=xlsx([{"甲": 1}], headers=["甲", "乙", "丙"])
    )
    assert result.errors[0].row == 1
    assert "找不到表头" in result.errors[0].message
    result = roster_import(
        tenant=school.tenant, user=secretary, file=xlsx(good_rows(), headers=[*HEADERS, "姓名"])
    )
    assert [(e.row, e.column) for e in result.errors] == [(1, "姓名")]
    assert "出现了 2 次" in result.errors[0].message


def test_empty_sheet(school, secretary):
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx([]))
    assert result.errors[0].message == "文件中没有人员数据（表头下面是空的）。"


def test_header_aliases_and_extra_columns_are_accepted(school, secretary):
    headers = [{"所在组织": "所在支部", "职务": "行政职务"}.get(h, h) for h in HEADERS] + ["备注"]
    rows = [
        {{"所在组织": "所在支部", "职务": "行政职务"}.get(k, k): v for k, v in r.items()}
        | {"备注": "随便写"}
        for r in good_rows()
    ]
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx(rows, headers=headers))
    assert result.ok, result.errors
    assert result.created == 3


def test_error_workbook_marks_rows_and_cells(school, secretary):
    content = xlsx([row(人员编号="G1"), row(人员编号="B1", 岗位类别="校长", 出生日期="昨天")])
    result = roster_import(tenant=school.tenant, user=secretary, file=content)
    workbook = load_workbook(io.BytesIO(roster_error_workbook(file=content, errors=result.errors)))
    sheet = workbook[SHEET_TITLE]
    headers = [c.value for c in sheet[1]]
    assert headers == [*HEADERS, ERROR_HEADER]
    error_column = len(HEADERS) + 1
    assert sheet.cell(row=2, column=error_column).value is None
    note = sheet.cell(row=3, column=error_column).value
    assert "岗位类别：“校长”不是可选的岗位类别" in note
    assert "出生日期：" in note
    post = sheet.cell(row=3, column=HEADERS.index("岗位类别") + 1)
    assert post.fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=3, column=1).fill.fgColor.rgb in ("00000000", None)
    # Corrected and uploaded again, the error file imports: the 错误 column is ignored.
    sheet.cell(row=3, column=HEADERS.index("岗位类别") + 1).value = "班主任"
    sheet.cell(row=3, column=HEADERS.index("出生日期") + 1).value = "1979-01-02"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = roster_import(tenant=school.tenant, user=secretary, file=buffer.getvalue())
    assert result.ok, result.errors
    assert result.created == 2
    # A second round on an old error file replaces the old notes and marks.
    second = roster_error_workbook(
        file=buffer.getvalue(),
        errors=roster_validate(
            tenant=school.tenant, user=secretary, parsed=roster_parse(buffer.getvalue())
        ),
    )
    sheet = load_workbook(io.BytesIO(second))[SHEET_TITLE]
    assert [c.value for c in sheet[1]].count(ERROR_HEADER) == 1
    assert sheet.cell(row=3, column=error_column).value is None
    assert not sheet.cell(row=3, column=HEADERS.index("岗位类别") + 1).fill.fgColor.rgb.endswith(
        "FFC7CE"
    )


def test_template_has_headers_help_and_drop_downs(db):
    workbook = load_workbook(io.BytesIO(roster_template()))
    assert workbook.sheetnames == [SHEET_TITLE, HELP_SHEET_TITLE]
    sheet = workbook[SHEET_TITLE]
    assert tuple(c.value for c in sheet[1]) == HEADERS
    example = sheet[2]
    assert example[0].value == "示例"
    assert example[0].font.i and example[0].font.color.rgb.endswith("808080")
    formulas = {
        str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    post_letter = "J"
    assert formulas[f"{post_letter}2"] == '"行政人员,班主任,一线教师,后勤,学生党员,离退休"'
    assert formulas["E2"].startswith('"正式党员,预备党员')
    assert formulas["L2"] == '"是,否"'
    help_text = " ".join(
        str(c.value) for r in workbook[HELP_SHEET_TITLE].iter_rows() for c in r if c.value
    )
    assert "教职工、学生、家长" in help_text and "人员编号" in help_text


def test_filled_template_imports(school, secretary):
    workbook = load_workbook(io.BytesIO(roster_template()))
    sheet = workbook[SHEET_TITLE]
    for values in good_rows():
        sheet.append([values[h] for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = roster_import(tenant=school.tenant, user=secretary, file=buffer.getvalue())
    assert result.ok, result.errors
    assert result.created == 3  # the example row is skipped
    assert not Person.objects.filter(code="示例").exists()


def test_export_imports_back_unchanged(school, secretary):
    roster_import(tenant=school.tenant, user=secretary, file=xlsx(good_rows()))
    people = Person.objects.filter(tenant=school.tenant).order_by("code")
    content = roster_export(queryset=people, user=secretary)
    sheet = load_workbook(io.BytesIO(content))[SHEET_TITLE]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    by_code = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    assert by_code["R0001"]["所在组织"] == "语文党支部"
    assert by_code["R0001"]["入党时间"] == datetime.datetime(2005, 7, 1)
    assert by_code["R0001"]["党务工作者"] == "是"
    assert by_code["R0002"]["岗位类别"] == "班主任"
    assert by_code["R0003"]["群众类别"] == "教职工"
    assert by_code["R0001"]["手机号"] == "13800000001"
    result = roster_import(tenant=school.tenant, user=secretary, file=content)
    assert result.ok, result.errors
    assert result.unchanged == people.count() and result.created == result.updated == 0


def test_export_masks_phones_the_user_may_not_see(school, secretary):
    leader = school.users[Role.LEADER]
    content = roster_export(queryset=Person.objects.filter(pk=school.member.pk), user=leader)
    sheet = load_workbook(io.BytesIO(content))[SHEET_TITLE]
    phone = sheet.cell(row=2, column=len(HEADERS)).value
    assert phone == school.member.phone[:3] + "****" + school.member.phone[-4:]
    # The masked number read back does not overwrite the real one.
    result = roster_import(tenant=school.tenant, user=secretary, file=content)
    assert result.ok and result.unchanged == 1
    school.member.refresh_from_db()
    assert "*" not in school.member.phone


def test_export_of_thirty_thousand_people(school, secretary):
    Person.objects.bulk_create(
        [
            Person(
                tenant=school.tenant,
                organization=school.branch if i % 2 else school.group,
                code=f"E{i:06d}",
                name="测试人员",
                name_pinyin="ceshirenyuan",
                status=PoliticalStatus.MEMBER,
                joined_on=datetime.date(2010, 7, 1),
                full_member_on=datetime.date(2011, 7, 1),
                post_category=PostCategory.TEACHER,
                phone=f"139{i:08d}",
            )
            for i in range(30_000)
        ],
        batch_size=2000,
    )
    content = roster_export(queryset=Person.objects.filter(tenant=school.tenant), user=secretary)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = workbook[SHEET_TITLE].iter_rows(values_only=True)
    assert next(rows) == HEADERS
    assert sum(1 for _ in rows) == 30_001  # and the fixture's member


def test_two_thousand_rows_import_in_few_queries(school, secretary, django_assert_max_num_queries):
    rows = [
        row(人员编号=f"M{i:05d}", 姓名=f"成员{i}", 所在组织="数学党支部" if i % 3 else "语文党支部")
        for i in range(2000)
    ]
    content = xlsx(rows)
    # Batched writes: the count grows with the batch count (SQLite caps a batch at 999 parameters),
    # never with the number of rows.
    with django_assert_max_num_queries(200):
        result = roster_import(tenant=school.tenant, user=secretary, file=content)
    assert result.ok and result.created == 2000
    assert person_entries().filter(action=AuditEntry.Action.CREATE).count() == 2001
    for values in rows[::2]:
        values["职务"] = "教师"
    with django_assert_max_num_queries(200):
        result = roster_import(tenant=school.tenant, user=secretary, file=xlsx(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1000, 1000)


def test_a_code_taken_while_importing_rolls_everything_back(school, secretary, monkeypatch):
    # Someone else saves R0001 between our check and our write: the unique key catches it.
    from xianfeng.people import roster

    monkeypatch.setattr(roster, "_existing_people", lambda **kwargs: {})
    Person.objects.create(
        tenant=school.tenant,
        organization=school.branch,
        code="R0001",
        name="先到者",
        status=PoliticalStatus.MASSES,
        masses_kind="staff",
    )
    before, audit_before = snapshot(), AuditEntry.objects.count()
    result = roster_import(tenant=school.tenant, user=secretary, file=xlsx(good_rows()))
    assert not result.ok
    assert "没有导入任何数据" in result.errors[0].message
    assert not result.has_row_errors
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_before


def test_a_wrong_sheet_size_in_the_file_does_not_drop_rows(school, secretary):
    # Some programs record the sheet as smaller than it is; every row must still be read.
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx(good_rows())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', data)
            target.writestr(item, data)
    result = roster_import(tenant=school.tenant, user=secretary, file=buffer.getvalue())
    assert result.ok, result.errors
    assert result.created == 3
