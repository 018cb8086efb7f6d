"""Writing a measurement refreshes its indicator's stored reading (see portal.plan.models.reading)."""

from django.db.models.signals import post_delete, post_save, pre_save

from .models import Measurement
from .models.reading import refresh_readings

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


def connect():
    pre_save.connect(remember_stored_row, sender=Measurement, dispatch_uid="plan_measurement_row")
    post_save.connect(on_measurement_saved, sender=Measurement, dispatch_uid="plan_measurement_saved")
    post_delete.connect(on_measurement_deleted, sender=Measurement, dispatch_uid="plan_measurement_deleted")
