"""Following, under /follow/."""

from django.urls import path

from . import views

app_name = "follow"

urlpatterns = [
    path("", views.follow, name="follow"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe-all/<str:token>/", views.unsubscribe_all, name="unsubscribe_all"),
    path("manage/<str:token>/", views.manage, name="manage"),
]
