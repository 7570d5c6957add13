"""Forms of the roster pages; they only collect input, the services decide."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.organizations.forms import OrganizationChoiceField
from xianfeng.organizations.models import Organization
from xianfeng.people.models import (
    Gender,
    MassesKind,
    Person,
    PoliticalStatus,
    Position,
    PostCategory,
)
from xianfeng.people.selectors import SORTS, PersonFilters
from xianfeng.people.services import PersonData


def _any(choices: list[tuple[str, str]], label: Any) -> list[tuple[str, Any]]:
    return [("", label)] + [(value, text) for value, text in choices if value]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("姓名、拼音（zhangsan）、首字母（zs）或编号"),
                "autocomplete": "off",
            }
        ),
    )
    organization = OrganizationChoiceField(
        label=_("组织（含下级）"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("全部组织"),
    )
    status = forms.ChoiceField(
        label=_("政治面貌"), required=False, choices=_any(PoliticalStatus.choices, _("全部"))
    )
    post_category = forms.ChoiceField(
        label=_("岗位类别"), required=False, choices=_any(PostCategory.choices, _("全部"))
    )
    masses_kind = forms.ChoiceField(
        label=_("群众类别"), required=False, choices=_any(MassesKind.choices, _("全部"))
    )
    party_affairs_worker = forms.BooleanField(label=_("党务工作者"), required=False)
    leadership_member = forms.BooleanField(label=_("领导班子成员"), required=False)
    new_member = forms.BooleanField(label=_("新党员"), required=False)
    include_inactive = forms.BooleanField(label=_("含不在册人员"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("pinyin", _("姓名拼音 A→Z")),
            ("-pinyin", _("姓名拼音 Z→A")),
            ("organization", _("按组织")),
            ("code", _("人员编号")),
        ],
    )

    SELECTS = ("organization", "status", "post_category", "masses_kind", "sort")
    FLAGS = ("party_affairs_worker", "leadership_member", "new_member", "include_inactive")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, OrganizationChoiceField)
        field.queryset = organizations
        # Each control refreshes the results by itself (htmx), sending the whole form along.
        url = reverse("people:list")
        for name in self.fields:
            self.fields[name].widget.attrs.update({"hx-get": url, "hx-include": "closest form"})
        self.fields["q"].widget.attrs["hx-trigger"] = "input changed delay:300ms, search"

    def selects(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SELECTS]

    def flags(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FLAGS]

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    def filters(self) -> PersonFilters:
        """The filters the user chose; an invalid choice is ignored rather than failing the page."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        sort = data.get("sort") or "pinyin"
        return PersonFilters(
            organization=data.get("organization"),
            status=data.get("status", ""),
            post_category=data.get("post_category", ""),
            masses_kind=data.get("masses_kind", ""),
            party_affairs_worker=bool(data.get("party_affairs_worker")),
            leadership_member=bool(data.get("leadership_member")),
            new_member=bool(data.get("new_member")),
            include_inactive=bool(data.get("include_inactive")),
            sort=sort if sort in SORTS else "pinyin",
        )


class PersonForm(forms.Form):
    code = forms.CharField(
        label=_("人员编号"),
        max_length=32,
        help_text=_("在本教育系统内唯一，花名册重复导入时按它匹配。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    organization = OrganizationChoiceField(
        label=_("所在组织"), queryset=Organization.objects.none(), empty_label=_("请选择…")
    )
    status = forms.ChoiceField(label=_("政治面貌"), choices=PoliticalStatus.choices)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, required=False)
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DateInput())
    masses_kind = forms.ChoiceField(
        label=_("群众类别"),
        choices=MassesKind.choices,
        required=False,
        help_text=_("仅群众填写：教职工、学生或家长。"),
    )
    post_category = forms.ChoiceField(
        label=_("岗位类别"), choices=PostCategory.choices, required=False
    )
    joined_on = forms.DateField(
        label=_("入党时间"),
        required=False,
        widget=DateInput(),
        help_text=_("正式党员和预备党员必须填写。"),
    )
    full_member_on = forms.DateField(
        label=_("转正时间"),
        required=False,
        widget=DateInput(),
        help_text=_("正式党员必须填写。"),
    )
    title = forms.CharField(label=_("行政职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    is_party_affairs_worker = forms.BooleanField(label=_("党务工作者"), required=False)
    is_leadership_member = forms.BooleanField(label=_("领导班子成员"), required=False)
    is_new_member = forms.BooleanField(label=_("新党员"), required=False)

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        hidden_phone: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, OrganizationChoiceField)
        field.queryset = organizations
        # An editor who may not see the number keeps it unchanged instead of seeing it in the form.
        self.hidden_phone = hidden_phone
        if hidden_phone is not None:
            del self.fields["phone"]
        else:
            self.fields["phone"].widget.attrs.update(
                {"inputmode": "numeric", "autocomplete": "off"}
            )

    @staticmethod
    def initial_from(person: Person) -> dict[str, Any]:
        return {name: getattr(person, name) for name in PersonForm.base_fields} | {
            "organization": person.organization_id
        }

    def to_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            code=data["code"],
            name=data["name"],
            organization=data["organization"],
            status=data["status"],
            gender=data["gender"] or "",
            birth_date=data["birth_date"],
            masses_kind=data["masses_kind"] or "",
            post_category=data["post_category"] or "",
            joined_on=data["joined_on"],
            full_member_on=data["full_member_on"],
            is_party_affairs_worker=data["is_party_affairs_worker"],
            is_leadership_member=data["is_leadership_member"],
            is_new_member=data["is_new_member"],
            title=data["title"],
            phone=self.hidden_phone if self.hidden_phone is not None else data["phone"],
        )


class MembershipForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("任职组织"), queryset=Organization.objects.none(), empty_label=_("请选择…")
    )
    position = forms.ChoiceField(label=_("职务"), choices=Position.choices)
    since = forms.DateField(label=_("任职时间"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, OrganizationChoiceField)
        field.queryset = organizations
