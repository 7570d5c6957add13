from django.urls import path

from xianfeng.leadership import views

app_name = "leadership"

# Mounted at /campaigns/<int:campaign_pk>/leadership/.
urlpatterns = [
    path("", views.group, name="group"),
    path("setup/", views.group_setup, name="group_setup"),
    path("edit/", views.group_edit, name="group_edit"),
    path("roles/new/", views.role_add, name="role_add"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("subgroups/new/", views.working_group_add, name="working_group_add"),
    path("subgroups/<int:pk>/edit/", views.working_group_edit, name="working_group_edit"),
    path("subgroups/<int:pk>/delete/", views.working_group_delete, name="working_group_delete"),
    path(
        "subgroups/<int:pk>/members/",
        views.working_group_member_add,
        name="working_group_member_add",
    ),
    path(
        "subgroups/members/<int:pk>/delete/",
        views.working_group_member_remove,
        name="working_group_member_remove",
    ),
    path("plan/", views.plan, name="plan"),
    path("plan/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<slug:action>/", views.plan_action, name="plan_action"),
]
