"""Factories for citizens' submissions, in any status the moderation tests need."""

import datetime

import factory

from django.utils import timezone

from portal.participation.models import Submission

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


def open_consultation(**overrides):
    """A published consultation on a new kindergarten's site, open for ten more days."""
    from portal.participation.pages import ConsultationIndexPage, ConsultationPage
    from portal.plan.models import DomainPage

    fields = {
        "title": "新区公办幼儿园选址意见征集",
        "slug": "kindergarten-site",
        "domain": DomainPage.objects.get(slug="education"),
        "summary": "拟在新区建设一所公办幼儿园,征集选址意见。",
        "background": "<p>新区适龄儿童增长较快。</p>",
        "questions": [("question", "您认为幼儿园应建在哪里?"), ("question", "您最关心哪些配套?")],
        "opens_at": timezone.now() - datetime.timedelta(days=1),
        "closes_at": timezone.now() + datetime.timedelta(days=10),
        **overrides,
    }
    page = ConsultationPage(**fields)
    ConsultationIndexPage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)
