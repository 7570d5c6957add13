"""The browsable API docs, served entirely from this site (no CDN: the schools run on intranets).

Swagger UI comes from the npm package swagger-ui-dist, copied to static/vendor/swagger-ui/ by
`make assets`; the start-up script is django-ninja's own static file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.template import engines
from ninja.openapi.docs import Swagger, _csrf_needed

if TYPE_CHECKING:
    from ninja import NinjaAPI

TEMPLATE_PATH = Path(__file__).parent / "templates" / "api" / "swagger.html"


@cache
def _template() -> Any:
    return engines["django"].from_string(TEMPLATE_PATH.read_text(encoding="utf-8"))


class LocalSwagger(Swagger):
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
        "validatorUrl": None,
        "persistAuthorization": True,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(swagger_settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return HttpResponse(_template().render(context, request))
