"""Template helpers shared by every page: optional links, masked phone numbers."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from xianfeng.lib.text import mask_phone

register = template.Library()


@register.simple_tag
def optional_url(url_name: str, *args: Any) -> str:
    """The URL, or "" while the page it names is not installed (so a link can be left out)."""
    try:
        return reverse(url_name, args=args or None)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def phone_for(context: template.Context, person: Any) -> str:
    """The phone number in full for those allowed to see it, masked for everybody else."""
    phone = getattr(person, "phone", "") or ""
    if not phone:
        return ""
    user = context.get("user")
    if user is not None and user.has_perm("people.view_phone", person):
        return phone
    return mask_phone(phone)
