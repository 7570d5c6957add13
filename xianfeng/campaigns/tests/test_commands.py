"""The command line: templates list / export / validate / import, and load_builtin_templates."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from xianfeng.campaigns.models import CampaignTemplate, TemplateVersion
from xianfeng.campaigns.template_services import BUILTIN_DIR, builtin_templates_load
from xianfeng.campaigns.templating.loader import load_template
from xianfeng.campaigns.tests.helpers import MINIMAL, SMALL
from xianfeng.testing import School

BROKEN = SMALL.replace("duration_days: 92", "duration_days: zwei").replace(
    "cadence: monthly", "cadence: fortnightly"
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_builtin_templates_is_idempotent(db: None) -> None:
    out, _err = run("load_builtin_templates")
    files = sorted(BUILTIN_DIR.glob("*.yaml"))
    assert out.count("新建") + _err.count("有错误") == len(files)
    versions = TemplateVersion.objects.count()
    out, _err = run("load_builtin_templates")
    assert "新建" not in out and "新版本" not in out
    assert TemplateVersion.objects.count() == versions
    assert all(t.is_builtin and t.tenant_id is None for t in CampaignTemplate.objects.all())


def test_a_changed_builtin_file_makes_a_new_version(db: None, tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert [o.action for o in builtin_templates_load(tmp_path)] == ["created"]
    assert [o.action for o in builtin_templates_load(tmp_path)] == ["unchanged"]
    path.write_text(MINIMAL.replace("theme: 保持共产党员先进性", "theme: 新的主题"), "utf-8")
    [outcome] = builtin_templates_load(tmp_path)
    assert (outcome.action, outcome.version) == ("updated", 2)
    template = CampaignTemplate.objects.get(slug="minimal_example")
    latest = template.versions.get(version=2)
    assert latest.model().theme == "新的主题"
    assert latest.model().version == 2
    # The file's comments survive: the version line is changed in place.
    assert latest.yaml_text.startswith("# 一个小而完整的模板示例")
    assert template.versions.get(version=1).model().theme == "保持共产党员先进性"


def test_an_invalid_builtin_file_is_reported_and_skipped(db: None, tmp_path: Path) -> None:
    (tmp_path / "a_broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "b_minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    outcomes = builtin_templates_load(tmp_path)
    assert [o.action for o in outcomes] == ["invalid", "created"]
    assert any("duration_days" in issue.path for issue in outcomes[0].issues)
    assert CampaignTemplate.objects.count() == 1


def test_list_shows_one_template_per_line_slug_first(db: None) -> None:
    run("load_builtin_templates")
    out, _err = run("templates", "list")
    lines = out.strip().splitlines()
    slugs = sorted(CampaignTemplate.objects.values_list("slug", flat=True))
    assert [line.split("\t")[0] for line in lines] == slugs
    assert all("第 1 版" in line for line in lines)


def test_list_with_a_tenant_adds_its_own_templates(school: School, tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    run("templates", "import", str(path), "--tenant", school.tenant.slug)
    out, _err = run("templates", "list")
    assert "small_campaign" not in out
    out, _err = run("templates", "list", "--tenant", school.tenant.slug)
    assert out.startswith("small_campaign\t小型测试活动")
    with pytest.raises(CommandError, match="没有代号"):
        run("templates", "list", "--tenant", "nowhere")


def test_export_prints_yaml_that_loads(db: None, tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    run("templates", "import", str(path))
    out, _err = run("templates", "export", "minimal_example")
    assert load_template(out).slug == "minimal_example"
    assert out == CampaignTemplate.objects.get().versions.get().yaml_text
    with pytest.raises(CommandError, match="没有标识"):
        run("templates", "export", "nothing_here")
    with pytest.raises(CommandError, match="第 7 版"):
        run("templates", "export", "minimal_example", "--version", "7")


def test_validate_accepts_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    out, _err = run("templates", "validate", str(path))
    assert "模板有效" in out


def test_validate_lists_every_error_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 处错误"):
        call_command("templates", "validate", str(path), stderr=err)
    text = err.getvalue()
    assert "phases[0].duration_days：应为整数（第 8 行）" in text
    assert "phases[0].tasks[0].cadence" in text


def test_validate_exits_with_status_1_from_the_shell(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "xianfeng.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "templates", "validate", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "phases[0].duration_days" in result.stderr


def test_import_creates_then_versions(db: None, tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    out, _err = run("templates", "import", str(path))
    assert "已导入新模板 small_campaign" in out
    out, _err = run("templates", "import", str(path))
    assert "未做任何修改" in out
    path.write_text(SMALL.replace("theme: 测试主题", "theme: 另一个主题"), encoding="utf-8")
    out, _err = run("templates", "import", str(path))
    assert "第 2 版" in out
    template = CampaignTemplate.objects.get(slug="small_campaign")
    assert template.tenant_id is None and not template.is_builtin
    assert template.versions.count() == 2


def test_an_invalid_import_changes_nothing(db: None, tmp_path: Path) -> None:
    good = tmp_path / "small.yaml"
    good.write_text(SMALL, encoding="utf-8")
    run("templates", "import", str(good))
    before = list(TemplateVersion.objects.values_list("pk", "yaml_text"))
    bad = tmp_path / "broken.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="未做任何修改"):
        call_command("templates", "import", str(bad), stderr=err)
    assert "phases[0].duration_days" in err.getvalue()
    assert list(TemplateVersion.objects.values_list("pk", "yaml_text")) == before
    assert CampaignTemplate.objects.count() == 1
    with pytest.raises(CommandError, match="找不到文件"):
        run("templates", "import", str(tmp_path / "missing.yaml"))
