"""1,000 subscribers each get exactly one digest, a rerun sends nothing, and building the digests costs the
same number of queries for 10 subscribers as for 100."""

import pytest

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.follow.digest import send_digests
from portal.follow.models import DigestSent, Subscription, address_key
from portal.participation.pages import ConsultationPage
from portal.plan.models import DomainPage, IndicatorPage

pytestmark = pytest.mark.django_db


def subscribe(count, targets, prefix="s"):
    """`count` confirmed addresses, each following every target, confirmed a moment ago."""
    before = timezone.now() - timezone.timedelta(minutes=5)
    Subscription.objects.bulk_create(
        Subscription(
            email=f"{prefix}{n}@example.com",
            address=address_key(f"{prefix}{n}@example.com"),
            page=page,
            confirmed_at=before,
            digest_through=before,
        )
        for n in range(count)
        for page in targets
    )


def targets():
    indicator = IndicatorPage.objects.live().order_by("path").first()
    domain = DomainPage.objects.live().ancestor_of(indicator).get()
    consultation = ConsultationPage.objects.live().order_by("path").first()
    return [indicator, domain, consultation]


def test_a_thousand_subscribers_get_exactly_one_each(approve, later):
    subscribe(1000, targets()[:2])
    approve()
    cutoff = later()
    result = send_digests(now=cutoff)
    assert result["sent"] == 1000
    recipients = [address for message in mail.outbox for address in message.to]
    assert len(recipients) == 1000 and len(set(recipients)) == 1000
    assert DigestSent.objects.count() == 1000
    again = send_digests(now=cutoff + timezone.timedelta(seconds=1))
    assert again["sent"] == 0 and len(mail.outbox) == 1000


def queries_for(count, prefix, approve):
    Subscription.objects.all().delete()
    subscribe(count, targets(), prefix=prefix)
    approve()
    with CaptureQueriesContext(connection) as queries:
        result = send_digests(now=timezone.now() + timezone.timedelta(seconds=1))
    assert result["sent"] == count
    return len(queries)


def test_queries_do_not_grow_with_subscribers(approve):
    assert queries_for(100, "b", approve) == queries_for(10, "a", approve)


def test_a_letters_follower_hears_its_steps(later):
    from portal.participation.models import Submission, SubmissionEvent
    from tests.factories.participation import SubmissionFactory

    letter = SubmissionFactory()
    before = timezone.now() - timezone.timedelta(minutes=1)
    Subscription.objects.create(email="w@example.com", submission=letter, confirmed_at=before, digest_through=before)
    SubmissionEvent.objects.create(submission=letter, status=Submission.Status.ACCEPTED)
    SubmissionEvent.objects.create(submission=letter, status=Submission.Status.REVIEW)  # the office's own step
    send_digests(now=later())
    [digest] = mail.outbox
    assert letter.number in digest.body and "已受理" in digest.body and "答复待审核" not in digest.body
