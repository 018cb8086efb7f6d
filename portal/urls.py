"""Root URLs: admin, the plan's own views, open data, feeds, the site maps and robots.txt, then Wagtail's page tree."""

from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import views as core_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("text-size/", core_views.text_size, name="text_size"),
    path("", include("portal.opendata.urls")),
    path("plan/", include("portal.plan.urls")),
    path("search/", include("search.urls")),
    path("feedback/", include("portal.participation.urls")),
    path("", include("portal.about.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
