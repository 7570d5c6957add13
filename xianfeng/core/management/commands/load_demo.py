from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xianfeng.campaigns.template_services import builtin_templates_load
from xianfeng.core.errors import DomainError
from xianfeng.demo.campaign import demo_campaign_load
from xianfeng.demo.demo import DEMO_TENANT_NAME, demo_load


class Command(BaseCommand):
    help = "加载示范数据：示范区教育系统（三所学校、各类人员、每个角色一个账号）。可重复运行，已存在时不做任何修改。"

    def handle(self, *args: Any, **options: Any) -> None:
        builtin_templates_load()
        try:
            summary = demo_load()
        except DomainError as error:
            raise CommandError(error.message) from error
        if summary is None:
            self.stdout.write(f"示范数据已存在（{DEMO_TENANT_NAME}），未做任何修改。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建示范数据“{summary.tenant.name}”：{summary.organizations} 个党组织，"
                f"{summary.people} 人（其中党员 {summary.party_members} 名），"
                f"{summary.accounts} 个示范账号。"
            )
        )
        campaign = demo_campaign_load(tenant=summary.tenant)
        self.stdout.write(
            f"已开展示范活动“{campaign.name}”：{campaign.items.count()} 项工作清单，"
            f"其中 {campaign.items.filter(status='done').count()} 项已完成。"
        )
