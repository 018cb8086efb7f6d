"""App config for the site's own pages: site map, contact, privacy, statement, robots.txt and sitemap.xml."""

from django.apps import AppConfig


class AboutConfig(AppConfig):
    name = "portal.about"
    label = "about"
    verbose_name = "关于本站"

    def ready(self):
        from portal.core import purging

        from .sitemaps import listing_urls

        # The site maps list every section: any page published, moved or withdrawn changes them.
        purging.register_listings(listing_urls)
