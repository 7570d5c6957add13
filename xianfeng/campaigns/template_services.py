"""Writes on templates: import, copy, edit (as YAML or through the structured forms), built-ins.

Every change saves a new TemplateVersion; a version is never edited, so a campaign made from it
keeps exactly the content it was made from. Nothing is saved unless the whole template loads.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max

from xianfeng.campaigns.models import CampaignTemplate, TemplateVersion
from xianfeng.campaigns.templating import schema as s
from xianfeng.campaigns.templating.loader import (
    TemplateError,
    TemplateIssue,
    dump_template,
    load_template,
)
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Tenant, User

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin_templates"


class TemplateRejected(DomainError):
    """A template text was refused; `issues` lists every problem with its path and line."""

    def __init__(self, issues: list[TemplateIssue], message: str | None = None) -> None:
        super().__init__(message or f"模板有 {len(issues)} 处错误，未做任何修改。", field="yaml")
        self.issues = issues


def template_check(text: str) -> s.CampaignTemplate:
    try:
        return load_template(text)
    except TemplateError as error:
        raise TemplateRejected(error.errors) from None


# --- identity lines ----------------------------------------------------------------------------


def _scalar(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    try:
        plain = yaml.safe_load(f"key: {value}")
    except yaml.YAMLError:
        plain = None
    if isinstance(plain, dict) and plain.get("key") == value:
        return value
    # A JSON string is a valid double-quoted YAML scalar, and keeps Chinese readable.
    return json.dumps(value, ensure_ascii=False)


def _set_top_level(text: str, key: str, value: str | int, after: str | None) -> str | None:
    """Rewrite `key: …` at the top level of block YAML, keeping every comment and line else."""
    pattern = re.compile(rf"^{key}:[^\n]*$", re.MULTILINE)
    line = f"{key}: {_scalar(value)}"
    if pattern.search(text):
        matches = pattern.findall(text)
        if len(matches) != 1:
            return None
        return pattern.sub(lambda _m: line, text, count=1)
    if after is None:
        return None
    anchor = re.compile(rf"^{after}:[^\n]*$", re.MULTILINE)
    found = anchor.search(text)
    if found is None:
        return None
    return text[: found.end()] + "\n" + line + text[found.end() :]


def stamp(
    text: str, *, version: int, slug: str | None = None, name: str | None = None
) -> tuple[str, s.CampaignTemplate]:
    """The text with its identity fields set, and the template it loads to.

    The lines are changed in place so that the author's comments and layout survive; where the
    text is not plain block YAML the template is written out anew instead.
    """
    template = template_check(text)
    slug = slug or template.slug
    name = name or template.name
    rewritten: str | None = text
    for key, value, after in (
        ("slug", slug, None),
        ("name", name, "slug"),
        ("version", version, "name"),
    ):
        if rewritten is not None:
            rewritten = _set_top_level(rewritten, key, value, after)
    if rewritten is not None:
        try:
            stamped = load_template(rewritten)
        except TemplateError:
            stamped = None
        if stamped is not None and (stamped.slug, stamped.name, stamped.version) == (
            slug,
            name,
            version,
        ):
            return rewritten, stamped
    updated = template.model_copy(update={"slug": slug, "name": name, "version": version})
    dumped = dump_template(updated)
    return dumped, template_check(dumped)


# --- versions ----------------------------------------------------------------------------------


def latest_version(template: CampaignTemplate) -> TemplateVersion:
    return template.versions.order_by("-version").first()  # type: ignore[return-value]


def _save_version(
    *,
    template: CampaignTemplate,
    text: str,
    user: User | None,
    note: str,
) -> tuple[TemplateVersion, bool]:
    """Save `text` as the template's next version; unchanged text saves nothing."""
    current = template.versions.aggregate(top=Max("version"))["top"] or 0
    if current:
        same, _model = stamp(text, version=current, slug=template.slug)
        latest = template.versions.get(version=current)
        if same == latest.yaml_text:
            return latest, False
    stamped, model = stamp(text, version=current + 1, slug=template.slug)
    version = TemplateVersion.objects.create(
        tenant_id=template.tenant_id,
        template=template,
        version=current + 1,
        yaml_text=stamped,
        parsed=model.model_dump(mode="json"),
        note=note[:200],
        created_by=user,
    )
    if template.name != model.name:
        template.name = model.name
        template.save(update_fields=["name", "updated_at"])
    else:
        template.save(update_fields=["updated_at"])
    return version, True


def _slug_taken(*, tenant: Tenant | None, slug: str) -> str | None:
    """Why a slug cannot be used by a new template of this tenant, or None."""
    shared = CampaignTemplate.objects.filter(tenant__isnull=True, slug=slug)
    if tenant is None:
        return "已有同一标识的共享模板。" if shared.exists() else None
    if shared.exists():
        return f"标识“{slug}”已被内置（共享）模板使用，请在 YAML 中改用另一个 slug。"
    if CampaignTemplate.objects.filter(tenant=tenant, slug=slug).exists():
        return f"本单位已有标识为“{slug}”的模板。"
    return None


def template_version_save(
    *, template: CampaignTemplate, text: str, user: User | None, note: str = "编辑 YAML"
) -> tuple[TemplateVersion, bool]:
    """Save an edited YAML text as a new version (built-ins change only through their files)."""
    if template.is_builtin:
        raise DomainError("内置模板不能直接修改，请先复制一份再编辑。")
    with transaction.atomic():
        template = CampaignTemplate.objects.select_for_update().get(pk=template.pk)
        return _save_version(template=template, text=text, user=user, note=note)


@dataclass(frozen=True)
class ImportResult:
    template: CampaignTemplate
    version: TemplateVersion
    created_template: bool
    created_version: bool


def template_import(
    *, tenant: Tenant | None, text: str, user: User | None, builtin: bool = False
) -> ImportResult:
    """Import a template file: a new template, or a new version of the one with the same slug."""
    model = template_check(text)
    with transaction.atomic():
        existing = (
            CampaignTemplate.objects.select_for_update()
            .filter(tenant=tenant, slug=model.slug)
            .first()
        )
        if existing is not None:
            if existing.is_builtin and not builtin:
                raise DomainError(
                    f"“{model.slug}”是内置模板，只能通过内置模板文件更新；如要修改，请先复制一份。",
                    field="yaml",
                )
            version, created = _save_version(
                template=existing, text=text, user=user, note="导入模板文件"
            )
            return ImportResult(existing, version, False, created)
        problem = _slug_taken(tenant=tenant, slug=model.slug)
        if problem:
            raise DomainError(problem, field="yaml")
        template = CampaignTemplate.objects.create(
            tenant=tenant, slug=model.slug, name=model.name, is_builtin=builtin, created_by=user
        )
        version, _created = _save_version(
            template=template, text=text, user=user, note="导入模板文件"
        )
        return ImportResult(template, version, True, True)


def template_copy(
    *,
    source: TemplateVersion,
    tenant: Tenant,
    user: User | None,
    slug: str,
    name: str,
) -> CampaignTemplate:
    """A tenant's own template whose version 1 is the source's YAML under a new slug and name."""
    if not re.fullmatch(s.SLUG_PATTERN, slug) or len(slug) > 64:
        raise DomainError(
            "标识只能由小写英文字母、数字和下划线组成，并以字母开头（如 my_ten_stars）。",
            field="slug",
        )
    name = name.strip()
    if not name:
        raise DomainError("请填写模板名称。", field="name")
    if len(name) > 200:
        raise DomainError("模板名称最多 200 个字。", field="name")
    problem = _slug_taken(tenant=tenant, slug=slug)
    if problem:
        raise DomainError(problem, field="slug")
    text, model = stamp(source.yaml_text, version=1, slug=slug, name=name)
    with transaction.atomic():
        template = CampaignTemplate.objects.create(
            tenant=tenant,
            slug=slug,
            name=model.name,
            is_builtin=False,
            copied_from=source,
            created_by=user,
        )
        TemplateVersion.objects.create(
            tenant=tenant,
            template=template,
            version=1,
            yaml_text=text,
            parsed=model.model_dump(mode="json"),
            note=f"复制自“{source.template.name}”第 {source.version} 版",
            created_by=user,
        )
    return template


# --- structured edits: load → change the model → dump → load ------------------------------------


def _rewrite(
    *,
    template: CampaignTemplate,
    user: User | None,
    note: str,
    change: Callable[[s.CampaignTemplate], None],
) -> tuple[TemplateVersion, bool]:
    if template.is_builtin:
        raise DomainError("内置模板不能直接修改，请先复制一份再编辑。")
    with transaction.atomic():
        template = CampaignTemplate.objects.select_for_update().get(pk=template.pk)
        model = latest_version(template).model().model_copy(deep=True)
        change(model)
        text = dump_template(model)
        # Loading the written text again runs every check, so a change that breaks a reference
        # or a date is refused exactly as it would be in the YAML editor.
        return _save_version(template=template, text=text, user=user, note=note)


def _phase(model: s.CampaignTemplate, slug: str) -> s.Phase:
    phase = model.phase(slug)
    if phase is None:
        raise DomainError("模板中没有这个阶段。")
    return phase


def _task(model: s.CampaignTemplate, slug: str) -> s.Task:
    for _phase_obj, task in model.tasks():
        if task.slug == slug:
            return task
    raise DomainError("模板中没有这项任务。")


@dataclass(frozen=True)
class PhaseChange:
    name: str
    description: str
    starts_offset_days: int | None
    starts_date: datetime.date | None
    duration_days: int | None
    ends_date: datetime.date | None


def template_phase_update(
    *, template: CampaignTemplate, phase_slug: str, change: PhaseChange, user: User | None
) -> tuple[TemplateVersion, bool]:
    def apply(model: s.CampaignTemplate) -> None:
        phase = _phase(model, phase_slug)
        phase.name = change.name
        phase.description = change.description
        if change.starts_date is not None:
            phase.starts = s.DayAnchor(date=change.starts_date)
        else:
            phase.starts = s.DayAnchor(offset_days=change.starts_offset_days or 0)
        if change.ends_date is not None:
            phase.duration_days = None
            phase.ends = s.DayAnchor(date=change.ends_date)
        else:
            phase.ends = None
            phase.duration_days = change.duration_days

    return _rewrite(template=template, user=user, note=f"修改阶段“{change.name}”", change=apply)


@dataclass(frozen=True)
class TaskChange:
    title: str
    description: str
    due_kind: str  # "phase_end" | "offset" | "date"
    due_offset_days: int | None
    due_date: datetime.date | None
    cadence: str


def template_task_update(
    *, template: CampaignTemplate, task_slug: str, change: TaskChange, user: User | None
) -> tuple[TemplateVersion, bool]:
    def apply(model: s.CampaignTemplate) -> None:
        task = _task(model, task_slug)
        task.title = change.title
        task.description = change.description
        task.cadence = change.cadence  # type: ignore[assignment]
        if change.due_kind == "offset":
            task.due = s.Due(offset_days=change.due_offset_days or 0)
        elif change.due_kind == "date":
            task.due = s.Due(date=change.due_date)
        else:
            task.due = None

    return _rewrite(template=template, user=user, note=f"修改任务“{change.title}”", change=apply)


def template_criterion_update(
    *,
    template: CampaignTemplate,
    set_slug: str,
    criterion_slug: str,
    name: str,
    text: str,
    user: User | None,
) -> tuple[TemplateVersion, bool]:
    def apply(model: s.CampaignTemplate) -> None:
        standard = model.standard_set(set_slug)
        criterion = next(
            (c for c in (standard.criteria if standard else []) if c.slug == criterion_slug), None
        )
        if criterion is None:
            raise DomainError("模板中没有这项标准条件。")
        criterion.name = name
        criterion.text = text

    return _rewrite(template=template, user=user, note=f"修改标准条件“{name}”", change=apply)


def template_issues_from(model_change: Any) -> list[TemplateIssue]:
    """The issues of a refused structured edit, for showing on its form."""
    return getattr(model_change, "issues", [])


# --- built-ins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltinOutcome:
    file: str
    slug: str | None
    action: str  # "created" | "updated" | "unchanged" | "invalid"
    version: int | None
    issues: list[TemplateIssue]


def builtin_templates_load(directory: Path = BUILTIN_DIR) -> list[BuiltinOutcome]:
    """Load every built-in template file: a new file a template, a changed file a new version.

    An invalid file is reported and skipped so that the other built-ins still load.
    """
    outcomes = []
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            result = template_import(tenant=None, text=text, user=None, builtin=True)
        except TemplateRejected as error:
            outcomes.append(BuiltinOutcome(path.name, None, "invalid", None, error.issues))
            continue
        except DomainError as error:
            issue = TemplateIssue("slug", error.message)
            outcomes.append(BuiltinOutcome(path.name, None, "invalid", None, [issue]))
            continue
        if result.created_template:
            action = "created"
        elif result.created_version:
            action = "updated"
        else:
            action = "unchanged"
        outcomes.append(
            BuiltinOutcome(path.name, result.template.slug, action, result.version.version, [])
        )
    return outcomes
