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
