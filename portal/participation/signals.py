"""Publishing a consultation's outcome tells its participants (after the publish commits)."""

from django.db import transaction

from wagtail.signals import page_published

from . import services
from .pages import ConsultationPage


def on_consultation_published(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: services.notify_consultation_outcome.enqueue(pk))


def connect():
    page_published.connect(on_consultation_published, sender=ConsultationPage, dispatch_uid="consultation_outcome")
