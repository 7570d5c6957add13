"""Forms of the organization pages; they only collect input, the services decide."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xianfeng.core.errors import DomainError
from xianfeng.organizations.models import (
    ALLOWED_CHILDREN,
    BranchType,
    Organization,
    OrganizationKind,
)


class OrganizationChoiceField(forms.ModelChoiceField):
    """A choice of organizations indented by their depth, so the tree shows in a plain select."""

    def label_from_instance(self, obj: Organization) -> str:
        return "　" * obj.depth + obj.name


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("组织类型"), choices=OrganizationKind.choices)
    branch_type = forms.ChoiceField(
        label=_("支部类别"),
        choices=BranchType.choices,
        required=False,
        help_text=_("仅党支部需要填写。"),
    )
    unit_name = forms.CharField(
        label=_("所在单位"),
        max_length=100,
        required=False,
        help_text=_("学校或单位名称，如“第一中学”；新建时留空则沿用上级组织的单位。"),
    )
    is_school = forms.BooleanField(
        label=_("学校党组织"),
        required=False,
        help_text=_("一所学校党组织的最高一级。"),
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, parent: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent is None:
            # Editing: the kind of an existing organization is fixed by its place in the tree.
            del self.fields["kind"]
        else:
            allowed = ALLOWED_CHILDREN[parent.kind]
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [
                (value, label) for value, label in OrganizationKind.choices if value in allowed
            ]

    def clean_sort_order(self) -> int:
        return self.cleaned_data.get("sort_order") or 0


class OrganizationMoveForm(forms.Form):
    new_parent = OrganizationChoiceField(
        label=_("新的上级组织"), queryset=Organization.objects.none(), empty_label=_("请选择…")
    )

    def __init__(self, *args: Any, parents: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        assert isinstance(field, OrganizationChoiceField)
        field.queryset = parents
