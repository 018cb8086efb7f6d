"""/sitemap.xml: Wagtail's sitemap of live public pages, with the plan's views that are not pages.

Wagtail's sitemap view takes several sitemap classes, as Django's does; the views' addresses are built on
SITE_URL like every other absolute link (portal/core/links.py), never on the Host header.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from portal.core import purging

# The views listed beside the pages: the plan's listings, open data, the citizens' pages, the site map.
VIEWS = (
    "plan:departments",
    "plan:timeline",
    "plan:document",
    "opendata:index",
    "opendata:subscribe",
    "participation:feedback",
    "participation:answers",
    "participation:statistics",
    "participation:satisfaction",
    "participation:site_error",
    "about:site_map",
)


class ViewSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return VIEWS

    def location(self, item):
        return reverse(item)

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


SITEMAPS = {"pages": PageSitemap, "views": ViewSitemap}


def listing_urls() -> list[str]:
    """The site maps, for the page cache's purges: each lists every section."""
    return [purging.site_url(reverse(name)) for name in ("about:site_map", "sitemap_xml")]
