"""Who is calling: the browser's session, or a script's personal access token.

A token acts as its owner: `request.user` becomes the owner, so the role grants, the access helpers
and the audit log see the same user as they would for a signed-in browser.
"""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.context import auditlog_value
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from xianfeng.api.errors import ApiError
from xianfeng.core.models import AccessToken, User

TOKEN_PREFIX = "xf_"
# A script may call many times a second; the last-use time only needs minute precision.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _act_as(request: HttpRequest, user: User) -> None:
    request.user = user
    # The audit middleware picked its actor before the API knew the token's owner; its context is
    # a dict held for the whole request, so naming the owner here attributes this request's changes.
    try:
        auditlog_value.get()["actor"] = user
    except LookupError:
        pass


class TokenAuth(HttpBearer):
    """`Authorization: Bearer xf_…`: a personal access token of an active account."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token.startswith(TOKEN_PREFIX):
            return None
        try:
            access_token = AccessToken.objects.select_related("user").get(
                key_hash=AccessToken.hash_key(token), revoked_at__isnull=True
            )
        except AccessToken.DoesNotExist:
            return None
        user = access_token.user
        if not user.is_active or user.tenant_id != access_token.tenant_id:
            return None
        now = timezone.now()
        last_used = access_token.last_used_at
        if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
            # update() rather than save(): no audit entry and no signal for a bookkeeping field.
            AccessToken.objects.filter(pk=access_token.pk).update(last_used_at=now)
        _act_as(request, user)
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods must carry the CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check waits until a session is known to exist: a request with no credentials at
        # all is then a plain 401, not a confusing CSRF failure.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise ApiError(403, "CSRF 校验失败，请刷新页面后重试。")
        return user


# A token, when sent, is tried first: a script never depends on a browser cookie it happens to have.
api_auth = [TokenAuth(), SessionAuth(csrf=True)]
