from typing import Any

from django.core.management.base import BaseCommand

from xianfeng.campaigns.template_services import builtin_templates_load


class Command(BaseCommand):
    help = (
        "载入内置活动模板（xianfeng/campaigns/builtin_templates/*.yaml）。可重复运行："
        "新文件建模板，改过的文件存为新版本，未改的不做任何修改。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        labels = {"created": "新建", "updated": "新版本", "unchanged": "未改变"}
        failed = 0
        for outcome in builtin_templates_load():
            if outcome.action == "invalid":
                failed += 1
                self.stderr.write(f"{outcome.file}：有错误，未载入")
                for issue in outcome.issues:
                    self.stderr.write(f"  - {issue}")
                continue
            self.stdout.write(
                f"{outcome.file}：{labels[outcome.action]}（{outcome.slug} 第 {outcome.version} 版）"
            )
        if failed:
            self.stderr.write(self.style.WARNING(f"{failed} 个内置模板文件有错误，已跳过。"))
