"""Every URL × every role × our tenant or another, plus anonymous, generated from the URL configuration.

The URL list comes from walking the resolver (django-ninja's API routes included, one case per
HTTP method), so a new page or endpoint is covered the moment it exists: without a rule in
permission_table.py it fails. Expected answers:

- anonymous: a page redirects to the login form, the API answers 401;
- a role the rule allows: 200 (a POST to a page redirects, 302);
- a role for which the object lies outside its subtree (`hidden`): 404; any other role: 403;
- another tenant's object: 404 for every role that could reach the feature (a role refused the
  feature outright may be refused with 403 before any object is looked up);
- a list without an object in its URL, fetched in a system where another tenant also has data:
  that tenant's name and codes appear nowhere in the answer.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja.operation import PathView
from openpyxl import load_workbook

from xianfeng.core.models import Role
from xianfeng.core.tests.permission_table import TABLE, Exempt, Rule, prepare
from xianfeng.people.roster import XLSX_CONTENT_TYPE
from xianfeng.testing import School, build_school

API_REFUSED = {400, 403, 404, 409, 422}


@dataclass(frozen=True)
class Route:
    """One named URL pattern: its reversible name, its route, and for the API its HTTP methods."""

    name: str
    route: str
    params: tuple[str, ...]
    api_methods: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return bool(self.api_methods)


def _ninja_methods(pattern: URLPattern) -> tuple[str, ...]:
    """The HTTP methods of the ninja operation behind a pattern (each operation has its own name)."""
    for cell in getattr(pattern.callback, "__closure__", None) or ():
        view = cell.cell_contents
        if isinstance(view, PathView):
            for operation in view.operations:
                name = getattr(operation, "url_name", None) or operation.view_func.__name__
                if name == pattern.name:
                    return tuple(sorted(operation.methods))
            return tuple(sorted({m for op in view.operations for m in op.methods}))
    return ()


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
            continue
        # An unnamed pattern cannot be reversed; it is listed under its route so it still needs a rule.
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
        yield Route(
            name=name or f"/{route}",
            route=f"/{route}",
            params=tuple(pattern.pattern.regex.groupindex),
            api_methods=_ninja_methods(pattern),
        )


def discover_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        seen.setdefault(route.name, route)
    return list(seen.values())


ROUTES = discover_routes()


@dataclass(frozen=True)
class Case:
    route: Route
    rule: Rule
    method: str
    role: str | None  # None: anonymous
    tenant: str  # "own" or "other"

    @property
    def id(self) -> str:
        who = self.role or "anonymous"
        return f"{self.route.name}-{self.method}-{who}" + (
            "-other" if self.tenant == "other" else ""
        )


def _methods(route: Route, rule: Rule) -> tuple[str, ...]:
    return route.api_methods or rule.methods


def _cases() -> Iterator[Case]:
    for route in ROUTES:
        rule = TABLE.get(route.name)
        if not isinstance(rule, Rule):
            continue
        for method in _methods(route, rule):
            yield Case(route, rule, method, None, "own")
            for role in Role.values:
                writes = method != "GET"
                if not (writes and role in rule.allowed and rule.data is None):
                    yield Case(route, rule, method, role, "own")
                if rule.kwargs is not None or not writes or (rule.data and rule.tenant_data):
                    yield Case(route, rule, method, role, "other")


CASES = list(_cases())


# ----- the table covers the URL configuration exactly ------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_url_has_a_permission_rule(route: Route) -> None:
    if route.name not in TABLE:
        pytest.fail(f"URL '{route.name}' has no permission rule in permission_table.py")
    rule = TABLE[route.name]
    if isinstance(rule, Rule):
        overlap = rule.allowed & rule.hidden
        assert not overlap, f"URL '{route.name}': {overlap} both allowed and hidden"
        assert route.params or rule.kwargs is None, f"URL '{route.name}' takes no parameters"
        # Without a valid body the API answers 422 before it looks at permissions at all.
        writes = [m for m in route.api_methods if m != "GET"]
        assert not writes or rule.data is not None, f"API '{route.name}' needs `data` in its rule"


def test_table_has_no_rule_for_a_url_that_is_gone() -> None:
    names = {route.name for route in ROUTES}
    stale = sorted(set(TABLE) - names)
    assert not stale, f"permission_table.py has rules for URLs that no longer exist: {stale}"


def test_the_matrix_covers_every_role_and_the_api() -> None:
    assert {case.role for case in CASES} >= set(Role.values)
    assert any(case.route.is_api for case in CASES), "the API's routes were not discovered"


# ----- the matrix -------------------------------------------------------------------------------


def _request(client: Client, case: Case, url: str, data: dict[str, Any] | None) -> Any:
    if case.method == "GET":
        return client.get(url)
    if case.route.is_api:
        return client.generic(
            case.method, url, json.dumps(data or {}), content_type="application/json"
        )
    return client.post(url, data or {})


def _text(response: Any) -> str:
    """What a person would read in the answer: the page, the decoded JSON, or every sheet's cells."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/json"):
        # JSON escapes Chinese as \uXXXX; compare against the decoded text.
        return json.dumps(json.loads(body), ensure_ascii=False)
    if content_type == XLSX_CONTENT_TYPE:
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return body.decode(errors="replace")


def _success(case: Case, status: int) -> bool:
    if case.rule.success:
        return status in case.rule.success
    if case.route.is_api:
        return status in ({200} if case.method == "GET" else {200, 201, 204})
    return status == (200 if case.method == "GET" else 302)


@pytest.fixture(scope="module")
def schools(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[School, School]]:
    """Our school system and another tenant's, built once for the whole matrix.

    Building them for each of several hundred cases would dominate the run. They live in a
    transaction around the module; each test's own transaction is a savepoint inside it, so what a
    case writes is undone before the next, and everything is undone at the end of the module.
    """
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media),
    ):
        schools = build_school(), build_school(slug="district-b", name="乙区教育系统")
        for school in schools:
            prepare(school)
        yield schools
        transaction.set_rollback(True)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_permission(case: Case, schools: tuple[School, School], db: None, client: Client) -> None:
    school, other_school = schools
    rule = case.rule
    target = other_school if case.tenant == "other" else school
    kwargs = rule.kwargs(target) if rule.kwargs else {}
    missing = set(case.route.params) - set(kwargs)
    assert not missing, f"the rule of '{case.route.name}' must build the URL parameters {missing}"
    url = reverse(case.route.name, kwargs=kwargs)
    data = rule.data(target) if rule.data else None

    if case.role is None:
        response = _request(client, case, url, data)
        if case.route.is_api:
            assert response.status_code == 401, f"{url}: anonymous got {response.status_code}"
        else:
            assert response.status_code == 302, f"{url}: anonymous got {response.status_code}"
            assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        return

    client.force_login(school.users[case.role])
    response = _request(client, case, url, data)
    status = response.status_code
    allowed = case.role in rule.allowed
    where = f"{case.method} {url} as {case.role} ({case.tenant} tenant)"

    if case.tenant == "other":
        if rule.kwargs is not None:
            if allowed or case.role in rule.hidden:
                assert status == 404, f"{where}: another tenant's object gave {status}, not 404"
            else:
                assert status in (403, 404), f"{where}: another tenant's object gave {status}"
        elif case.method != "GET":
            # Data that names another tenant's objects is refused, never saved.
            refused = API_REFUSED if case.route.is_api else {200, 403, 404}
            assert status in refused, f"{where}: data of another tenant gave {status}"
        else:
            expected_ok = allowed
            assert _success(case, status) == expected_ok, f"{where}: got {status}"
            if expected_ok:
                text = _text(response)
                assert other_school.tenant.name not in text, f"{where} shows another tenant"
                assert other_school.member.code not in text, f"{where} shows another tenant"
        return

    if allowed:
        assert _success(case, status), f"{where}: allowed, but got {status}"
    elif case.role in rule.hidden:
        expected = rule.hidden_status
        assert status == expected, (
            f"{where}: outside the subtree, expected {expected}, got {status}"
        )
    else:
        assert status == 403, f"{where}: forbidden, expected 403, got {status}"


# ----- the URLs that are deliberately public ------------------------------------------------------

EXEMPT = [
    (route, TABLE[route.name]) for route in ROUTES if isinstance(TABLE.get(route.name), Exempt)
]


@pytest.mark.parametrize("route, exempt", EXEMPT, ids=[r.name for r, _ in EXEMPT])
def test_exempt_url_answers_without_login(
    route: Route, exempt: Exempt, db: None, client: Client
) -> None:
    url = reverse(route.name, kwargs=exempt.kwargs)
    response = client.generic(exempt.method, url)
    assert response.status_code == exempt.anonymous_status, (
        f"{exempt.method} {url} ({exempt.reason}) gave {response.status_code}"
    )
