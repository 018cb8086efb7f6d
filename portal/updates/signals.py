"""Publishing an update records its measurements; unpublishing withdraws them."""

from wagtail.signals import page_published, page_unpublished

from . import services
from .models import UpdatePage


def on_published(sender, instance, **kwargs):
    services.measurements_sync_from_update(update=instance)


def on_unpublished(sender, instance, **kwargs):
    services.measurements_withdraw_for_update(update=instance)


def connect():
    page_published.connect(on_published, sender=UpdatePage, dispatch_uid="updates_record_measurements")
    page_unpublished.connect(on_unpublished, sender=UpdatePage, dispatch_uid="updates_withdraw_measurements")
