from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "xianfeng.leadership"
    label = "leadership"
    verbose_name = "领导小组与实施方案"

    def ready(self) -> None:
        from xianfeng.core.rules import add_perms
        from xianfeng.leadership.permissions import PERMISSIONS

        add_perms(PERMISSIONS)
