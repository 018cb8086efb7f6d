"""Writing a measurement refreshes its indicator's stored reading (see portal.plan.models.reading) and purges
the pages that show it from the page cache; a department's change purges every page (portal.core.purging)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse

from portal.core import purging

from .models import Department, DomainPage, IndicatorPage, Measurement
from .models.reading import refresh_readings

# The plan's own listings of everything: any page or reading change may change them.
LISTINGS = ("plan:departments", "plan:timeline", "plan:document")
OPEN_DATA = ("opendata:index", "opendata:indicators_json", "opendata:indicators_csv", "opendata:measurements_csv")

# The fields a reading is computed from; a save that names none of them (Wagtail saving a revision
# pointer, a lock) leaves the reading as it is.
READ_FIELDS = {"indicator", "indicator_id", "live", "date", "value", "is_sample"}


def _reads(update_fields) -> bool:
    return update_fields is None or not READ_FIELDS.isdisjoint(update_fields)


def remember_stored_row(sender, instance, update_fields=None, **kwargs):
    # The row as it was: a published measurement moved to another indicator, or withdrawn, changes
    # the reading of the indicator it was published under. Wagtail publishes from an object rebuilt
    # from a revision, so the instance cannot tell what was stored; the database can.
    if instance.pk is not None and _reads(update_fields):
        instance._stored_row = sender._base_manager.filter(pk=instance.pk).values_list("indicator_id", "live").first()


def on_measurement_saved(sender, instance, update_fields=None, **kwargs):
    if not _reads(update_fields):
        return
    stored = instance.__dict__.pop("_stored_row", None)  # (indicator_id, live) before the save
    if stored and stored[1]:
        refresh_readings([instance.indicator_id, stored[0]])
    elif instance.live:
        refresh_readings([instance.indicator_id])
    # A draft that was never published changes no reading.


def on_measurement_deleted(sender, instance, **kwargs):
    # Whether or not it was published: `instance.delete()` deletes an object as it is held, and one
    # held since before it was published through a revision still says live=False.
    refresh_readings([instance.indicator_id], create=False)


def listing_urls() -> list[str]:
    urls = [reverse(name) for name in (*LISTINGS, *OPEN_DATA, "opendata:feed_updates")]
    urls += [reverse("plan:department", args=[key]) for key in Department.objects.values_list("key", flat=True)]
    urls += [reverse("opendata:feed_domain", args=[slug]) for slug in DomainPage.objects.values_list("slug", flat=True)]
    return [purging.site_url(url) for url in urls]


def purge_indicator_pages(sender, instance, **kwargs):
    """Approved, withdrawn or deleted: its indicator, the task, domain and home above it, and the listings."""
    purging.pages_changed(IndicatorPage.objects.filter(pk=instance.indicator_id))


def purge_stored_indicator_pages(sender, instance, **kwargs):
    """Before a save: the indicator it was stored under, if it was published there (moved or withdrawn)."""
    stored = instance.__dict__.get("_stored_row")
    if stored and stored[1] and stored[0] != instance.indicator_id:
        purging.pages_changed(IndicatorPage.objects.filter(pk=stored[0]))


def connect():
    purging.register_listings(listing_urls)
    pre_save.connect(remember_stored_row, sender=Measurement, dispatch_uid="plan_measurement_row")
    post_save.connect(on_measurement_saved, sender=Measurement, dispatch_uid="plan_measurement_saved")
    post_delete.connect(on_measurement_deleted, sender=Measurement, dispatch_uid="plan_measurement_deleted")
    # After remember_stored_row (connected first), which tells where the measurement was stored.
    pre_save.connect(purge_stored_indicator_pages, sender=Measurement, dispatch_uid="pagecache_measurement_before")
    post_save.connect(purge_indicator_pages, sender=Measurement, dispatch_uid="pagecache_measurement_saved")
    post_delete.connect(purge_indicator_pages, sender=Measurement, dispatch_uid="pagecache_measurement_deleted")
    for signal in (post_save, post_delete):
        signal.connect(purging.site_changed, sender=Department, dispatch_uid=f"pagecache_department_{signal}")
