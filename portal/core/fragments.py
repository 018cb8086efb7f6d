"""Fragments of pages kept between renders: the indicator cards, a domain's task list, the feedback fold and the
home page's overview.

Why: a page the page cache does not hold (the first reader after a change, another text size, encoding or
script, an expired entry) is rendered whole, and most of that time goes to parts that many pages and variants
share and that change only when content does: the cards (each domain page and its tasks' pages show the same
ones) and the fold with the feedback form. Templates wrap them in Wagtail's {% wagtailcache %} (Django's
{% cache %} that never keeps a preview), which keeps them in the "template_fragments" cache.

That cache is local memory in each process: a fragment is looked up once per card, and a lookup in process
costs microseconds where the shared cache would cost a round trip each. So no purge can reach it; instead
every fragment's key carries the content stamp, which every purge renews in the shared cache (pagecache's
purge_paths and purge_site): after any change, every worker makes its fragments again on their next render,
and what it made before is never read (and is dropped by the cache's own limits). The key also carries the
day (a status turns at its deadline), the language (links under /zh-hant/) and what the fragment shows.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

CONTENT_STAMP = "pagecache:content"


def shared():
    # pagecache.store() by another name: pagecache imports this module (its purges renew the stamp), not the reverse.
    return caches[settings.PAGE_CACHE_ALIAS]


def content_stamp() -> int:
    """The stamp of the content as it stands: written once if missing, renewed by every purge."""
    stamp = shared().get(CONTENT_STAMP)
    if stamp is None:
        shared().add(CONTENT_STAMP, time.time_ns(), None)
        stamp = shared().get(CONTENT_STAMP)
    # A shared cache that cannot be reached (it fails quietly, settings.base.survives_outage) cannot say whether
    # content changed: a stamp of this moment matches no kept fragment, so every one is made afresh.
    return stamp if stamp is not None else time.time_ns()


def content_changed() -> None:
    shared().set(CONTENT_STAMP, time.time_ns(), None)


def fragment(request) -> dict:
    """The context processor: what {% wagtailcache %} keys a fragment under besides what it shows. The stamp is read
    only if a fragment is looked up, and then once per render."""
    return {
        "fragment": {
            "seconds": settings.FRAGMENT_CACHE_SECONDS,
            "stamp": SimpleLazyObject(content_stamp),
            "day": timezone.localdate(),
        }
    }
