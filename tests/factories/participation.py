"""Factories for citizens' submissions, in any status the moderation tests need, and for consultations."""

import datetime

import factory
import wagtail_factories

from django.utils import timezone

from portal.participation.models import Submission
from portal.participation.pages import ConsultationPage

LOOKUP_CODE = "TESTCODE"


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    number = factory.Sequence(lambda n: f"TS2099{n:07d}")
    lookup_digest = factory.LazyFunction(lambda: Submission.digest(LOOKUP_CODE))
    kind = Submission.Kind.OPINION
    title = factory.Sequence(lambda n: f"测试来信{n}")
    content = "希望增加村里的公交班次。"
    publish_allowed = True
    contact_name = "王先生"
    contact_email = factory.Sequence(lambda n: f"citizen{n}@example.com")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=15))
    status = Submission.Status.RECEIVED
    answer = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in (Submission.Status.ANSWERED, Submission.Status.CLOSED)),
        yes_declaration="已安排处理。",
        no_declaration="",
    )


class ConsultationPageFactory(wagtail_factories.PageFactory):
    """An open consultation with one question; pass parent= (the ConsultationIndexPage)."""

    class Meta:
        model = ConsultationPage

    title = factory.Sequence(lambda n: f"意见征集{n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    summary = "拟在新区建设一所公办幼儿园,征集选址意见。"
    background = "<p>新区适龄儿童增长较快。</p>"
    questions = factory.LazyFunction(lambda: [("question", "您认为幼儿园应建在哪里?")])
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))


def open_consultation(**overrides):
    """A published consultation on a new kindergarten's site with two questions, open for ten more days."""
    from portal.participation.pages import ConsultationIndexPage
    from portal.plan.models import DomainPage

    fields = {
        "title": "新区公办幼儿园选址意见征集",
        "slug": "kindergarten-site",
        "domain": DomainPage.objects.get(slug="education"),
        "questions": [("question", "您认为幼儿园应建在哪里?"), ("question", "您最关心哪些配套?")],
        **overrides,
    }
    page = ConsultationPageFactory(parent=ConsultationIndexPage.objects.get(), **fields)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)
