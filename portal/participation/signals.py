"""Publishing a consultation's outcome tells its participants (after the publish commits); letters and answers
purge the pages that count or show them from the page cache."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from wagtail.models import Page
from wagtail.signals import page_published

from portal.core import purging

from . import services
from .models import Submission
from .pages import ConsultationPage

ANSWER_LISTINGS = ("participation:answers", "participation:statistics")


def on_consultation_published(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: services.notify_consultation_outcome.enqueue(pk))


def letter_changed(sender, instance, **kwargs):
    """A letter received, answered, published or withdrawn: the answers list and statistics, the
    consultation it answers (which counts its opinions), and the domain and task pages that list its answer."""
    purging.urls_changed([purging.site_url(reverse(name)) for name in ANSWER_LISTINGS])
    if instance.consultation_id:
        consultation = ConsultationPage.objects.filter(pk=instance.consultation_id)
        purging.pages_changed(consultation, with_listings=False)
    # Only an answer that is or may have been public is on those pages: one the citizen let us publish, once
    # final (a withdrawal keeps its status). A letter received or drafted changes nothing there.
    if instance.publish_allowed and instance.answer_is_final:
        shown_on = [pk for pk in (instance.task_id, instance.domain_id) if pk]
        if shown_on:
            purging.pages_changed(Page.objects.filter(pk__in=shown_on).specific(defer=True), with_listings=False)


def connect():
    post_save.connect(letter_changed, sender=Submission, dispatch_uid="pagecache_submission_saved")
    post_delete.connect(letter_changed, sender=Submission, dispatch_uid="pagecache_submission_deleted")
    page_published.connect(on_consultation_published, sender=ConsultationPage, dispatch_uid="consultation_outcome")
