from django.apps import AppConfig


class FunctionalGroupsConfig(AppConfig):
    name = "xianfeng.functional_groups"
    label = "functional_groups"
    verbose_name = "功能党小组"

    def ready(self) -> None:
        from xianfeng.functional_groups.permissions import register

        register()
