from django.apps import AppConfig


class FunctionalGroupsConfig(AppConfig):
    name = "xianfeng.functional_groups"
    label = "functional_groups"
    verbose_name = "功能党小组"

    def ready(self) -> None:
        from xianfeng.core.rules import add_perms
        from xianfeng.functional_groups.permissions import PERMISSIONS

        add_perms(PERMISSIONS)
