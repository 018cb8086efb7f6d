"""Participation URLs under /feedback/."""

from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    path("", views.feedback, name="feedback"),
    path("thanks/", views.thanks, name="thanks"),
    path("track/", views.track, name="track"),
    path("answers/", views.answers, name="answers"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("satisfaction/", views.satisfaction_page, name="satisfaction"),
    path("site-error/", views.site_error, name="site_error"),
]
