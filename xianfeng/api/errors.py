"""Every API error is JSON with a Chinese `detail`, whatever raised it.

401 {"detail": "请先登录或提供有效的访问令牌。"}
403 {"detail": "您没有执行此操作的权限。"}
404 {"detail": "没有找到该记录，或您无权查看。"}
400 {"detail": <DomainError message>, "field": <field or null>}
422 {"detail": "请求数据有误。", "errors": [{"field": "name", "message": "此项必填。"}]}
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xianfeng.core.errors import DomainError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("django.request")

UNAUTHENTICATED = "请先登录或提供有效的访问令牌。"
FORBIDDEN = "您没有执行此操作的权限。"
NOT_FOUND = "没有找到该记录，或您无权查看。"
INVALID = "请求数据有误。"
SERVER_ERROR = "服务器内部错误，请稍后再试。"

# Errors ninja raises itself carry English text; the status code is enough to say it in Chinese.
STATUS_MESSAGES = {
    400: "请求内容无法解析，请发送合法的 JSON。",
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: "不支持该请求方法。",
    429: "请求过于频繁，请稍后再试。",
}


class ApiError(HttpError):
    """An HTTP error whose message is already Chinese and is shown as it is."""


class ErrorOut(Schema):
    detail: str


class DomainErrorOut(Schema):
    detail: str
    field: str | None = None


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


# The error responses every authenticated endpoint may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int, Any] = {
    400: DomainErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


@contextmanager
def renamed_fields(**mapping: str) -> Iterator[None]:
    """Report a service's field under the name the API request used (parent → parent_id)."""
    try:
        yield
    except DomainError as error:
        if error.field in mapping:
            error.field = mapping[error.field]
        raise


def _constraint(ctx: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in ctx:
            return ctx[name]
    return ""


def translate_error(error: dict[str, Any]) -> str:
    """One pydantic error, in Chinese."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "此项必填。"
    if kind in {"string_type", "string_unicode"}:
        return "应为文本。"
    if kind == "string_too_long":
        return f"不能超过 {_constraint(ctx, 'max_length')} 个字符。"
    if kind == "string_too_short":
        return f"至少需要 {_constraint(ctx, 'min_length')} 个字符。"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "应为整数。"
    if kind in {"float_type", "float_parsing", "decimal_type", "decimal_parsing"}:
        return "应为数字。"
    if kind in {"bool_type", "bool_parsing"}:
        return "应为 true 或 false。"
    if kind.startswith("datetime"):
        return "时间格式应为 ISO 8601，如 2026-03-01T08:00:00+08:00。"
    if kind.startswith("date"):
        return "日期格式应为 YYYY-MM-DD。"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不能小于 {_constraint(ctx, 'ge', 'gt')}。"
    if kind in {"less_than_equal", "less_than"}:
        return f"不能大于 {_constraint(ctx, 'le', 'lt')}。"
    if kind in {"enum", "literal_error"}:
        return f"取值无效，可选值：{_constraint(ctx, 'expected')}。"
    if kind == "extra_forbidden":
        return "不支持此字段。"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "格式有误，应为 JSON 对象。"
    if kind in {"list_type", "tuple_type", "set_type"}:
        return "格式有误，应为列表。"
    if kind == "json_invalid":
        return "JSON 格式有误。"
    return "取值无效。"


def error_field(loc: tuple[Any, ...] | list[Any]) -> str:
    """The request field an error is about: ("body", "payload", "name") → "name"."""
    parts = list(loc)
    if parts and parts[0] == "body":
        # The second part is the handler's parameter name, which a client never sees.
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


def _json(api: NinjaAPI, request: HttpRequest, status: int, **data: Any) -> HttpResponse:
    return api.create_response(request, data, status=status)


def register_error_handlers(api: NinjaAPI) -> None:
    def on_authentication(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = _json(api, request, 401, detail=UNAUTHENTICATED)
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(api, request, 403, detail=FORBIDDEN)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(api, request, 404, detail=NOT_FOUND)

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _json(api, request, 400, detail=exc.message, field=exc.field)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": error_field(error.get("loc", ())), "message": translate_error(error)}
            for error in exc.errors
        ]
        return _json(api, request, 422, detail=INVALID, errors=errors)

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _json(api, request, exc.status_code, detail=exc.message)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = STATUS_MESSAGES.get(exc.status_code, "请求失败。")
        return _json(api, request, exc.status_code, detail=detail)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if settings.DEBUG:
            raise exc
        # What Django's own 500 handling would do, but the client still gets JSON.
        got_request_exception.send(sender=None, request=request)
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"request": request}
        )
        return _json(api, request, 500, detail=SERVER_ERROR)

    handlers: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
        AuthenticationError: on_authentication,
        PermissionDenied: on_permission_denied,
        Http404: on_not_found,
        DomainError: on_domain_error,
        ValidationError: on_validation_error,
        ApiError: on_api_error,
        HttpError: on_http_error,
        Exception: on_unexpected,
    }
    for exception_class, handler in handlers.items():
        api.add_exception_handler(exception_class, handler)
