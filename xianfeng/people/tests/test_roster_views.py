import io
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.core.models import Role
from xianfeng.people.models import Person
from xianfeng.people.roster import ERROR_HEADER, HEADERS, SHEET_TITLE, XLSX_CONTENT_TYPE
from xianfeng.people.tests.test_roster import good_rows, row, xlsx
from xianfeng.testing import PersonFactory


def upload(content, name="花名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def workbook_of(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture(autouse=True)
def error_files_in_tmp_path(tmp_path, monkeypatch):
    """Annotated error files go to the system temp folder; here, to the test's own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture
def secretary_client(client, school):
    client.force_login(school.users[Role.SECRETARY])
    return client


def test_import_page_has_the_upload_form(secretary_client):
    response = secretary_client.get(reverse("roster:import"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and 'name="file"' in page
    assert 'hx-indicator="#roster-uploading"' in page
    assert 'enctype="multipart/form-data"' in page
    assert reverse("roster:template") in page


def test_successful_upload_redirects_with_a_summary(secretary_client, school):
    response = secretary_client.post(
        reverse("roster:import"), {"file": upload(xlsx(good_rows()))}, follow=True
    )
    assert response.redirect_chain == [(reverse("roster:import"), 302)]
    assert "导入完成：新增 3 人、更新 0 人、未变 0 人。" in response.content.decode()
    assert Person.objects.filter(tenant=school.tenant, code__startswith="R000").count() == 3


def test_htmx_upload_returns_the_result_fragment(secretary_client, school):
    secretary_client.post(reverse("roster:import"), {"file": upload(xlsx(good_rows()))})
    response = secretary_client.post(
        reverse("roster:import"), {"file": upload(xlsx(good_rows()))}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "新增 0 人、更新 0 人、未变 3 人" in page
    assert "<html" not in page


def test_bad_upload_lists_errors_and_offers_the_error_file(secretary_client, school):
    content = xlsx([row(人员编号="G1"), row(人员编号="B1", 岗位类别="校长")])
    response = secretary_client.post(
        reverse("roster:import"), {"file": upload(content)}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "有 1 处问题，没有导入任何数据" in page
    assert "第 3 行" in page and "岗位类别" in page and "“校长”不是可选的岗位类别" in page
    assert not Person.objects.filter(code__in=["G1", "B1"]).exists()
    token = response.context["error_token"]
    download = secretary_client.get(reverse("roster:error_file", args=[token]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = workbook_of(download)[SHEET_TITLE]
    assert [c.value for c in sheet[1]] == [*HEADERS, ERROR_HEADER]
    assert "校长" in sheet.cell(row=3, column=len(HEADERS) + 1).value


def test_error_file_belongs_to_the_uploading_session(secretary_client, school):
    response = secretary_client.post(
        reverse("roster:import"), {"file": upload(xlsx([row(出生日期="明天")]))}
    )
    token = response.context["error_token"]
    other = Client()
    other.force_login(school.users[Role.DISTRICT_ADMIN])
    assert other.get(reverse("roster:error_file", args=[token])).status_code == 404
    assert secretary_client.get(reverse("roster:error_file", args=["0" * 32])).status_code == 404
    assert secretary_client.get(reverse("roster:error_file", args=["..%2Fetc"])).status_code == 404
    assert secretary_client.get(reverse("roster:error_file", args=[token])).status_code == 200


def test_a_non_excel_upload_is_explained(secretary_client):
    response = secretary_client.post(
        reverse("roster:import"), {"file": upload(b"just text", name="roster.csv")}
    )
    page = response.content.decode()
    assert "不是 Excel 工作簿（.xlsx）" in page
    assert "整个文件" in page
    assert response.context.get("error_token") is None


def test_missing_file_is_explained(secretary_client):
    response = secretary_client.post(reverse("roster:import"), {})
    assert "请选择要导入的 Excel 文件" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.INSPECTOR, Role.GROUP_LEADER])
def test_only_importers_may_import(client, school, role):
    client.force_login(school.users[role])
    assert client.get(reverse("roster:import")).status_code == 403
    response = client.post(reverse("roster:import"), {"file": upload(xlsx(good_rows()))})
    assert response.status_code == 403
    assert client.get(reverse("roster:template")).status_code == 403
    assert not Person.objects.filter(code="R0001").exists()


def test_anonymous_is_sent_to_login(client):
    for name in ("roster:import", "roster:template", "roster:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_district_admin_may_import(client, school):
    client.force_login(school.users[Role.DISTRICT_ADMIN])
    response = client.post(reverse("roster:import"), {"file": upload(xlsx(good_rows()))})
    assert response.status_code == 302
    assert Person.objects.filter(code="R0001").exists()


def test_template_download(secretary_client):
    response = secretary_client.get(reverse("roster:template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert tuple(c.value for c in workbook_of(response)[SHEET_TITLE][1]) == HEADERS


def test_export_of_visible_people_with_full_phones(secretary_client, school, other_school):
    response = secretary_client.get(reverse("roster:export"))
    assert response.status_code == 200
    rows = list(workbook_of(response)[SHEET_TITLE].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    codes = {r[0] for r in rows[1:]}
    assert school.member.code in codes
    assert other_school.member.code not in codes
    member_row = next(r for r in rows[1:] if r[0] == school.member.code)
    assert member_row[-1] == school.member.phone


def test_export_by_organization(secretary_client, school):
    PersonFactory(organization=school.other_branch, code="MATH1", name="数学老师")
    response = secretary_client.get(reverse("roster:export"), {"org": school.other_branch.pk})
    codes = [r[0] for r in workbook_of(response)[SHEET_TITLE].iter_rows(values_only=True)][1:]
    assert codes == ["MATH1"]
    # The member list's own parameter name and filters work too.
    response = secretary_client.get(
        reverse("roster:export"), {"organization": school.branch.pk, "q": "zsf"}
    )
    codes = [r[0] for r in workbook_of(response)[SHEET_TITLE].iter_rows(values_only=True)][1:]
    assert codes == [school.member.code]


def test_export_masks_phones_for_members(client, school):
    client.force_login(school.users[Role.MEMBER])
    response = client.get(reverse("roster:export"))
    assert response.status_code == 200
    rows = list(workbook_of(response)[SHEET_TITLE].iter_rows(values_only=True))
    member_row = next(r for r in rows[1:] if r[0] == school.member.code)
    assert member_row[-1] != school.member.phone
    assert "****" in member_row[-1]


def test_export_of_another_tenants_organization_is_404(secretary_client, other_school):
    response = secretary_client.get(reverse("roster:export"), {"org": other_school.branch.pk})
    assert response.status_code == 404
    assert secretary_client.get(reverse("roster:export"), {"org": "abc"}).status_code == 404


def test_export_of_an_organization_outside_the_subtree_is_404(client, school):
    client.force_login(school.users[Role.MEMBER])  # sees 语文党支部 only
    response = client.get(reverse("roster:export"), {"org": school.other_branch.pk})
    assert response.status_code == 404


def test_outsider_without_roles_may_not_export(client, school):
    from xianfeng.testing import make_user

    client.force_login(make_user(tenant=school.tenant, username="nobody"))
    assert client.get(reverse("roster:export")).status_code == 403


def test_error_files_are_kept_privately_and_expire(secretary_client, tmp_path):
    import os
    import time

    from xianfeng.people import views_roster

    response = secretary_client.post(
        reverse("roster:import"), {"file": upload(xlsx([row(出生日期="明天")]))}
    )
    stored = tmp_path / "xianfeng-roster-errors" / f"{response.context['error_token']}.xlsx"
    assert stored.exists()
    assert oct(stored.parent.stat().st_mode & 0o777) == "0o700"
    old = time.time() - views_roster.ERROR_FILE_TTL_SECONDS - 60
    os.utime(stored, (old, old))
    secretary_client.post(reverse("roster:import"), {"file": upload(xlsx([row(出生日期="后天")]))})
    assert not stored.exists()
