"""Citizens' voice where the plan is: consultations from the navigation, the home page and 民主决策机制, their
questions before the contact fields, and each domain's and task's published answers (purged on publish)."""

import datetime

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.participation.models import Submission
from portal.participation.pages import ConsultationPage
from portal.plan.models import DomainPage, TaskPage
from tests.factories.participation import SubmissionFactory, open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client()


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def close_all():
    ConsultationPage.objects.update(closes_at=timezone.now() - datetime.timedelta(days=1))


def test_home_links_a_consultation_only_while_it_is_open(reader, commits):
    close_all()
    assert 'id="consult-h"' not in html_of(reader, "/")
    consultation = commits(open_consultation)  # published: the home page is purged
    html = html_of(reader, "/")
    assert f'href="{consultation.url}"' in html and 'href="/consultations/"' in html


def test_the_democratic_decision_mechanism_links_the_consultations(reader):
    close_all()
    html = html_of(reader, "/mechanisms/democratic-decision/")
    assert 'href="/consultations/"' in html and "目前没有正在进行的意见征集" in html
    assert 'id="consult-h"' not in html_of(reader, "/mechanisms/funding/")


def test_publishing_a_consultation_purges_the_mechanism_page(reader, commits):
    close_all()
    html_of(reader, "/mechanisms/democratic-decision/")
    consultation = commits(open_consultation)
    assert f'href="{consultation.url}"' in html_of(reader, "/mechanisms/democratic-decision/")


def test_a_consultations_questions_come_before_the_contact_fields(reader):
    consultation = open_consultation()
    html = html_of(reader, consultation.url)
    form = html[html.index('<form method="post"') :]
    assert form.index("您认为幼儿园应建在哪里") < form.index("您最关心哪些配套") < form.index('name="title"')
    assert form.index('name="title"') < form.index('name="contact_name"')


def test_sample_data_has_one_open_and_one_closed_consultation_with_an_outcome():
    samples = ConsultationPage.objects.filter(slug__startswith="sample-")
    assert sorted(page.is_open for page in samples) == [False, True]
    closed = next(page for page in samples if not page.is_open)
    assert "采纳" in closed.outcome and "示例数据" in closed.title


def answered(**fields):
    defaults = {"publish_allowed": True, "is_public": True, "status": Submission.Status.ANSWERED}
    return SubmissionFactory(answered_at=timezone.now(), **{**defaults, **fields})


def test_domain_and_task_pages_list_their_published_answers(reader):
    domain = DomainPage.objects.get(slug="health")
    task = TaskPage.objects.child_of(domain).live().order_by("path").first()
    shown = answered(domain=domain, task=task, title="卫生院夜间门诊的答复")
    hidden = answered(domain=domain, is_public=False, title="未公开的答复")
    other = answered(domain=DomainPage.objects.get(slug="education"), title="教育领域的答复")
    for url, link in ((domain.url, "?domain=health"), (task.url, f"?task={task.pk}")):
        html = html_of(Client(), url)
        assert shown.title in html and hidden.title not in html and other.title not in html, url
        assert f'href="/feedback/answers/{link}"' in html, url
    listed = html_of(reader, "/feedback/answers/?domain=health")
    assert shown.title in listed and other.title not in listed and "查看全部答复" in listed
    assert other.title in html_of(reader, "/feedback/answers/?domain=no-such-domain")


def queries(url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    return len(captured)


def test_answers_on_domain_and_task_pages_cost_the_same_queries_however_many(settings):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0  # the views themselves, each time
    domain = DomainPage.objects.get(slug="health")
    task = TaskPage.objects.child_of(domain).live().order_by("path").first()
    answered(domain=domain, task=task)
    before = {url: queries(url) for url in (domain.url, task.url)}
    for _ in range(5):
        answered(domain=domain, task=task)
    assert {url: queries(url) for url in (domain.url, task.url)} == before


def test_publishing_an_answer_purges_its_domain_and_task_pages(reader, commits):
    domain = DomainPage.objects.get(slug="health")
    task = TaskPage.objects.child_of(domain).live().order_by("path").first()
    for url in (domain.url, task.url):
        html_of(reader, url)
        assert reader.get(url)["X-Page-Cache"] == "hit"
    item = SubmissionFactory(domain=domain, task=task, status=Submission.Status.ANSWERED, title="缓存中的答复")
    item.is_public, item.answered_at = True, timezone.now()
    commits(item.save)
    for url in (domain.url, task.url):
        response = reader.get(url)
        assert response["X-Page-Cache"] == "miss" and "缓存中的答复" in response.content.decode(), url
