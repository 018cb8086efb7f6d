"""The site map page, robots.txt and sitemap.xml, at the site's root."""

from django.urls import path

from . import views

app_name = "about"

urlpatterns = [
    path("sitemap/", views.site_map, name="site_map"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
