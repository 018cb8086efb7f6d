"""What a digest tells, and to whom: one address however it is spelt, links with no address in them and in
the reader's script, a target whose deadline passed, and a letter that changed hands."""

import base64
import datetime
from decimal import Decimal

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.follow.digest import send_digests
from portal.follow.models import Subscription
from portal.plan.models import DomainPage, IndicatorPage, Measurement
from tests.factories import IndicatorPageFactory
from tests.factories.follow import SubscriptionFactory

pytestmark = pytest.mark.django_db
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def follow(client, page, email):
    return client.post(reverse("follow:follow"), {"email": email, "page": page.pk, "website": ""}, **SAME_SITE)


def test_one_address_however_it_is_spelt(client, indicator, approve, later):
    follow(client, indicator, "Wang.Li@Example.COM")
    follow(client, indicator, "wang.li@example.com")
    subscription = Subscription.objects.get()  # the same mailbox asked twice: one subscription
    assert subscription.email == "wang.li@example.com"  # mailed at the spelling asked with last
    domain = DomainPage.objects.ancestor_of(indicator).get()
    SubscriptionFactory(page=domain, email="WANG.LI@example.com")
    Subscription.objects.update(confirmed_at=timezone.now(), digest_through=timezone.now())
    approve()
    mail.outbox.clear()
    assert send_digests(now=later())["sent"] == 1
    [digest] = mail.outbox  # both things it follows, in one mail
    assert digest.body.count("■") == 2


def test_no_link_carries_the_address(indicator, approve, later):
    address = "resident@example.com"
    SubscriptionFactory(page=indicator, email=address)
    approve()
    send_digests(now=later())
    [digest] = mail.outbox
    encoded = [base64.urlsafe_b64encode(form.encode()).decode().rstrip("=") for form in (address, f'"{address}"')]
    for text in (digest.body, digest.extra_headers["List-Unsubscribe"]):
        for line in text.splitlines():
            if "http" in line:
                assert "@" not in line and not any(e[:12] in line for e in encoded), line


def test_a_traditional_readers_links_open_in_traditional(indicator, approve, later):
    SubscriptionFactory(page=indicator, language="zh-hant")
    approve()
    send_digests(now=later())
    [digest] = mail.outbox
    links = [line.strip() for line in digest.body.splitlines() if line.strip().startswith("http")]
    assert links and all("/zh-hant/" in link for link in links), links
    assert f"/zh-hant{indicator.url}" in digest.body


def test_a_passed_deadline_is_told_though_no_measurement_came(indicator):
    """按计划推进 on 31 December 2015, 滞后 the next day: a follower hears of it in that day's digest."""
    target = IndicatorPageFactory(parent=indicator.get_parent(), target=Decimal("90"), target_year=2015)
    measurement = Measurement(indicator=target, date=datetime.date(2015, 6, 30), value=Decimal("60"), source="统计局")
    measurement.save()
    measurement.save_revision().publish()
    target = IndicatorPage.objects.get(pk=target.pk)
    assert target.status(datetime.date(2015, 12, 31)) == "on_track"
    told_until = timezone.make_aware(datetime.datetime(2015, 12, 20))
    SubscriptionFactory(page=target, confirmed_at=told_until, digest_through=told_until)
    quiet = SubscriptionFactory(page=target, confirmed_at=told_until, digest_through=told_until)
    assert send_digests(now=timezone.make_aware(datetime.datetime(2015, 12, 31, 12)))["sent"] == 0
    quiet.delete()
    assert send_digests(now=timezone.make_aware(datetime.datetime(2016, 1, 2, 9)))["sent"] == 1
    [digest] = mail.outbox
    assert "目标期限 2015-12-31 已过" in digest.body and "“按计划推进”变为“滞后”" in digest.body
    assert send_digests(now=timezone.make_aware(datetime.datetime(2016, 1, 3, 9)))["sent"] == 0  # told once


def test_a_letter_handed_to_a_department_is_told(later, django_user_model):
    from portal.participation.models import Submission
    from portal.participation.services import submission_moderate
    from tests.factories import DepartmentFactory
    from tests.factories.participation import SubmissionFactory

    letter = SubmissionFactory(status=Submission.Status.ACCEPTED)
    before = timezone.now() - datetime.timedelta(minutes=1)
    SubscriptionFactory(submission=letter, confirmed_at=before, digest_through=before)
    office = django_user_model.objects.create_superuser("office", "office@example.gov.cn", "x")
    department = DepartmentFactory(name="台山市交通运输局")
    submission_moderate(pk=letter.pk, changes={"department": department}, user=office)  # the single edit
    send_digests(now=later())
    [digest] = mail.outbox
    assert f"您的来信 {letter.number}:已受理,已转交台山市交通运输局办理" in digest.body
