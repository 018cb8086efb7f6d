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
from django.db.models.signals import post_delete, post_save, pre_delete
from django.urls import reverse

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import pagecache

# Listings that show pages from the whole plan: every page change may change them.
PLAN_LISTINGS = (
    "plan:departments",
    "plan:timeline",
    "plan:document",
    "opendata:index",
    "opendata:indicators_json",
    "opendata:indicators_csv",
    "opendata:measurements_csv",
    "opendata:feed_updates",
)
ANSWER_LISTINGS = ("participation:answers", "participation:statistics")


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def plan_listing_urls() -> list[str]:
    from portal.plan.models import Department, DomainPage

    urls = [site_url(reverse(name)) for name in PLAN_LISTINGS]
    urls += [
        site_url(reverse("plan:department", args=[key])) for key in Department.objects.values_list("key", flat=True)
    ]
    urls += [
        site_url(reverse("opendata:feed_domain", args=[slug]))
        for slug in DomainPage.objects.live().values_list("slug", flat=True)
    ]
    return urls


def add_with_ancestors(batch: PurgeBatch, page) -> None:
    """The page and every page above it (its task, its domain, the home page)."""
    batch.add_page(page)
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific(defer=True):
        batch.add_page(ancestor)


def page_batch(page) -> PurgeBatch:
    batch = PurgeBatch()
    add_with_ancestors(batch, page)
    # Pages another page names (an update's domains, tasks and indicators) show it too.
    for shown_on in getattr(page.specific, "pages_showing_this", list)():
        batch.add_page(shown_on)
    batch.add_urls(plan_listing_urls())
    return batch


def purge(batch: PurgeBatch) -> None:
    pagecache.purge_paths(batch.urls)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        urls = list(batch.urls)
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


def page_deleting(sender, instance, **kwargs) -> None:
    # Collected before the delete, while the page still has a URL and ancestors.
    if isinstance(instance, Page) and instance.live and instance.depth > 1:
        purge(page_batch(instance))


def indicator_reading_changed(indicator) -> None:
    """A measurement approved, withdrawn or deleted: its indicator, the pages above it, open data."""
    batch = PurgeBatch()
    add_with_ancestors(batch, indicator)
    batch.add_urls(plan_listing_urls())
    purge(batch)


def measurement_changed(sender, instance, **kwargs) -> None:
    if instance.indicator_id:
        indicator = Page.objects.filter(pk=instance.indicator_id).first()
        if indicator is not None:
            indicator_reading_changed(indicator)


def answers_changed(sender, instance=None, **kwargs) -> None:
    """Answers are published, withdrawn, or letters counted: the answers list and the statistics."""
    purge(PurgeBatch([site_url(reverse(name)) for name in ANSWER_LISTINGS]))


def site_changed(sender, **kwargs) -> None:
    """A site, or a department (named on pages all over the plan): rare enough to purge every page."""
    pagecache.purge_site()


def connect() -> None:
    from wagtail.models import Site

    from portal.participation.models import Submission
    from portal.plan.models import Department, Measurement

    page_published.connect(page_changed, dispatch_uid="pagecache-published")
    page_unpublished.connect(page_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(page_moved, dispatch_uid="pagecache-moved")
    pre_delete.connect(page_deleting, dispatch_uid="pagecache-page-deleting")
    post_save.connect(measurement_changed, sender=Measurement, dispatch_uid="pagecache-measurement-save")
    post_delete.connect(measurement_changed, sender=Measurement, dispatch_uid="pagecache-measurement-delete")
    post_save.connect(answers_changed, sender=Submission, dispatch_uid="pagecache-submission-save")
    post_delete.connect(answers_changed, sender=Submission, dispatch_uid="pagecache-submission-delete")
    for model in (Site, Department):
        post_save.connect(site_changed, sender=model, dispatch_uid=f"pagecache-{model.__name__}-save")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"pagecache-{model.__name__}-delete")
