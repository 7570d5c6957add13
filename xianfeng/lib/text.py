"""Chinese text helpers: pinyin for sorting and searching names, masking of phone numbers."""

import re

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> str:
    """Full pinyin without tones, lower case, no spaces: 张三 → zhangsan."""
    return "".join(lazy_pinyin(name, errors="default")).lower().replace(" ", "")


def name_initials(name: str) -> str:
    """Pinyin initials: 张三 → zs. Latin letters keep their first letter."""
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()


_LATIN = re.compile(r"^[a-z]+$")


def is_pinyin_query(query: str) -> bool:
    return bool(_LATIN.match(query.strip().lower()))


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not enough to call it."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
