from django.urls import path

from xianfeng.core import views_manage

app_name = "core"

urlpatterns = [
    path("users/", views_manage.users, name="users"),
    path("users/new/", views_manage.user_create, name="user_create"),
    path("users/people/", views_manage.person_options, name="person_options"),
    path("users/<int:pk>/", views_manage.user_detail, name="user_detail"),
    path(
        "users/<int:pk>/grants/<int:grant_pk>/remove/",
        views_manage.grant_remove,
        name="grant_remove",
    ),
    path("audit/", views_manage.audit, name="audit"),
    path("tokens/", views_manage.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_manage.token_revoke, name="token_revoke"),
]
