"""Absolute links for what leaves the site (open data, feeds, mail), all built on SITE_URL.

A request's Host header tells how that request reached us (127.0.0.1 behind the load balancer, a
proxy's internal name), and a Wagtail Site's hostname is whatever it was set to at install; neither
is the address residents should be given. SITE_URL is, so every absolute link starts with it.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """SITE_URL followed by a site-relative path such as /open-data/ (which must start with a slash)."""
    return settings.SITE_URL.rstrip("/") + path


def page_url(page, request=None) -> str | None:
    """A page's public address: the path from Wagtail's routing, scheme and host from SITE_URL.

    None for a page outside every site's tree (it has no public address).
    """
    parts = page.get_url_parts(request)
    return absolute_url(parts[2]) if parts else None
