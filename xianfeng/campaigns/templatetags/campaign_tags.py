"""Status words and traffic-light classes computed against today's date."""

import datetime
from typing import Any

from django import template

from xianfeng.campaigns.models import Rag

register = template.Library()

RAG_BADGES = {Rag.RED: "red", Rag.AMBER: "gold", Rag.GREEN: "green"}


@register.filter
def item_rag(item: Any, today: datetime.date) -> str:
    return RAG_BADGES[item.rag(today)]


@register.filter
def item_status(item: Any, today: datetime.date) -> str:
    return item.status_label(today)


@register.filter
def reminder_status(reminder: Any, today: datetime.date) -> str:
    return reminder.status_label(today)


@register.filter
def reminder_badge(reminder: Any, today: datetime.date) -> str:
    if reminder.is_overdue(today):
        return "red"
    return "green" if reminder.status == "replied" else "gold"


@register.filter
def progress_badge(progress: Any) -> str:
    return RAG_BADGES[Rag(progress.rag)]


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
