import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from xianfeng.browser_tests.conftest import log_in
from xianfeng.core.models import Role
from xianfeng.testing import School

pytestmark = pytest.mark.browser

LOGIN_URL = re.compile(r"/accounts/login/")


def test_secretary_signs_in_and_lands_on_the_home_page(page: Page, school: School) -> None:
    secretary = school.users[Role.SECRETARY]
    page.goto("/")
    # Not signed in yet: the home page sends the visitor to the login form.
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("先锋 · 党建活动平台")

    log_in(page, secretary.username)

    assert urlsplit(page.url).path == "/"
    expect(page).to_have_title(re.compile(r"^首页"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"您好，{secretary}")
    expect(page.get_by_role("main")).to_contain_text(Role.SECRETARY.label)


def test_a_wrong_password_is_refused_in_chinese(page: Page, school: School) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(school.users[Role.SECRETARY].username)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.locator(".errorlist")).to_contain_text("用户名")


def test_the_home_page_loads_nothing_from_another_host(
    page: Page, school: School, live_server: object
) -> None:
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    page.on("request", record)
    log_in(page, school.users[Role.SECRETARY].username)
    page.goto("/")
    page.wait_for_load_state("networkidle")

    own = urlsplit(str(live_server.url)).netloc  # type: ignore[attr-defined]
    network = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    assert any(urlsplit(url).path.startswith("/static/") for url in network), requested
    foreign = [url for url in network if urlsplit(url).netloc != own]
    assert not foreign, f"首页从其他主机加载了资源：{foreign}"
