"""Staff see how many follow each thing, never who; the office can send a consultation's followers a notice."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from wagtail.models import ModelLogEntry, PageLogEntry

from portal.participation.pages import ConsultationPage
from portal.plan.staff import EDITORS, OFFICE
from tests.factories.follow import SubscriptionFactory

pytestmark = pytest.mark.django_db


def staff(client, group):
    user = get_user_model().objects.create_user(f"u-{group}", f"{group}@example.gov.cn", "x")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def consultation(db):
    return ConsultationPage.objects.live().order_by("path").first()


@pytest.mark.parametrize("group", [EDITORS, OFFICE])
def test_counts_without_addresses(client, consultation, indicator, group):
    SubscriptionFactory.create_batch(3, page=consultation)
    SubscriptionFactory(page=consultation, confirmed_at=None, email="pending@example.com")
    SubscriptionFactory(page=indicator, email="indicator.follower@example.com")
    staff(client, group)
    response = client.get(reverse("follow_reach"))
    html = response.content.decode()
    assert response.status_code == 200 and consultation.title in html and indicator.title in html
    assert "@example.com" not in html
    assert ("发送通知" in html) == (group == OFFICE)


def test_editors_may_not_send_a_notice(client, consultation):
    SubscriptionFactory(page=consultation)
    staff(client, EDITORS)
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message.
    response = client.post(reverse("follow_notice", args=[consultation.pk]), {"subject": "x", "body": "y"})
    assert response.status_code in (302, 403) and response.get("Location") != reverse("follow_reach")
    assert mail.outbox == []


def test_the_office_sends_a_notice_with_an_audit_entry(client, consultation):
    SubscriptionFactory.create_batch(2, page=consultation)
    SubscriptionFactory(page=consultation, confirmed_at=None)
    user = staff(client, OFFICE)
    response = client.post(
        reverse("follow_notice", args=[consultation.pk]), {"subject": "征集时间延长", "body": "截止时间延长至下月底。"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and all(len(message.to) == 1 for message in mail.outbox)
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    entry = PageLogEntry.objects.get(action="follow.notice")
    assert entry.user == user and entry.data["followers"] == 2
    assert not ModelLogEntry.objects.filter(action="follow.notice").exists()
