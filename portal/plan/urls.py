"""URLs of the plan's non-page views."""

from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("departments/", views.department_list, name="departments"),
    path("departments/<slug:key>/", views.department_detail, name="department"),
    path("timeline/", views.timeline, name="timeline"),
    path("document/", views.source_document, name="document"),
]
