from collections.abc import Callable

import pytest

from xianfeng.api.tests.conftest import ApiClient, make_token
from xianfeng.core.models import User


@pytest.fixture
def api_as(db) -> Callable[[User], ApiClient]:
    """api_as(user): a JSON client authenticated with a personal access token of the user."""
    from django.test import Client

    def build(user: User) -> ApiClient:
        key, _ = make_token(user)
        return ApiClient(Client(), {"Authorization": f"Bearer {key}"})

    return build
