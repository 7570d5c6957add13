"""Forms of the 领导小组 and 实施方案 pages; they only collect input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from xianfeng.leadership.models import RoleKind, WorkingGroupRole
from xianfeng.people.models import Person


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.organization.name}）"


def _people(form: forms.Form, people: QuerySet[Person], *names: str) -> None:
    for name in names:
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class GroupForm(forms.Form):
    name = forms.CharField(label="领导小组名称", max_length=200)
    office_name = forms.CharField(label="办公室名称", max_length=200, required=False)
    office_duties = forms.CharField(
        label="办公室职责", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="职务", choices=RoleKind.choices)
    person = PersonChoiceField(
        label="人员",
        queryset=Person.objects.none(),
        required=False,
        empty_label="（待定）",
        help_text="人选尚未确定时可以先留空。",
    )
    title = forms.CharField(
        label="称谓",
        max_length=100,
        required=False,
        help_text="方案中的写法，如“组长（第一责任人）”。",
    )
    duties = forms.CharField(
        label="分工与职责", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, people, "person")


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label="工作小组名称", max_length=100)
    leader = PersonChoiceField(
        label="组长", queryset=Person.objects.none(), required=False, empty_label="（待定）"
    )
    duties = forms.CharField(label="职责", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, people, "leader")


class WorkingGroupMemberForm(forms.Form):
    person = PersonChoiceField(label="人员", queryset=Person.objects.none(), empty_label="请选择…")
    role = forms.ChoiceField(
        label="职务", choices=WorkingGroupRole.choices, initial=WorkingGroupRole.MEMBER
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, people, "person")


class PlanForm(forms.Form):
    title = forms.CharField(label="方案标题", max_length=200)
    theme = forms.CharField(
        label="实践主题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="四个明确之一：明确实践主题。",
    )
    carrier = forms.CharField(
        label="活动载体",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="四个明确之一：明确活动载体，每行一项。",
    )
    conditions = forms.CharField(
        label="创建条件",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="四个明确之一：明确创建条件（创建标准、目标）。",
    )
    commitment_content = forms.CharField(
        label="承诺内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="四个明确之一：明确承诺内容。",
    )
    body = forms.CharField(
        label="方案正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="可直接输入文字（空行分段），也可使用简单的 HTML 排版；不安全的内容会被去除。",
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="退回意见", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
