from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "xianfeng.people"
    label = "people"
    verbose_name = "人员"
