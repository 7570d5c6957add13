from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xianfeng.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from xianfeng.core import audit

        audit.register_models()
