import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

EXPECTED_PATHS = {
    "/api/organizations": {"get", "post"},
    "/api/organizations/{organization_id}": {"get", "patch", "delete"},
    "/api/organizations/{organization_id}/move": {"post"},
    "/api/people": {"get", "post"},
    "/api/people/{person_id}": {"get", "put", "patch", "delete"},
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in {"src", "href"}]


def test_openapi_document_lists_every_endpoint(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["title"] == "先锋 API"
    for path, methods in EXPECTED_PATHS.items():
        assert set(document["paths"][path]) == methods, path
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_docs_page_loads_nothing_from_another_host(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    parser = _Links()
    parser.feed(html)
    assert parser.urls, "the page must load Swagger UI"
    for url in parser.urls:
        assert url.startswith("/") and not url.startswith("//"), url
    assert not re.search(r"https?://|//cdn", html)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in parser.urls
    assert "/static/vendor/swagger-ui/swagger-ui.css" in parser.urls


def test_docs_assets_are_served_from_this_site(db):
    html = Client().get("/api/docs").content.decode()
    parser = _Links()
    parser.feed(html)
    for url in parser.urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is missing; run `make assets`"


def test_docs_turn_off_the_online_validator(db):
    html = Client().get("/api/docs").content.decode()
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    assert settings_json is not None
    swagger_settings = json.loads(settings_json.group(1))
    assert swagger_settings["validatorUrl"] is None
    assert swagger_settings["url"] == "/api/openapi.json"


@pytest.mark.browser
def test_docs_render_in_a_real_browser_without_leaving_the_site(live_server):
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{live_server.url}/api/docs")
            page.wait_for_selector(".opblock-tag", timeout=15000)
            tags = page.locator(".opblock-tag").all_inner_texts()
            page.wait_for_load_state("networkidle")
        finally:
            browser.close()
    assert any("党组织" in tag for tag in tags)
    assert any("人员" in tag for tag in tags)
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert outside == []
    assert f"{live_server.url}/api/openapi.json" in requested
