from django.urls import path

from xianfeng.functional_groups import views

app_name = "functional_groups"

urlpatterns = [
    path("", views.drive_list, name="list"),
    path("new/", views.drive_create, name="create"),
    path("<int:pk>/", views.drive_detail, name="detail"),
    path("<int:pk>/edit/", views.drive_edit, name="edit"),
    path("<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("<int:pk>/step/<slug:action>/", views.transition, name="transition"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/signup/withdraw/", views.signup_withdraw, name="signup_withdraw"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("groups/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("groups/<int:pk>/vote/", views.vote, name="vote"),
    path("groups/<int:pk>/leader/", views.leader_choose, name="leader_choose"),
    path("roster/<int:pk>/remove/", views.roster_remove, name="roster_remove"),
    # Public: no account needed; the token in the link is what lets a reader in.
    path("board/<int:pk>/<str:token>/", views.board, name="board"),
]
