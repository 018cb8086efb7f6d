"""The site map page (in both scripts, like every public page)."""

from django.urls import path

from . import views

app_name = "about"

urlpatterns = [path("sitemap/", views.site_map, name="site_map")]
