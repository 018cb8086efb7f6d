"""Root URLs: admin and documents, then the public site (the plan's own views, open data, feeds, Wagtail's page tree).

The public site is in i18n_patterns without a prefix for the default language: /health/ in simplified
characters, /zh-hant/health/ the same page in traditional ones (portal/core/script.py). Staff URLs stay
outside, with no twin.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import views as core_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # For crawlers, at the root only: no traditional twin.
    path("", include("portal.about.crawler_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("text-size/", core_views.text_size, name="text_size"),
    path("care-mode/", core_views.care_mode, name="care_mode"),
    path("", include("portal.opendata.urls")),
    path("plan/", include("portal.plan.urls")),
    path("search/", include("search.urls")),
    path("feedback/", include("portal.participation.urls")),
    path("follow/", include("portal.follow.urls")),
    path("", include("portal.about.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
