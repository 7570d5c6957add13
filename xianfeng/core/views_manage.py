"""Account management: accounts and role grants, the audit log, personal access tokens.

Every object is fetched through the access helpers below, which scope it to the signed-in user's
tenant and managed subtree: another school system's account is a 404, a secretary on these pages a 403.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, Prefetch, Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.core import services
from xianfeng.core.access import (
    Capability,
    get_visible_or_404,
    path_filter,
    require,
    restrict,
    scope_for,
)
from xianfeng.core.audit import AUDITED
from xianfeng.core.errors import DomainError
from xianfeng.core.forms import (
    ACTION_LABELS,
    AccessTokenForm,
    AuditFilterForm,
    PasswordResetForm,
    RoleGrantForm,
    UserCreateForm,
    UserSearchForm,
    UserUpdateForm,
)
from xianfeng.core.models import AccessToken, AuditEntry, RoleGrant, Tenant, User
from xianfeng.lib.text import is_pinyin_query, name_initials, name_pinyin
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Person

# ---------------------------------------------------------------------------------------------
# Access helpers


def managed_users(admin: Any) -> QuerySet[User]:
    """Accounts of the admin's tenant whose every role grant lies inside the admin's subtrees.

    An account that also holds a role above or beside those subtrees stays out of reach, so an
    administrator of one school cannot reset the password of a district administrator. Accounts
    without any grant yet are in reach: they have just been created or were never assigned.
    """
    scope = scope_for(admin)
    paths = scope.paths(Capability.MANAGE_USERS)
    if scope.tenant_id is None or not paths:
        return User.objects.none()
    outside = (
        RoleGrant.objects.filter(user__tenant_id=scope.tenant_id)
        .exclude(path_filter(paths, "organization__path"), tenant_id=scope.tenant_id)
        .values("user_id")
    )
    return User.objects.filter(tenant_id=scope.tenant_id, is_superuser=False).exclude(
        pk__in=outside
    )


def managed_organizations(admin: Any) -> QuerySet[Organization]:
    return restrict(
        Organization.objects.all(),
        admin,
        path_field="path",
        capability=Capability.MANAGE_USERS,
    ).order_by("path")


def managed_people(admin: Any) -> QuerySet[Person]:
    return restrict(
        Person.objects.select_related("organization"),
        admin,
        path_field="organization__path",
        capability=Capability.MANAGE_USERS,
    )


def _resolve_person(admin: Any, code: str) -> Person | None:
    code = code.strip()
    if not code:
        return None
    person = managed_people(admin).filter(code=code).first()
    if person is None:
        raise DomainError(
            f"没有找到人员编号为“{code}”的人员，或该人员不在您的管理范围内。", field="person"
        )
    return person


def _keep_or_resolve(admin: Any, current: Person | None, code: str) -> Person | None:
    # The linked person may sit outside the admin's subtree; leaving the field as it was keeps it.
    if current is not None and code.strip() == current.code:
        return current
    return _resolve_person(admin, code)


def _show_error(form: Form, error: DomainError) -> None:
    name = error.field if error.field in form.fields else None
    form.add_error(name, error.message)


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# ---------------------------------------------------------------------------------------------
# Accounts and role grants


@login_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_users")
    form = UserSearchForm(request.GET)
    queryset = managed_users(request.user)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        queryset = _search_users(queryset, query)
    queryset = (
        queryset.select_related("person")
        .prefetch_related(
            Prefetch(
                "role_grants",
                queryset=RoleGrant.objects.select_related("organization").order_by(
                    "organization__path", "role"
                ),
            )
        )
        .order_by("username")
    )
    return render(
        request,
        "core/manage/users.html",
        {
            "form": form,
            "query": query,
            "page": _page(request, queryset),
            "page_query": _query_without_page(request),
        },
    )


def _search_users(queryset: QuerySet[User], query: str) -> QuerySet[User]:
    condition = Q(username__icontains=query) | Q(full_name__icontains=query) | Q(person__code=query)
    if is_pinyin_query(query):
        letters = query.lower()
        condition |= Q(person__name_pinyin__startswith=letters) | Q(
            person__name_initials__startswith=letters
        )
        # Accounts keep no pinyin column; names are short and an admin's accounts are few
        # hundred, so matching the pinyin here is cheaper than another denormalized field.
        matched = [
            pk
            for pk, full_name in queryset.values_list("pk", "full_name")
            if full_name
            and (
                name_pinyin(full_name).startswith(letters)
                or name_initials(full_name).startswith(letters)
            )
        ]
        condition |= Q(pk__in=matched)
    return queryset.filter(condition)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_users")
    tenant = getattr(request.user, "tenant", None)
    if tenant is None:
        raise PermissionDenied(_("您的账号不属于任何教育系统。"))
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = _resolve_person(request.user, data["person"])
            user = services.user_create(
                tenant=tenant,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"],
                person=person,
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("已创建账号“%(name)s”，请为其授予角色。") % {"name": user.username}
            )
            return redirect("core:user_detail", pk=user.pk)
    return render(request, "core/manage/user_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "core.manage_users")
    account: User = get_visible_or_404(managed_users(request.user).select_related("person"), pk=pk)
    person: Person | None = getattr(account, "person", None)
    organizations = managed_organizations(request.user)
    update_form = UserUpdateForm(
        initial={
            "full_name": account.full_name,
            "is_active": account.is_active,
            "person": person.code if person else "",
        }
    )
    password_form = PasswordResetForm()
    grant_form = RoleGrantForm(organizations=organizations)
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "update":
        update_form = UserUpdateForm(request.POST)
        if update_form.is_valid():
            data = update_form.cleaned_data
            try:
                services.user_update(
                    user=account,
                    full_name=data["full_name"],
                    is_active=data["is_active"],
                    person=_keep_or_resolve(request.user, person, data["person"]),
                    by=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                _show_error(update_form, error)
            else:
                messages.success(request, _("账号信息已保存。"))
                return redirect("core:user_detail", pk=account.pk)
    elif action == "password":
        password_form = PasswordResetForm(request.POST)
        if password_form.is_valid():
            try:
                services.user_set_password(
                    user=account, password=password_form.cleaned_data["password"]
                )
            except DomainError as error:
                _show_error(password_form, error)
            else:
                messages.success(request, _("密码已重置，请把新密码告知本人。"))
                return redirect("core:user_detail", pk=account.pk)
    elif action == "grant":
        grant_form = RoleGrantForm(request.POST, organizations=organizations)
        if grant_form.is_valid():
            try:
                grant = services.role_grant_add(
                    user=account,
                    role=grant_form.cleaned_data["role"],
                    organization=grant_form.cleaned_data["organization"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                _show_error(grant_form, error)
            else:
                messages.success(
                    request,
                    _("已授予“%(role)s”（%(organization)s）。")
                    % {"role": grant.get_role_display(), "organization": grant.organization},
                )
                return redirect("core:user_detail", pk=account.pk)
    elif action is not None:
        messages.error(request, _("未知的操作。"))

    grants = account.role_grants.select_related("organization").order_by(
        "organization__path", "role"
    )
    return render(
        request,
        "core/manage/user_detail.html",
        {
            "account": account,
            "person": person,
            "grants": grants,
            "update_form": update_form,
            "password_form": password_form,
            "grant_form": grant_form,
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_remove(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    require(request.user, "core.manage_users")
    account: User = get_visible_or_404(managed_users(request.user), pk=pk)
    grant: RoleGrant = get_visible_or_404(
        restrict(
            RoleGrant.objects.filter(user=account).select_related("organization", "user"),
            request.user,
            path_field="organization__path",
            capability=Capability.MANAGE_USERS,
        ),
        pk=grant_pk,
    )
    error = None
    if request.method == "POST":
        try:
            services.role_grant_remove(grant=grant, by=request.user)  # type: ignore[arg-type]
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("已移除“%(role)s”（%(organization)s）。")
                % {"role": grant.get_role_display(), "organization": grant.organization},
            )
            return redirect("core:user_detail", pk=account.pk)
    return render(
        request,
        "core/manage/grant_remove.html",
        {"account": account, "grant": grant, "error": error},
    )


@login_required
@require_GET
def person_options(request: HttpRequest) -> HttpResponse:
    """Suggestions for the person field: name, pinyin, initials or code."""
    require(request.user, "core.manage_users")
    query = request.GET.get("person", "").strip()[:50]
    people: list[Person] = []
    if query:
        condition = Q(code__startswith=query) | Q(name__contains=query)
        if is_pinyin_query(query):
            condition |= Q(name_pinyin__startswith=query.lower()) | Q(
                name_initials__startswith=query.lower()
            )
        people = list(managed_people(request.user).filter(condition).order_by("name_pinyin")[:20])
    return render(request, "core/manage/_person_options.html", {"people": people})


# ---------------------------------------------------------------------------------------------
# Audit log

AUDITED_LABELS = [label.lower().split(".") for label in AUDITED]
MAX_VALUE_LENGTH = 200


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class EntryView:
    entry: AuditEntry
    type_label: str
    action_label: str
    changes: list[Change] = field(default_factory=list)


def _audited_content_types() -> QuerySet[ContentType]:
    condition = Q(pk__in=[])
    for app_label, model in AUDITED_LABELS:
        condition |= Q(app_label=app_label, model=model)
    return ContentType.objects.filter(condition).order_by("app_label", "model")


def _aware_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_audit")
    tenant_id = scope_for(request.user).tenant_id
    if tenant_id is None:
        raise PermissionDenied(_("您的账号不属于任何教育系统。"))
    entries = AuditEntry.objects.filter(tenant_id=tenant_id)
    actors = User.objects.filter(
        tenant_id=tenant_id,
        pk__in=AuditEntry.objects.filter(tenant_id=tenant_id, actor__isnull=False).values(
            "actor_id"
        ),
    ).order_by("username")
    form = AuditFilterForm(request.GET, content_types=_audited_content_types(), actors=actors)
    if form.is_valid():
        data = form.cleaned_data
        if data["content_type"] is not None:
            entries = entries.filter(content_type=data["content_type"])
        if data["action"] is not None:
            entries = entries.filter(action=data["action"])
        if data["actor"] is not None:
            entries = entries.filter(actor=data["actor"])
        if data["date_from"]:
            entries = entries.filter(timestamp__gte=_aware_midnight(data["date_from"]))
        if data["date_to"]:
            next_day = data["date_to"] + datetime.timedelta(days=1)
            entries = entries.filter(timestamp__lt=_aware_midnight(next_day))
        if data["object_id"] is not None:
            entries = entries.filter(object_id=data["object_id"])
    else:
        entries = entries.none()
    # The full snapshot of each record is not shown and can be large; leave it in the database.
    entries = entries.select_related("actor", "content_type").defer("serialized_data")
    page = _page(request, entries.order_by("-timestamp", "-pk"))
    return render(
        request,
        "core/manage/audit.html",
        {
            "form": form,
            "page": page,
            "rows": _entry_views(list(page.object_list), tenant_id),
            "page_query": _query_without_page(request),
        },
    )


def _entry_views(entries: list[AuditEntry], tenant_id: int | None) -> list[EntryView]:
    references = _related_names(entries, tenant_id)
    views = []
    for entry in entries:
        model = entry.content_type.model_class()
        view = EntryView(
            entry=entry,
            type_label=str(model._meta.verbose_name) if model else entry.content_type.model,
            action_label=str(ACTION_LABELS.get(entry.action, entry.action)),
        )
        for name, values in (entry.changes_dict or {}).items():
            pair = [*values, None, None][:2] if isinstance(values, list) else [None, None]
            old, new = pair
            model_field = _field(model, name)
            view.changes.append(
                Change(
                    label=str(getattr(model_field, "verbose_name", name)),
                    old=_display(model_field, old, references),
                    new=_display(model_field, new, references),
                )
            )
        views.append(view)
    return views


def _field(model: type[Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation shares its name space with fields but has no label or choices of its own.
    return model_field if getattr(model_field, "concrete", False) else None


def _related_names(
    entries: list[AuditEntry], tenant_id: int | None
) -> dict[tuple[type[Model], str], str]:
    """The names of every record a foreign key on this page points to: one query per model."""
    wanted: dict[type[Model], set[str]] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            model_field = _field(model, name)
            if model_field is None or not model_field.is_relation or not model_field.concrete:
                continue
            for value in values if isinstance(values, list) else []:
                if value not in (None, "", "None"):
                    wanted.setdefault(model_field.related_model, set()).add(str(value))
    names: dict[tuple[type[Model], str], str] = {}
    for related, keys in wanted.items():
        pks = []
        for key in keys:
            try:
                pks.append(related._meta.pk.to_python(key))
            except Exception:  # noqa: BLE001  (an old or odd value is shown as it was stored)
                continue
        queryset = related._base_manager.filter(pk__in=pks)
        # Only this tenant's records are named; anything else stays a bare number.
        if related is Tenant:
            queryset = queryset.filter(pk=tenant_id)
        elif any(f.name == "tenant" for f in related._meta.concrete_fields):
            queryset = queryset.filter(tenant_id=tenant_id)
        for obj in queryset:
            names[(related, str(obj.pk))] = str(obj)
    return names


def _display(model_field: Any, value: Any, references: dict[tuple[type[Model], str], str]) -> str:
    if value is None or value == "" or value == "None":
        return "—"
    if isinstance(value, bool) or value in ("True", "False"):
        return _("是") if value in (True, "True") else _("否")
    if model_field is not None:
        if model_field.is_relation and model_field.concrete:
            return references.get((model_field.related_model, str(value)), f"#{value}")
        choices = dict(model_field.flatchoices) if model_field.choices else None
        if choices is not None and isinstance(value, str | int) and value in choices:
            return str(choices[value])
        if model_field.get_internal_type() == "DateTimeField" and isinstance(value, str):
            moment = parse_datetime(value)
            if moment is not None:
                if timezone.is_naive(moment):
                    moment = moment.replace(tzinfo=datetime.UTC)
                return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[:MAX_VALUE_LENGTH] + "…"


# ---------------------------------------------------------------------------------------------
# Personal access tokens


def _own_tokens(user: Any) -> QuerySet[AccessToken]:
    if getattr(user, "tenant_id", None) is None:
        raise PermissionDenied(_("您的账号不属于任何教育系统，不能使用访问令牌。"))
    return AccessToken.objects.filter(user=user, tenant_id=user.tenant_id)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    own = _own_tokens(request.user)
    form = AccessTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.access_token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            form = AccessTokenForm()
    response = render(
        request,
        "core/manage/tokens.html",
        {"form": form, "tokens": own.order_by("-created_at"), "new_key": new_key},
    )
    if new_key is not None:
        # The key is shown in this response only (no redirect: it would have to be stored
        # somewhere to survive it) and must not be kept by a browser or proxy cache.
        add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token: AccessToken = get_visible_or_404(_own_tokens(request.user), pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.access_token_revoke(token=token)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("令牌“%(name)s”已撤销，使用它的程序将无法再访问。") % {"name": token.name},
            )
            return redirect("core:tokens")
    return render(request, "core/manage/token_revoke.html", {"token": token, "error": error})
