"""The campaign pages follow the language switch: Chinese by default, English when chosen."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from xianfeng.campaigns.models import Campaign
from xianfeng.campaigns.tests.helpers import make_campaign
from xianfeng.core.models import Role
from xianfeng.testing import School


def _heading(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    assert match is not None
    return match.group(1).strip()


@pytest.fixture
def secretary(school: School, client: Client) -> Client:
    make_campaign(school, name="春季活动")
    client.force_login(school.users[Role.SECRETARY])
    return client


def test_without_a_choice_the_pages_are_chinese(secretary: Client) -> None:
    assert _heading(secretary, reverse("campaigns:list")) == "主题活动"
    assert _heading(secretary, reverse("campaigns:templates")) == "活动模板"
    page = secretary.get(reverse("campaigns:list")).content.decode()
    assert "开展新活动" in page and "活动名称" in page and "Campaigns" not in page


def test_the_english_cookie_turns_the_pages_english(secretary: Client) -> None:
    secretary.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _heading(secretary, reverse("campaigns:list")) == "Campaigns"
    assert _heading(secretary, reverse("campaigns:templates")) == "Campaign templates"

    page = secretary.get(reverse("campaigns:list")).content.decode()
    assert "Start a campaign" in page and "Campaign name" in page
    # Names the users gave stay as they were written.
    assert "春季活动" in page
    assert "开展新活动" not in page and "活动名称" not in page
    templates = secretary.get(reverse("campaigns:templates")).content.decode()
    assert "Latest version" in templates and "Import a template file" in templates
    assert "最新版本" not in templates


def test_the_footer_switch_sets_english_and_back(secretary: Client) -> None:
    list_url = reverse("campaigns:list")
    switched = secretary.post(reverse("set_language"), {"language": "en", "next": list_url})
    assert switched.status_code == 302 and switched["Location"] == list_url
    assert _heading(secretary, list_url) == "Campaigns"

    secretary.post(reverse("set_language"), {"language": "zh-hans", "next": list_url})
    assert _heading(secretary, list_url) == "主题活动"


def test_view_messages_follow_the_language(secretary: Client) -> None:
    secretary.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    campaign = Campaign.objects.get()
    response = secretary.post(
        reverse("campaigns:circular_create", args=[campaign.pk]),
        {"title": "第一期通报", "body": "各支部按时完成。"},
        follow=True,
    )
    page = response.content.decode()
    assert "Bulletin published." in page and "第一期通报" in page
    form = secretary.get(reverse("campaigns:create")).content.decode()
    assert "Campaign template" in form and "Publish now" in form
