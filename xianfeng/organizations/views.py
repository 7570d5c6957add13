"""Organization pages: the tree, one organization, and its create / edit / move / delete forms."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xianfeng.core.access import Capability, get_visible_or_404, require
from xianfeng.core.errors import DomainError
from xianfeng.organizations.forms import OrganizationForm, OrganizationMoveForm, add_domain_error
from xianfeng.organizations.models import ALLOWED_CHILDREN, Organization
from xianfeng.organizations.selectors import (
    organization_ancestors,
    organization_children,
    organization_positions,
    organization_subtree_counts,
    organization_tree,
    organization_visible,
)
from xianfeng.organizations.services import (
    organization_create,
    organization_delete,
    organization_move,
    organization_update,
)
from xianfeng.people.selectors import PersonFilters, person_list


def _get_organization(request: HttpRequest, pk: int) -> Organization:
    return get_visible_or_404(organization_visible(user=request.user), pk=pk)


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = organization_tree(user=request.user)
    return render(request, "organizations/tree.html", {"roots": roots})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _get_organization(request, pk)
    people = person_list(user=request.user, filters=PersonFilters(organization=organization))
    page_size = settings.PAGE_SIZE
    members = list(people[: page_size + 1])
    can_change = request.user.has_perm("organizations.change_organization", organization)
    context: dict[str, Any] = {
        "organization": organization,
        "ancestors": organization_ancestors(organization=organization, user=request.user),
        "children": organization_children(organization=organization),
        "positions": organization_positions(organization=organization),
        "counts": organization_subtree_counts(organization=organization),
        "members": members[:page_size],
        "members_more": len(members) > page_size,
        "can_change": can_change,
        "can_add_child": can_change and bool(ALLOWED_CHILDREN[organization.kind]),
    }
    return render(request, "organizations/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, parent_pk: int) -> HttpResponse:
    parent = _get_organization(request, parent_pk)
    require(request.user, "organizations.add_organization", parent)
    form = OrganizationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = organization_create(
                tenant=parent.tenant,
                parent=parent,
                name=data["name"],
                kind=data["kind"],
                branch_type=data["branch_type"],
                unit_name=data["unit_name"],
                is_school=data["is_school"],
                sort_order=data["sort_order"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已新建组织“%(name)s”。") % {"name": organization.name})
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request, "organizations/form.html", {"form": form, "parent": parent, "organization": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _get_organization(request, pk)
    require(request.user, "organizations.change_organization", organization)
    initial = {
        "name": organization.name,
        "branch_type": organization.branch_type,
        "unit_name": organization.unit_name,
        "is_school": organization.is_school,
        "sort_order": organization.sort_order,
    }
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization_update(
                organization=organization,
                name=data["name"],
                branch_type=data["branch_type"],
                unit_name=data["unit_name"],
                is_school=data["is_school"],
                sort_order=data["sort_order"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": organization.name})
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "parent": None, "organization": organization},
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _get_organization(request, pk)
    require(request.user, "organizations.change_organization", organization)
    # Only where the user may change things; a choice inside its own subtree is refused by the service.
    parents = organization_visible(user=request.user, capability=Capability.CHANGE).exclude(
        pk=organization.pk
    )
    form = OrganizationMoveForm(
        request.POST or None, parents=parents, initial={"new_parent": organization.parent_id}
    )
    if request.method == "POST" and form.is_valid():
        new_parent = form.cleaned_data["new_parent"]
        try:
            organization_move(organization=organization, new_parent=new_parent)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已把“%(name)s”移动到“%(parent)s”之下。")
                % {"name": organization.name, "parent": new_parent.name},
            )
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request,
        "organizations/move.html",
        {
            "form": form,
            "organization": organization,
            "ancestors": organization_ancestors(organization=organization, user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _get_organization(request, pk)
    require(request.user, "organizations.delete_organization", organization)
    error = None
    if request.method == "POST":
        parent = organization.parent
        name = organization.name
        try:
            organization_delete(organization=organization)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("已删除组织“%(name)s”。") % {"name": name})
            if parent is not None and request.user.has_perm(
                "organizations.view_organization", parent
            ):
                return redirect("organizations:detail", pk=parent.pk)
            return redirect(reverse("organizations:tree"))
    context = {
        "organization": organization,
        "error": error,
        "counts": organization_subtree_counts(organization=organization),
        "child_count": organization.children.count(),
    }
    return render(request, "organizations/delete.html", context, status=400 if error else 200)
