"""What a change makes stale, purged from the page cache and from Wagtail's frontend cache alike.

Wagtail's own frontend_cache handlers purge only the page that was published. A page here is also
shown by its ancestors (a task's indicators are counted on its domain and on the home page), by the
pages a progress update names, and by the plan-wide listings (departments, timeline, open data,
feeds). Each change below collects those URLs in one of Wagtail's PurgeBatch objects: our page cache
drops them at once (after the commit), and when WAGTAILFRONTENDCACHE names a CDN or Varnish, Wagtail
sends it the same URLs (through its purge task).
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import pagecache

# Functions that name the URLs listing the whole plan (departments, timeline, open data, feeds): the apps that
# own those pages add theirs in their ready() (register_listings), since core imports no app above it.
LISTINGS = []


def register_listings(urls) -> None:
    if urls not in LISTINGS:
        LISTINGS.append(urls)


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def plan_listing_urls() -> list[str]:
    return [url for listing in LISTINGS for url in listing()]


def add_with_ancestors(batch: PurgeBatch, page) -> None:
    """The page and every page above it (its task, its domain, the home page)."""
    batch.add_page(page)
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific(defer=True):
        batch.add_page(ancestor)


def pages_batch(pages, *, with_listings: bool = True) -> PurgeBatch:
    """These pages, every page above each of them, and the plan's listings."""
    batch = PurgeBatch()
    for page in pages:
        add_with_ancestors(batch, page)
    if with_listings:
        batch.add_urls(plan_listing_urls())
    return batch


def page_batch(page) -> PurgeBatch:
    # Pages another page names (an update's domains, tasks and indicators) show it too.
    return pages_batch([page, *getattr(page.specific, "pages_showing_this", list)()])


def purge(batch: PurgeBatch) -> None:
    # Each URL in every script (/health/ and /zh-hant/health/). Wagtail's WAGTAILFRONTENDCACHE_LANGUAGES cannot do
    # it: it rewrites a prefix the URL already has, and our default language has none.
    urls = {twin for url in batch.urls for twin in pagecache.script_twins(url)}
    pagecache.purge_paths(urls)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        urls = list(urls)
        transaction.on_commit(lambda: PurgeBatch(urls).purge())


def page_changed(sender, instance, **kwargs) -> None:
    """Published, unpublished: the page, the pages that show it, the plan's listings."""
    purge(page_batch(instance))


def page_moved(sender, instance, url_path_before, url_path_after, **kwargs) -> None:
    batch = page_batch(instance)
    # Its old address and its old parents: the page now answers elsewhere.
    old_parent_path = url_path_before.rstrip("/").rsplit("/", 1)[0] + "/"
    old_parent = Page.objects.filter(url_path=old_parent_path).first()
    if old_parent is not None:
        add_with_ancestors(batch, old_parent)
    site_root = instance.get_site().root_page.url_path if instance.get_site() else "/"
    batch.add_url(site_url("/" + url_path_before[len(site_root) :].lstrip("/")))
    purge(batch)


def pages_changed(pages, *, with_listings: bool = True) -> None:
    """Something shown on these pages changed (a measurement, a letter): them, the pages above them, the listings."""
    purge(pages_batch(pages, with_listings=with_listings))


def urls_changed(urls) -> None:
    purge(PurgeBatch(urls))


def site_changed(sender, **kwargs) -> None:
    """A site, or a department (named on pages all over the plan): rare enough to purge every page."""
    pagecache.purge_site()


def connect() -> None:
    """Pages and sites; the apps connect what is theirs (measurements, departments, letters) to the functions above."""
    from wagtail.models import Site

    page_published.connect(page_changed, dispatch_uid="pagecache-published")
    # Also deletes: Wagtail unpublishes a live page in its own pre_delete handler, before it loses its URL.
    page_unpublished.connect(page_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(page_moved, dispatch_uid="pagecache-moved")
    post_save.connect(site_changed, sender=Site, dispatch_uid="pagecache-site-save")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="pagecache-site-delete")
