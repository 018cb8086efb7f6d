"""Which Wagtail site answers a request, looked up once a minute rather than on every request.

Wagtail finds the site with a query on every request (its own cache lives only as long as the
request). Sites change a few times in a portal's life, so each process keeps the answer for
SITE_CACHE_SECONDS; saving or deleting a site, or publishing, moving or unpublishing a site's
root page, clears this process's copy at once (other processes follow within the minute).
"""

from django.core.cache import cache
from django.http.request import split_domain_port

from wagtail.models import Site

from .outage import OUTAGE_ERRORS, unavailable

SITE_CACHE_SECONDS = 60
_KEY = "portal:site:{host}:{port}:v{version}"
_VERSION_KEY = "portal:site:version"


def _key(request) -> str:
    host = split_domain_port(request._get_raw_host())[0]
    return _KEY.format(host=host, port=request.get_port(), version=cache.get(_VERSION_KEY, 0))


def site_for_request(request):
    key = _key(request)
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            cache.set(key, site, SITE_CACHE_SECONDS)
    return site


def forget_sites(**kwargs) -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def forget_sites_if_root(sender, instance, **kwargs) -> None:
    if instance.depth <= 2:  # the tree's root and the sites' root pages
        forget_sites()


class SiteMiddleware:
    """Sets request._wagtail_site, which Wagtail's Site.find_for_request reads before querying."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request._wagtail_site = site_for_request(request)
        except OUTAGE_ERRORS as error:
            # Outside any view, so DatabaseOutageMiddleware's process_exception never sees this query fail.
            return unavailable(request, error)
        return self.get_response(request)
