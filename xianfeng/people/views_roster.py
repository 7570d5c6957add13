"""花名册 pages: upload a roster, download the template, the error file and the export."""

import dataclasses
import io
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.core.access import get_visible_or_404, require
from xianfeng.organizations.models import Organization
from xianfeng.organizations.selectors import organization_visible
from xianfeng.people.forms import PersonFilterForm
from xianfeng.people.roster import (
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    ImportResult,
    roster_error_workbook,
    roster_export,
    roster_import,
    roster_template,
)
from xianfeng.people.selectors import person_list

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Errors shown on the page; the downloadable error file always has all of them.
SHOWN_ERRORS = 300
ERROR_FILE_TTL_SECONDS = 24 * 3600
_SESSION_KEY = "roster_error_files"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _error_file_dir() -> Path:
    # Outside MEDIA_ROOT on purpose: the annotated roster holds phone numbers and must never be
    # reachable by URL, only through the view that checks the session it belongs to.
    directory = Path(tempfile.gettempdir()) / "xianfeng-roster-errors"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def _forget_stale_error_files(directory: Path) -> None:
    cutoff = time.time() - ERROR_FILE_TTL_SECONDS
    for path in directory.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            continue


def _keep_error_file(request: HttpRequest, content: bytes) -> str:
    directory = _error_file_dir()
    _forget_stale_error_files(directory)
    token = secrets.token_hex(16)
    (directory / f"{token}.xlsx").write_bytes(content)
    tokens = [t for t in request.session.get(_SESSION_KEY, []) if _TOKEN.match(t)]
    request.session[_SESSION_KEY] = [*tokens[-4:], token]
    return token


def _xlsx_response(content: bytes, filename: str) -> FileResponse:
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "people.import_roster")
    context: dict[str, Any] = {"max_rows": MAX_ROWS, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    htmx = bool(getattr(request, "htmx", False))
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["form_error"] = _("请选择要导入的 Excel 文件（.xlsx）。")
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            context["form_error"] = _("文件超过 %(mb)d MB，请拆分后分批导入。") % {
                "mb": context["max_mb"]
            }
        else:
            tenant = getattr(request.user, "tenant", None)
            if tenant is None:
                raise PermissionDenied(_("您的账号不属于任何教育系统。"))
            result: ImportResult = roster_import(tenant=tenant, user=request.user, file=upload)
            if result.ok:
                message = _("导入完成：%(summary)s。") % {"summary": result.summary}
                if not htmx:
                    messages.success(request, message)
                    return redirect("roster:import")
                context["success"] = message
            else:
                context.update(
                    errors=result.errors[:SHOWN_ERRORS],
                    error_count=len(result.errors),
                    file_name=upload.name,
                )
                if result.has_row_errors:
                    content = roster_error_workbook(file=upload, errors=result.errors)
                    context["error_token"] = _keep_error_file(request, content)
    template = "people/roster_result.html" if htmx and request.method == "POST" else None
    return render(request, template or "people/roster_import.html", context)


@login_required
@require_GET
def error_file_view(request: HttpRequest, token: str) -> FileResponse:
    require(request.user, "people.import_roster")
    # Only the session that uploaded the file may fetch its annotated copy.
    if not _TOKEN.match(token) or token not in request.session.get(_SESSION_KEY, []):
        raise Http404(_("错误文件不存在或已过期，请重新上传。"))
    path = _error_file_dir() / f"{token}.xlsx"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise Http404(_("错误文件不存在或已过期，请重新上传。")) from None
    return _xlsx_response(content, "花名册导入错误.xlsx")


@login_required
@require_GET
def template_view(request: HttpRequest) -> FileResponse:
    require(request.user, "people.import_roster")
    return _xlsx_response(roster_template(), "花名册导入模板.xlsx")


@login_required
@require_GET
def export_view(request: HttpRequest) -> FileResponse:
    """The visible people as a roster, narrowed by the member list's filters when given."""
    require(request.user, "people.view_person")
    organizations = organization_visible(user=request.user)
    form = PersonFilterForm(request.GET, organizations=organizations)
    filters = form.filters()
    # The list silently ignores an organization it cannot show; a download must not quietly
    # widen to everything, so an organization given here has to be visible (else 404).
    organization: Organization | None = None
    given = request.GET.get("org") or request.GET.get("organization") or ""
    if given:
        if not given.isdigit():
            raise Http404(_("没有找到该组织。"))
        organization = get_visible_or_404(organizations, pk=int(given))
    filters = dataclasses.replace(filters, organization=organization)
    people = person_list(user=request.user, query=form.query(), filters=filters)
    content = roster_export(queryset=people, user=request.user)
    stamp = timezone.localdate().strftime("%Y%m%d")
    parts = [_("花名册"), organization.name if organization else "", stamp]
    return _xlsx_response(content, "-".join(p for p in parts if p) + ".xlsx")
