from django.contrib.auth import views as auth_views
from django.urls import include, path

from xianfeng.api.api import api
from xianfeng.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organizations/", include("xianfeng.organizations.urls")),
    path("people/roster/", include("xianfeng.people.urls_roster")),
    path("people/", include("xianfeng.people.urls")),
    path("manage/", include("xianfeng.core.urls")),
    path("api/", api.urls),
    path("campaigns/", include("xianfeng.campaigns.urls")),
    path("campaigns/", include("xianfeng.leadership.urls")),
    path("functional-groups/", include("xianfeng.functional_groups.urls")),
]
