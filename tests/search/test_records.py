"""Search records: every record names its domain where it has one, the plan's pages carry the plan's date, and
building them all takes the same number of queries however many updates there are."""

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.plan.models import Department, DomainPage, Plan, TaskPage
from portal.updates.models import UpdateIndexPage, UpdatePage
from search import records

pytestmark = pytest.mark.django_db


def demo(count: int) -> None:
    call_command("load_demo_corpus", "--updates", str(count), "--no-index", verbosity=0)


def queries_for_all_records() -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        items = list(records.all_records())
    return len(captured.captured_queries), items


def test_all_records_takes_as_many_queries_for_many_updates_as_for_few(database_search):
    demo(5)
    queries_for_all_records()  # Wagtail caches the site's root paths on first use
    few, items = queries_for_all_records()
    assert sum(r.kind == "update" for r in items) >= 5
    demo(60)
    many, items = queries_for_all_records()
    assert sum(r.kind == "update" for r in items) >= 60
    assert many == few, f"{few} queries with 5 demo updates, {many} with 60"


def test_an_update_belongs_to_the_domain_it_names_else_to_its_tasks(database_search):
    index = UpdateIndexPage.objects.get()
    housing, health = DomainPage.objects.get(slug="housing"), DomainPage.objects.get(slug="health")
    health_task = TaskPage.objects.child_of(health).first()

    named = UpdatePage(title="住房保障进展", slug="named", summary="。")
    named.domains, named.tasks = [housing], [health_task]
    by_task = UpdatePage(title="卫生进展", slug="by-task", summary="。")
    by_task.tasks = [health_task]
    neither = UpdatePage(title="综合进展", slug="neither", summary="。")
    for page in (named, by_task, neither):
        index.add_child(instance=page)
        page.save_revision().publish()

    found = {r.title: r.domain for r in records.all_records() if r.kind == "update"}
    assert found["住房保障进展"] == "住房保障"
    assert found["卫生进展"] == "公共卫生"
    assert found["综合进展"] == ""
    assert records.record_for_page(by_task).domain == "公共卫生"  # one page at a time too


def test_demo_updates_carry_their_domain():
    demo(30)
    domains = {u.pk: u.domains.get().title for u in UpdatePage.objects.filter(slug__startswith="demo-")}
    found = {r.doc_id: r.domain for r in records.all_records() if r.kind == "update"}
    assert all(found[f"page:{pk}"] == title for pk, title in domains.items())


def test_a_department_belongs_to_the_domain_it_leads_most():
    found = {r.title: r.domain for r in records.department_records()}
    assert found["市教育局"] == "公共教育"
    assert found["市卫生和计划生育局"] == "公共卫生"
    # It leads three domains equally: the first in the plan's order.
    assert (
        found["市人力资源和社会保障局"]
        == min(DomainPage.objects.filter(title__in=["生活保障", "就业保障", "医疗保障"]), key=lambda d: d.path).title
    )
    # Mechanisms have no domain, so neither has a department that leads only mechanisms.
    assert Department.objects.get(name="市财政局").responsibilities.filter(role="lead").exists()
    assert found["市财政局"] == ""


def test_mechanisms_and_the_document_have_no_domain_and_plan_pages_the_plans_date():
    plan_date = Plan.current().document.published_at
    assert timezone.localtime(plan_date).strftime("%Y-%m-%d %H:%M") == "2014-09-11 07:56"  # plan.yaml's
    by_kind = {}
    for record in records.all_records():
        by_kind.setdefault(record.kind, []).append(record)
    for kind in ("domain", "task", "indicator", "mechanism"):
        assert {r.date for r in by_kind[kind]} == {plan_date}, kind
    assert {r.domain for r in by_kind["mechanism"]} == {""}
    assert {r.domain for r in by_kind["document"]} == {""}
    assert all(r.domain for r in by_kind["domain"])
    assert all(r.domain for r in by_kind["indicator"] if "/mechanisms/" not in r.url)
