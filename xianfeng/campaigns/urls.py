from django.urls import path

from xianfeng.campaigns import views, views_templates

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create_view, name="create"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/status/<slug:action>/", views.campaign_status, name="status"),
    path("<int:pk>/circulars/new/", views.circular_create, name="circular_create"),
    path("<int:pk>/reminders/new/", views.reminder_create, name="reminder_create"),
    path("reminders/<int:pk>/reply/", views.reminder_reply_view, name="reminder_reply"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/complete/", views.item_complete, name="item_complete"),
    path("items/<int:pk>/reopen/", views.item_reopen_view, name="item_reopen"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("templates/", views_templates.templates, name="templates"),
    path("templates/import/", views_templates.template_import_view, name="template_import"),
    path("templates/<int:pk>/", views_templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/copy/", views_templates.template_copy_view, name="template_copy"),
    path("templates/<int:pk>/edit/", views_templates.template_edit, name="template_edit"),
    path(
        "templates/<int:pk>/phases/<slug:slug>/",
        views_templates.template_phase_edit,
        name="template_phase_edit",
    ),
    path(
        "templates/<int:pk>/tasks/<slug:slug>/",
        views_templates.template_task_edit,
        name="template_task_edit",
    ),
    path(
        "templates/<int:pk>/standards/<slug:set_slug>/<slug:slug>/",
        views_templates.template_criterion_edit,
        name="template_criterion_edit",
    ),
    path("templates/<int:pk>/export/", views_templates.template_export, name="template_export"),
]
