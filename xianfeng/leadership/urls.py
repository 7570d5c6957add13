from django.urls import path

from xianfeng.leadership import views

app_name = "leadership"

# Included at /campaigns/ beside the campaign pages. The campaign is part of each pattern (not of
# the include) so that every pattern names all the parameters it takes.
CAMPAIGN = "<int:campaign_pk>/leadership/"

urlpatterns = [
    path(CAMPAIGN, views.group, name="group"),
    path(f"{CAMPAIGN}setup/", views.group_setup, name="group_setup"),
    path(f"{CAMPAIGN}edit/", views.group_edit, name="group_edit"),
    path(f"{CAMPAIGN}roles/new/", views.role_add, name="role_add"),
    path(f"{CAMPAIGN}roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path(f"{CAMPAIGN}roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path(f"{CAMPAIGN}subgroups/new/", views.working_group_add, name="working_group_add"),
    path(
        f"{CAMPAIGN}subgroups/<int:pk>/edit/",
        views.working_group_edit,
        name="working_group_edit",
    ),
    path(
        f"{CAMPAIGN}subgroups/<int:pk>/delete/",
        views.working_group_delete,
        name="working_group_delete",
    ),
    path(
        f"{CAMPAIGN}subgroups/<int:pk>/members/",
        views.working_group_member_add,
        name="working_group_member_add",
    ),
    path(
        f"{CAMPAIGN}subgroups/members/<int:pk>/delete/",
        views.working_group_member_remove,
        name="working_group_member_remove",
    ),
    path(f"{CAMPAIGN}plan/", views.plan, name="plan"),
    path(f"{CAMPAIGN}plan/edit/", views.plan_edit, name="plan_edit"),
    path(f"{CAMPAIGN}plan/<slug:action>/", views.plan_action, name="plan_action"),
]
