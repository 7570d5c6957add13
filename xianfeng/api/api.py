"""The one NinjaAPI of the site, mounted at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs).

Every endpoint needs a signed-in browser session (with CSRF on unsafe methods) or a personal access
token (`Authorization: Bearer xf_…`), fetches objects only through xianfeng.core.access and writes
only through services, so the API allows exactly what the pages allow. Errors are JSON with a
Chinese `detail` (see xianfeng/api/errors.py).

An app adds its endpoints in two lines. In xianfeng/<app>/api.py it defines
`router = Router(tags=["<中文名>"])` with its operations (paths relative to the prefix: "",
"/{id}", …), and here:

    from xianfeng.<app>.api import router as <app>_router
    api.add_router("/<app>", <app>_router)
"""

from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from xianfeng.api.auth import api_auth
from xianfeng.api.docs import LocalSwagger
from xianfeng.api.errors import register_error_handlers
from xianfeng.campaigns.api import router as campaigns_router
from xianfeng.functional_groups.api import router as functional_groups_router
from xianfeng.leadership.api import router as leadership_router
from xianfeng.organizations.api import router as organizations_router
from xianfeng.people.api import router as people_router


class ReadableJSONRenderer(JSONRenderer):
    # Chinese stays readable in curl output and logs; the body is UTF-8 either way.
    json_dumps_params: dict[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="先锋 API",
    version="1.0",
    description=(
        "先锋平台的 HTTP 接口。浏览器登录后可直接调用（修改类请求需带 CSRF 令牌）；"
        "脚本请在请求头中携带个人访问令牌：`Authorization: Bearer xf_…`。"
        "权限与网页完全一致；错误以 JSON 返回，`detail` 为中文说明。"
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs=LocalSwagger(),
    docs_url="/docs",
    auth=api_auth,
    renderer=ReadableJSONRenderer(),
)
register_error_handlers(api)

api.add_router("/organizations", organizations_router)
api.add_router("/people", people_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/leadership", leadership_router)
api.add_router("/functional-groups", functional_groups_router)
