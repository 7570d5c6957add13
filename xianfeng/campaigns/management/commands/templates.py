import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xianfeng.campaigns.models import CampaignTemplate
from xianfeng.campaigns.template_services import TemplateRejected, template_import
from xianfeng.campaigns.templating.loader import validate_template_text
from xianfeng.core.errors import DomainError
from xianfeng.core.models import Tenant


class Command(BaseCommand):
    help = "活动模板：list 列出，export SLUG 导出 YAML，validate FILE 校验，import FILE 导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        listing = sub.add_parser("list", help="列出模板，每行一个，标识在前")
        listing.add_argument("--tenant", help="教育系统代号；不填时只列共享（内置）模板")
        export = sub.add_parser("export", help="把模板的 YAML 输出到标准输出")
        export.add_argument("slug")
        export.add_argument("--tenant", help="教育系统代号；不填时为共享（内置）模板")
        export.add_argument("--version", type=int, help="版本号，默认最新版")
        validate = sub.add_parser("validate", help="校验模板文件，有错误时列出并以状态 1 退出")
        validate.add_argument("file")
        imported = sub.add_parser("import", help="导入模板文件（同标识的模板存为新版本）")
        imported.add_argument("file")
        imported.add_argument("--tenant", help="教育系统代号；不填时导入为共享模板")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _tenant(self, slug: str | None) -> Tenant | None:
        if not slug:
            return None
        try:
            return Tenant.objects.get(slug=slug)
        except Tenant.DoesNotExist:
            raise CommandError(f"没有代号为“{slug}”的教育系统。") from None

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{name}") from None
        except UnicodeDecodeError:
            raise CommandError(f"文件不是 UTF-8 编码的文本：{name}") from None

    def _list(self, options: dict[str, Any]) -> None:
        tenant = self._tenant(options["tenant"])
        templates = CampaignTemplate.objects.filter(tenant=None)
        if tenant is not None:
            templates = CampaignTemplate.objects.filter(tenant=tenant) | templates
        for template in templates.order_by("slug"):
            latest = template.versions.order_by("-version").values_list("version", flat=True)
            kind = "内置" if template.is_builtin else ("共享" if template.is_shared else "本单位")
            self.stdout.write(f"{template.slug}\t{template.name}\t第 {latest.first()} 版\t{kind}")

    def _export(self, options: dict[str, Any]) -> None:
        tenant = self._tenant(options["tenant"])
        template = CampaignTemplate.objects.filter(tenant=tenant, slug=options["slug"]).first()
        if template is None:
            raise CommandError(f"没有标识为“{options['slug']}”的模板。")
        versions = template.versions.order_by("-version")
        if options["version"]:
            versions = versions.filter(version=options["version"])
        version = versions.first()
        if version is None:
            raise CommandError(f"模板“{template.slug}”没有第 {options['version']} 版。")
        self.stdout.write(
            version.yaml_text, ending="" if version.yaml_text.endswith("\n") else "\n"
        )

    def _validate(self, options: dict[str, Any]) -> None:
        issues = validate_template_text(self._read(options["file"]))
        if issues:
            for issue in issues:
                self.stderr.write(f"- {issue}")
            raise CommandError(f"模板有 {len(issues)} 处错误。")
        self.stdout.write(self.style.SUCCESS("模板有效。"))

    def _import(self, options: dict[str, Any]) -> None:
        tenant = self._tenant(options["tenant"])
        try:
            result = template_import(tenant=tenant, text=self._read(options["file"]), user=None)
        except TemplateRejected as error:
            for issue in error.issues:
                self.stderr.write(f"- {issue}")
            raise CommandError(error.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        template, version = result.template, result.version
        if result.created_template:
            message = f"已导入新模板 {template.slug}（{template.name}）第 {version.version} 版。"
        elif result.created_version:
            message = f"已把 {template.slug} 存为第 {version.version} 版。"
        else:
            message = f"{template.slug} 与第 {version.version} 版相同，未做任何修改。"
        self.stdout.write(self.style.SUCCESS(message))
