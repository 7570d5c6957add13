"""Template pages: list, the readable template, copy, YAML editor, structured edits, import, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.campaigns import describe
from xianfeng.campaigns.forms import (
    CriterionEditForm,
    PhaseEditForm,
    TaskEditForm,
    TemplateCopyForm,
    TemplateImportForm,
    TemplateYamlForm,
)
from xianfeng.campaigns.models import CampaignTemplate, TemplateVersion
from xianfeng.campaigns.selectors import template_list, template_versions, template_visible
from xianfeng.campaigns.template_services import (
    PhaseChange,
    TaskChange,
    TemplateRejected,
    latest_version,
    template_copy,
    template_criterion_update,
    template_import,
    template_phase_update,
    template_task_update,
    template_version_save,
)
from xianfeng.campaigns.templating import schema as s
from xianfeng.core.access import get_visible_or_404, require
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Tenant
from xianfeng.organizations.forms import add_domain_error


def _tenant(request: HttpRequest) -> Tenant:
    tenant = getattr(request.user, "tenant", None)
    if tenant is None:
        raise PermissionDenied(_("您的账号不属于任何教育系统。"))
    return tenant


def _template(request: HttpRequest, pk: int) -> CampaignTemplate:
    template = get_visible_or_404(template_visible(user=request.user), pk=pk)
    require(request.user, "campaigns.view_template", template)
    return template


def _version(request: HttpRequest, template: CampaignTemplate) -> TemplateVersion:
    number = request.GET.get("version")
    if number and number.isdigit():
        version = template.versions.filter(version=int(number)).first()
        if version is None:
            raise Http404(_("没有这个版本。"))
        return version
    return latest_version(template)


def _show_rejection(form: Any, error: DomainError) -> list[Any]:
    if isinstance(error, TemplateRejected):
        form.add_error(None, error.message)
        return error.issues
    add_domain_error(form, error)
    return []


@login_required
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    require(request.user, "campaigns.view_template")
    context = {
        "rows": template_list(user=request.user),
        "can_import": request.user.has_perm("campaigns.import_template"),
    }
    return render(request, "campaigns/templates/list.html", context)


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    version = _version(request, template)
    model = version.model()
    phases = [
        {
            "phase": phase,
            "when": describe.phase_when(phase),
            "tasks": [
                {
                    "task": task,
                    "activity": describe.ACTIVITY_LABELS[task.activity],
                    "responsible": describe.responsible(task.responsible),
                    "due": describe.due(task),
                    "cadence": s.CADENCE_LABELS[task.cadence],
                    "evidence": describe.evidence(task),
                    "numbers": describe.numbers(task),
                }
                for task in phase.tasks
            ],
        }
        for phase in model.phases
    ]
    context = {
        "template": template,
        "version": version,
        "is_latest": version.version == latest_version(template).version,
        "model": model,
        "phases": phases,
        "standard_sets": [
            {
                "set": standard,
                "subject": s.SUBJECT_LABELS[standard.subject],
                "kind": describe.KIND_LABELS[standard.kind],
                "criteria": [
                    {
                        "criterion": c,
                        "posts": "、".join(
                            s.POST_CATEGORY_LABELS[p] for p in c.eligible_post_categories
                        ),
                    }
                    for c in standard.criteria
                ],
            }
            for standard in model.standard_sets
        ],
        "schemes": [
            {
                "scheme": scheme,
                "purpose": describe.PURPOSE_LABELS[scheme.purpose],
                "subject": describe.EVALUATION_SUBJECT_LABELS[scheme.subject],
                "evaluators": "、".join(s.EVALUATOR_LABELS[e] for e in scheme.evaluators),
                "grades": "、".join(g.name for g in scheme.grade_scale),
                "participation": describe.pct(scheme.min_participation)
                if scheme.min_participation is not None
                else "",
            }
            for scheme in model.evaluation_schemes
        ],
        "rules": [
            {
                "rule": rule,
                "kind": describe.RULE_KIND_LABELS[rule.kind],
                "text": describe.rule(rule),
            }
            for rule in model.rules
        ],
        "versions": template_versions(template=template),
        "can_copy": request.user.has_perm("campaigns.copy_template", template),
        "can_edit": request.user.has_perm("campaigns.change_template", template),
        "can_start": request.user.has_perm("campaigns.add_campaign"),
    }
    return render(request, "campaigns/templates/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    require(request.user, "campaigns.copy_template", template)
    source = latest_version(template)
    initial = {
        "slug": f"{template.slug}_copy"[:64],
        "name": _("%(name)s（副本）") % {"name": template.name},
    }
    form = TemplateCopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        tenant = _tenant(request)
        try:
            copy = template_copy(
                source=source,
                tenant=tenant,
                user=request.user,  # type: ignore[arg-type]
                slug=form.cleaned_data["slug"],
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("已复制为“%(name)s”，现在可以修改它。") % {"name": copy.name}
            )
            return redirect("campaigns:template_detail", pk=copy.pk)
    context = {"template": template, "source": source, "form": form}
    return render(request, "campaigns/templates/copy.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    require(request.user, "campaigns.change_template", template)
    current = latest_version(template)
    form = TemplateYamlForm(request.POST or None, initial={"yaml": current.yaml_text})
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            version, created = template_version_save(
                template=template,
                text=form.cleaned_data["yaml"],
                user=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"] or "编辑 YAML",
            )
        except DomainError as error:
            issues = _show_rejection(form, error)
        else:
            if created:
                messages.success(
                    request, _("已保存为第 %(version)d 版。") % {"version": version.version}
                )
            else:
                messages.info(request, _("内容没有变化，未保存新版本。"))
            return redirect("campaigns:template_detail", pk=template.pk)
    context = {"template": template, "current": current, "form": form, "issues": issues}
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/templates/edit.html", context, status=status)


def _structured(
    request: HttpRequest,
    template: CampaignTemplate,
    form: Any,
    save: Any,
    title: str,
    subtitle: str,
) -> HttpResponse:
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            version, created = save(form.cleaned_data)
        except DomainError as error:
            issues = _show_rejection(form, error)
        else:
            if created:
                messages.success(
                    request, _("已保存为第 %(version)d 版。") % {"version": version.version}
                )
            else:
                messages.info(request, _("内容没有变化，未保存新版本。"))
            return redirect("campaigns:template_detail", pk=template.pk)
    context = {
        "template": template,
        "form": form,
        "issues": issues,
        "title": title,
        "subtitle": subtitle,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/templates/part_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def template_phase_edit(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    template = _template(request, pk)
    require(request.user, "campaigns.change_template", template)
    phase = latest_version(template).model().phase(slug)
    if phase is None:
        raise Http404(_("模板中没有这个阶段。"))
    initial = {
        "name": phase.name,
        "description": phase.description,
        "starts_mode": "date" if phase.starts.date else "offset",
        "starts_offset_days": phase.starts.offset_days,
        "starts_date": phase.starts.date,
        "ends_mode": "duration" if phase.duration_days else "date",
        "duration_days": phase.duration_days,
        "ends_date": phase.ends.date if phase.ends else None,
    }
    if phase.ends is not None and phase.ends.offset_days is not None:
        # An offset end is shown as the equivalent duration, the one form the editor offers.
        initial["ends_mode"] = "duration"
        initial["duration_days"] = phase.ends.offset_days - (phase.starts.offset_days or 0) + 1
    form = PhaseEditForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        by_date = data["starts_mode"] == "date"
        change = PhaseChange(
            name=data["name"],
            description=data["description"],
            starts_offset_days=None if by_date else data["starts_offset_days"],
            starts_date=data["starts_date"] if by_date else None,
            duration_days=data["duration_days"] if data["ends_mode"] == "duration" else None,
            ends_date=data["ends_date"] if data["ends_mode"] == "date" else None,
        )
        return template_phase_update(
            template=template,
            phase_slug=slug,
            change=change,
            user=request.user,  # type: ignore[arg-type]
        )

    return _structured(request, template, form, save, _("修改阶段"), phase.name)


@login_required
@require_http_methods(["GET", "POST"])
def template_task_edit(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    template = _template(request, pk)
    require(request.user, "campaigns.change_template", template)
    task = next((t for _p, t in latest_version(template).model().tasks() if t.slug == slug), None)
    if task is None:
        raise Http404(_("模板中没有这项任务。"))
    due = task.due
    initial = {
        "title": task.title,
        "description": task.description,
        "due_kind": "phase_end"
        if due is None or due.at_phase_end
        else ("offset" if due.offset_days is not None else "date"),
        "due_offset_days": due.offset_days if due else None,
        "due_date": due.date if due else None,
        "cadence": task.cadence,
    }
    form = TaskEditForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        change = TaskChange(
            title=data["title"],
            description=data["description"],
            due_kind=data["due_kind"],
            due_offset_days=data["due_offset_days"],
            due_date=data["due_date"],
            cadence=data["cadence"],
        )
        return template_task_update(
            template=template,
            task_slug=slug,
            change=change,
            user=request.user,  # type: ignore[arg-type]
        )

    return _structured(request, template, form, save, _("修改任务"), task.title)


@login_required
@require_http_methods(["GET", "POST"])
def template_criterion_edit(
    request: HttpRequest, pk: int, set_slug: str, slug: str
) -> HttpResponse:
    template = _template(request, pk)
    require(request.user, "campaigns.change_template", template)
    standard = latest_version(template).model().standard_set(set_slug)
    criterion = next((c for c in (standard.criteria if standard else []) if c.slug == slug), None)
    if standard is None or criterion is None:
        raise Http404(_("模板中没有这项标准条件。"))
    form = CriterionEditForm(
        request.POST or None, initial={"name": criterion.name, "text": criterion.text}
    )

    def save(data: dict[str, Any]) -> Any:
        return template_criterion_update(
            template=template,
            set_slug=set_slug,
            criterion_slug=slug,
            name=data["name"],
            text=data["text"],
            user=request.user,  # type: ignore[arg-type]
        )

    return _structured(
        request, template, form, save, _("修改标准条件"), f"{standard.name} · {criterion.name}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_import_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "campaigns.import_template")
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        tenant = _tenant(request)
        try:
            result = template_import(
                tenant=tenant,
                text=form.cleaned_data["text"],
                user=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            issues = _show_rejection(form, error)
        else:
            template, version = result.template, result.version
            if result.created_template:
                messages.success(request, _("已导入模板“%(name)s”。") % {"name": template.name})
            elif result.created_version:
                messages.success(
                    request,
                    _("已导入为“%(name)s”的第 %(version)d 版。")
                    % {"name": template.name, "version": version.version},
                )
            else:
                messages.info(
                    request,
                    _("与“%(name)s”第 %(version)d 版相同，未做修改。")
                    % {"name": template.name, "version": version.version},
                )
            return redirect("campaigns:template_detail", pk=template.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "campaigns/templates/import.html", {"form": form, "issues": issues}, status=status
    )


@login_required
@require_GET
def template_export(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    version = _version(request, template)
    response = HttpResponse(version.yaml_text, content_type="application/yaml; charset=utf-8")
    filename = f"{template.slug}-v{version.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
