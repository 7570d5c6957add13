"""Helpers for API tests: personal access tokens and JSON clients acting as a named user."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from xianfeng.core.models import AccessToken, User


def make_token(user: User, *, name: str = "测试脚本") -> tuple[str, AccessToken]:
    key = AccessToken.new_key()
    token = AccessToken.objects.create(
        tenant_id=user.tenant_id,
        user=user,
        name=name,
        prefix=key[:8],
        key_hash=AccessToken.hash_key(key),
    )
    return key, token


class ApiClient:
    """A test client that sends and reads JSON, signed in by a token or a session."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = headers or {}

    def _send(self, method: str, path: str, data: Any = None, **kwargs: Any) -> Any:
        call = getattr(self.client, method)
        if method in {"get", "delete"} and data is None:
            return call(path, headers=self.headers, **kwargs)
        if method == "get":
            return call(path, data, headers=self.headers, **kwargs)
        return call(
            path,
            json.dumps(data, ensure_ascii=False),
            content_type="application/json",
            headers=self.headers,
            **kwargs,
        )

    def get(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self._send("get", path, data, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self._send("post", path, data if data is not None else {}, **kwargs)

    def put(self, path: str, data: Any, **kwargs: Any) -> Any:
        return self._send("put", path, data, **kwargs)

    def patch(self, path: str, data: Any, **kwargs: Any) -> Any:
        return self._send("patch", path, data, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self._send("delete", path, **kwargs)


@pytest.fixture
def api_as(db) -> Callable[[User], ApiClient]:
    """api_as(user): a JSON client authenticated with a fresh personal access token of the user."""

    def build(user: User) -> ApiClient:
        key, _ = make_token(user)
        return ApiClient(Client(), {"Authorization": f"Bearer {key}"})

    return build
