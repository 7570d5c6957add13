from django.urls import path

from xianfeng.people import views_roster

app_name = "roster"

urlpatterns = [
    path("import/", views_roster.import_view, name="import"),
    path("import/errors/<str:token>/", views_roster.error_file_view, name="error_file"),
    path("template/", views_roster.template_view, name="template"),
    path("export/", views_roster.export_view, name="export"),
]
