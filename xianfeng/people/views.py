"""Roster pages: the member list with search and filters, a person's profile and its forms."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xianfeng.core.access import Capability, get_visible_or_404, require
from xianfeng.core.errors import DomainError
from xianfeng.organizations.forms import add_domain_error
from xianfeng.organizations.models import Organization
from xianfeng.organizations.selectors import organization_visible
from xianfeng.people.forms import MembershipForm, PersonFilterForm, PersonForm
from xianfeng.people.models import Person
from xianfeng.people.selectors import person_list, person_memberships, person_visible
from xianfeng.people.services import (
    membership_add,
    membership_remove,
    person_create,
    person_update,
)

RESULTS_TARGET = "people-results"


def _get_person(request: HttpRequest, pk: int) -> Person:
    return get_visible_or_404(
        person_visible(user=request.user).select_related("organization"), pk=pk
    )


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET, organizations=organization_visible(user=request.user))
    people = person_list(user=request.user, query=form.query(), filters=form.filters())
    page = Paginator(people, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "can_add": request.user.has_perm("people.add_person"),
        "can_import": request.user.has_perm("people.import_roster"),
    }
    htmx = getattr(request, "htmx", None)
    # Typing in the search box or changing a filter swaps only the results; anything else is a page.
    partial = (
        htmx is not None
        and bool(htmx)
        and htmx.target == RESULTS_TARGET
        and not htmx.history_restore_request
    )
    template = "people/_results.html" if partial else "people/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    can_change = request.user.has_perm("people.change_person", person)
    context = _detail_context(
        request, person, _membership_form(request) if can_change else None, can_change
    )
    return render(request, "people/detail.html", context)


def _detail_context(
    request: HttpRequest, person: Person, membership_form: MembershipForm | None, can_change: bool
) -> dict[str, Any]:
    memberships = list(person_memberships(person=person))
    for membership in memberships:
        membership.can_remove = can_change and request.user.has_perm(  # type: ignore[attr-defined]
            "organizations.change_organization", membership.organization
        )
    return {
        "person": person,
        "memberships": memberships,
        "can_change": can_change,
        "membership_form": membership_form,
    }


def _editable_organizations(request: HttpRequest) -> Any:
    return organization_visible(user=request.user, capability=Capability.CHANGE)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require(request.user, "people.add_person")
    organizations = _editable_organizations(request)
    initial: dict[str, Any] = {}
    preset = request.GET.get("organization", "")
    if preset.isdigit() and organizations.filter(pk=int(preset)).exists():
        initial["organization"] = int(preset)
    form = PersonForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        organization: Organization = form.cleaned_data["organization"]
        require(request.user, "people.add_person", organization)
        try:
            person = person_create(tenant=organization.tenant, data=form.to_data())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已添加“%(name)s”。") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    require(request.user, "people.change_person", person)
    hidden_phone = None if request.user.has_perm("people.view_phone", person) else person.phone
    form = PersonForm(
        request.POST or None,
        organizations=_editable_organizations(request),
        initial=PersonForm.initial_from(person),
        hidden_phone=hidden_phone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, data=form.to_data())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存“%(name)s”的信息。") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person})


def _membership_form(request: HttpRequest, data: Any = None) -> MembershipForm:
    return MembershipForm(data, organizations=_editable_organizations(request))


@login_required
@require_POST
def membership_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    require(request.user, "people.change_person", person)
    form = _membership_form(request, request.POST)
    if form.is_valid():
        organization: Organization = form.cleaned_data["organization"]
        try:
            membership = membership_add(
                person=person,
                organization=organization,
                position=form.cleaned_data["position"],
                since=form.cleaned_data["since"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已登记：%(name)s 在“%(organization)s”任%(position)s。")
                % {
                    "name": person.name,
                    "organization": organization.name,
                    "position": membership.get_position_display(),
                },
            )
            return redirect("people:detail", pk=person.pk)
    context = _detail_context(request, person, form, can_change=True)
    return render(request, "people/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove_view(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    require(request.user, "people.change_person", person)
    membership = get_visible_or_404(person_memberships(person=person), pk=membership_pk)
    require(request.user, "organizations.change_organization", membership.organization)
    if request.method == "POST":
        membership_remove(membership=membership)
        messages.success(
            request,
            _("已免去 %(name)s 在“%(organization)s”的%(position)s职务。")
            % {
                "name": person.name,
                "organization": membership.organization.name,
                "position": membership.get_position_display(),
            },
        )
        return redirect("people:detail", pk=person.pk)
    return render(
        request, "people/membership_remove.html", {"person": person, "membership": membership}
    )
