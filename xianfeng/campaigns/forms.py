"""Forms of the campaign and template pages; they collect input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from xianfeng.campaigns.models import CampaignTemplate, ChecklistItem, EvidenceKind
from xianfeng.campaigns.templating import schema as s
from xianfeng.organizations.forms import OrganizationChoiceField
from xianfeng.organizations.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a meeting's photos)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CampaignTemplate) -> str:
        return gettext("%(name)s（内置）") % {"name": obj.name} if obj.is_builtin else obj.name


class CampaignForm(forms.Form):
    template = TemplateChoiceField(
        label=pgettext_lazy("表单字段", "活动模板"),
        queryset=CampaignTemplate.objects.none(),
        empty_label=_("请选择…"),
    )
    root = OrganizationChoiceField(
        label=_("开展组织"),
        queryset=Organization.objects.none(),
        empty_label=_("请选择…"),
        help_text=_("活动在该组织及其全部下级组织中开展。"),
    )
    name = forms.CharField(label=_("活动名称"), max_length=200)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    keep_template_dates = forms.BooleanField(
        label=_("沿用模板中的固定日期"),
        required=False,
        help_text=_("不勾选时，模板中写定的日期整体平移，使其最早的日期落在开始日期。"),
    )
    publish = forms.BooleanField(
        label=_("立即发布"),
        required=False,
        initial=True,
        help_text=_("发布后各责任单位即可办理；不勾选则先存为草稿。"),
    )

    def __init__(
        self,
        *args: Any,
        templates: QuerySet[CampaignTemplate],
        roots: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["root"].queryset = roots  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    """One row per evidence kind the task requires, plus a free row for anything else."""

    def __init__(self, *args: Any, item: ChecklistItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[dict[str, Any]] = []
        kinds = []
        for need in item.task.model().evidence:
            if need.kind not in kinds:
                kinds.append(need.kind)
        for kind in kinds:
            needs = [n for n in item.task.model().evidence if n.kind == kind]
            label = "、".join(n.name or s.EVIDENCE_LABELS[kind] for n in needs)
            count = max(n.min_count for n in needs)
            self._add_row(kind, label, count, required_kind=True)
        self._add_row("", gettext("其他材料"), 0, required_kind=False)

    def _add_row(self, kind: str, label: str, count: int, *, required_kind: bool) -> None:
        prefix = kind or "extra"
        self.fields[f"{prefix}_text"] = forms.CharField(
            label=gettext("%(label)s · 文字说明") % {"label": label},
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields[f"{prefix}_files"] = MultipleFileField(
            label=gettext("%(label)s · 上传文件") % {"label": label}, required=False
        )
        if not required_kind:
            self.fields["extra_kind"] = forms.ChoiceField(
                label=_("材料类别"),
                choices=EvidenceKind.choices,
                initial=EvidenceKind.DOCUMENT,
                required=False,
            )
        self.rows.append(
            {
                "kind": kind,
                "label": label,
                "count": count,
                "text": self[f"{prefix}_text"],
                "files": self[f"{prefix}_files"],
                "kind_field": None if required_kind else self["extra_kind"],
            }
        )

    def pieces(self) -> list[tuple[str, str, list[Any]]]:
        """(kind, text, files) for each row that was filled in."""
        filled = []
        for row in self.rows:
            prefix = row["kind"] or "extra"
            kind = row["kind"] or self.cleaned_data.get("extra_kind") or EvidenceKind.DOCUMENT
            text = self.cleaned_data.get(f"{prefix}_text") or ""
            files = self.cleaned_data.get(f"{prefix}_files") or []
            if text.strip() or files:
                filled.append((kind, text, files))
        return filled


class CircularForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}))


class ReminderForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("督办对象"), queryset=Organization.objects.none(), empty_label=_("请选择…")
    )
    message = forms.CharField(label=_("督办内容"), widget=forms.Textarea(attrs={"rows": 5}))
    reply_due_on = forms.DateField(label=_("回复期限"), widget=DATE)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 5}))


# --- templates ----------------------------------------------------------------------------------


class TemplateCopyForm(forms.Form):
    slug = forms.CharField(
        label=_("新模板标识"),
        max_length=64,
        help_text=_("小写英文字母、数字和下划线，以字母开头，如 school1_ten_stars。"),
    )
    name = forms.CharField(label=_("新模板名称"), max_length=200)


class TemplateYamlForm(forms.Form):
    yaml = forms.CharField(
        label=_("模板 YAML"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "class": "code", "spellcheck": "false"}),
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)


class TemplateImportForm(forms.Form):
    file = forms.FileField(label=_("模板文件（.yaml）"), required=False)
    yaml = forms.CharField(
        label=_("或直接粘贴 YAML"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "code", "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            raw = upload.read()
            try:
                data["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("文件不是 UTF-8 编码的文本。")) from None
        elif (data.get("yaml") or "").strip():
            data["text"] = data["yaml"]
        else:
            raise forms.ValidationError(_("请选择模板文件，或粘贴模板 YAML。"))
        return data


class PhaseEditForm(forms.Form):
    name = forms.CharField(label=_("阶段名称"), max_length=200)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_mode = forms.ChoiceField(
        label=_("开始"),
        choices=[("offset", _("活动开始后第几天")), ("date", _("固定日期"))],
        widget=forms.RadioSelect,
    )
    starts_offset_days = forms.IntegerField(
        label=_("开始于第几天（从 0 起）"), min_value=0, required=False
    )
    starts_date = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    ends_mode = forms.ChoiceField(
        label=_("结束"),
        choices=[("duration", _("持续天数")), ("date", _("结束日期（仅固定日期的阶段）"))],
        widget=forms.RadioSelect,
    )
    duration_days = forms.IntegerField(label=_("持续天数"), min_value=1, required=False)
    ends_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_mode") == "offset" and data.get("starts_offset_days") is None:
            self.add_error("starts_offset_days", _("请填写开始于第几天。"))
        if data.get("starts_mode") == "date" and not data.get("starts_date"):
            self.add_error("starts_date", _("请填写开始日期。"))
        if data.get("ends_mode") == "duration" and not data.get("duration_days"):
            self.add_error("duration_days", _("请填写持续天数。"))
        if data.get("ends_mode") == "date":
            if not data.get("ends_date"):
                self.add_error("ends_date", _("请填写结束日期。"))
            if data.get("starts_mode") != "date":
                self.add_error("ends_mode", _("按偏移天数开始的阶段请用持续天数。"))
        return data


class TaskEditForm(forms.Form):
    title = forms.CharField(label=_("任务名称"), max_length=200)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_kind = forms.ChoiceField(
        label=_("办结时限"),
        choices=[
            ("phase_end", _("阶段结束时（周期任务为每个周期末）")),
            ("offset", _("阶段开始后第几天")),
            ("date", _("固定日期（仅固定日期的阶段、一次性任务）")),
        ],
        widget=forms.RadioSelect,
    )
    due_offset_days = forms.IntegerField(label=_("第几天"), min_value=0, required=False)
    due_date = forms.DateField(label=_("日期"), required=False, widget=DATE)
    cadence = forms.ChoiceField(label=_("频次"), choices=list(s.CADENCE_LABELS.items()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due_kind") == "offset" and data.get("due_offset_days") is None:
            self.add_error("due_offset_days", _("请填写第几天。"))
        if data.get("due_kind") == "date" and not data.get("due_date"):
            self.add_error("due_date", _("请填写日期。"))
        return data


class CriterionEditForm(forms.Form):
    name = forms.CharField(label=_("条件名称"), max_length=200)
    text = forms.CharField(
        label=_("条件原文"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
