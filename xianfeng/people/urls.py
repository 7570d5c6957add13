from django.urls import path

from xianfeng.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/memberships/add/", views.membership_add_view, name="membership_add"),
    path(
        "<int:pk>/memberships/<int:membership_pk>/remove/",
        views.membership_remove_view,
        name="membership_remove",
    ),
]
