"""Forms of the account pages. They only check shape; the services decide what may be saved."""

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditEntry, Role, User
from xianfeng.organizations.models import Organization

ACTION_LABELS = {
    AuditEntry.Action.CREATE: _("新增"),
    AuditEntry.Action.UPDATE: _("修改"),
    AuditEntry.Action.DELETE: _("删除"),
    AuditEntry.Action.ACCESS: _("查看"),
}


class PasswordFields(forms.Form):
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 个字符，不能全是数字，不能过于常见或与用户名相似。"),
    )
    password_confirm = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password"), data.get("password_confirm")
        if first and second and first != second:
            self.add_error("password_confirm", _("两次输入的密码不一致。"))
        return data


class PersonCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("关联人员（人员编号）"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", _("可输入姓名、拼音或编号查找；留空表示不关联。"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "list": "person-options",
                    "hx-get": reverse_lazy("core:person_options"),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#person-options",
                }
            ),
        )
        super().__init__(**kwargs)


class UserCreateForm(PasswordFields):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录时使用，可包含字母、数字和 @ . + - _。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    person = PersonCodeField()

    field_order = ["username", "full_name", "password", "password_confirm", "person"]


class UserUpdateForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    is_active = forms.BooleanField(
        label=_("启用（可以登录）"),
        required=False,
        help_text=_("取消勾选即停用账号：停用后不能登录，数据保留，可随时重新启用。"),
    )
    person = PersonCodeField()


class PasswordResetForm(PasswordFields):
    pass


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Indent by depth so the select reads like the tree.
        return "　" * obj.depth + obj.name


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        model = obj.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.model


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}（{obj.username}）"


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("请选择角色")), *Role.choices])
    organization = OrganizationChoiceField(
        label=_("管辖组织"),
        queryset=Organization.objects.none(),
        empty_label=_("请选择组织"),
        error_messages={"invalid_choice": _("请选择您管理范围内的组织。")},
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=100,
        help_text=_("例如“校园网同步脚本”，方便以后辨认和撤销。"),
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("查找"), required=False, max_length=50)


class AuditFilterForm(forms.Form):
    content_type = ContentTypeChoiceField(
        label=_("对象类型"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("全部"),
    )
    action = forms.TypedChoiceField(
        label=_("操作"),
        choices=[("", _("全部"))]
        + [
            (value, label)
            for value, label in ACTION_LABELS.items()
            if value != AuditEntry.Action.ACCESS
        ],
        coerce=int,
        required=False,
        empty_value=None,
    )
    actor = ActorChoiceField(
        label=_("操作人"), queryset=User.objects.none(), required=False, empty_label=_("全部")
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    object_id = forms.IntegerField(label=_("对象编号"), required=False, min_value=1)

    def __init__(
        self,
        *args: Any,
        content_types: QuerySet[ContentType],
        actors: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        content_type = self.fields["content_type"]
        actor = self.fields["actor"]
        assert isinstance(content_type, forms.ModelChoiceField)
        assert isinstance(actor, forms.ModelChoiceField)
        content_type.queryset = content_types
        actor.queryset = actors

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data
