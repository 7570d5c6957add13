from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xianfeng.campaigns"
    label = "campaigns"
    verbose_name = "主题活动"

    def ready(self) -> None:
        # The app's permissions live in permissions.py: rules.py would clash with the rules
        # engine's package, xianfeng/campaigns/rules/.
        from xianfeng.campaigns.permissions import PERMISSIONS
        from xianfeng.core.rules import add_perms

        add_perms(PERMISSIONS)
