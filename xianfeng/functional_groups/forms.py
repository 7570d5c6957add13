"""Forms of the 功能党小组 pages; they only collect input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from xianfeng.campaigns.models import Campaign
from xianfeng.functional_groups.models import GroupArea, Nomination, ProposedGroup
from xianfeng.organizations.forms import OrganizationChoiceField
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Person


class DateInput(forms.DateInput):
    input_type = "date"


class DriveForm(forms.Form):
    branch = OrganizationChoiceField(
        label="党支部", queryset=Organization.objects.none(), empty_label="请选择…"
    )
    title = forms.CharField(label="名称", max_length=200, initial="建立“功能党小组”")
    signup_deadline = forms.DateField(label="报名截止日期", widget=DateInput)
    campaign = forms.ModelChoiceField(
        label="所属主题活动",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="（不属于某项活动）",
    )

    def __init__(
        self,
        *args: Any,
        branches: QuerySet[Organization] | None,
        campaigns: QuerySet[Campaign],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if branches is None:
            # Editing: the branch of a drive does not change.
            del self.fields["branch"]
        else:
            branch = self.fields["branch"]
            assert isinstance(branch, forms.ModelChoiceField)
            branch.queryset = branches
        campaign = self.fields["campaign"]
        assert isinstance(campaign, forms.ModelChoiceField)
        campaign.queryset = campaigns


class GroupForm(forms.Form):
    name = forms.CharField(
        label="小组名称", max_length=100, help_text="简单明了、符合实际，如“教学科研功能党小组”。"
    )
    area = forms.ChoiceField(label="功能定位", choices=GroupArea.choices)
    description = forms.CharField(
        label="职责与说明", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class SignUpForm(forms.Form):
    group = forms.ModelChoiceField(
        label="参加的小组",
        queryset=ProposedGroup.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    reason = forms.CharField(
        label="特长与理由",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="根据自己的能力特长选择一个小组。",
    )

    def __init__(self, *args: Any, groups: QuerySet[ProposedGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = groups


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.organization.name}）"


class RosterForm(forms.Form):
    person = PersonChoiceField(label="党员", queryset=Person.objects.none(), empty_label="请选择…")
    group = forms.ModelChoiceField(
        label="调整到", queryset=ProposedGroup.objects.none(), empty_label="请选择…"
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        groups: QuerySet[ProposedGroup],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = people
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = groups


class NominationForm(forms.Form):
    statement = forms.CharField(
        label="自荐理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="说明自己的特长和当好组长的打算。",
    )


class NomineeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Nomination) -> str:
        return obj.person.name


class VoteForm(forms.Form):
    nomination = NomineeChoiceField(
        label="选择组长",
        queryset=Nomination.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, nominations: QuerySet[Nomination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nomination"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = nominations
