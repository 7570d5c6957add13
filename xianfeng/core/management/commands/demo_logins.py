import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from xianfeng.core.models import Role
from xianfeng.demo.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_exists


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "列出示范账号：角色、用户名、密码以及各自能看到的内容。"

    def handle(self, *args: Any, **options: Any) -> None:
        header = ("角色", "用户名", "密码", "管辖组织", "能看到什么")
        rows = [
            (Role(a.role).label, a.username, DEMO_PASSWORD, a.scope, a.sees) for a in DEMO_ACCOUNTS
        ]
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]

        def line(row: tuple[str, ...]) -> str:
            cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
            return "  ".join([*cells, row[-1]])

        self.stdout.write("示范账号（所有账号密码相同）：")
        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * _width(header[-1]))
        for row in rows:
            self.stdout.write(line(row))
        if not demo_exists():
            self.stdout.write(
                self.style.WARNING(
                    "示范数据尚未加载，请先运行 manage.py load_demo（或 make demo）。"
                )
            )
