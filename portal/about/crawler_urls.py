"""robots.txt and sitemap.xml, at the site's root only."""

from django.urls import path

from . import views

urlpatterns = [
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
