from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xianfeng.campaigns"
    label = "campaigns"
    verbose_name = "主题活动"
