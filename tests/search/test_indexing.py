"""Index lifecycle: what is published is found, what is not never is; moves, deletes and snippets
reach both engines; a rebuild swaps the alias atomically."""

import pytest

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from wagtail.models import PageViewRestriction

from portal.participation import services
from portal.participation.models import Submission
from portal.plan.models import Department, DomainPage, IndicatorPage, Measurement, TaskPage
from search import documents
from search.models import IndexEntry
from search.queries import PortalSearch, SearchParams
from tests.factories import TaskPageFactory
from tests.factories.participation import SubmissionFactory

pytestmark = pytest.mark.django_db


def es_ids(query_text: str) -> set[str]:
    documents.client().indices.refresh(index=documents.alias_name())
    result = documents.client().search(
        index=documents.alias_name(), query={"match_phrase": {"title": query_text}}, size=50
    )
    return {hit["_id"] for hit in result["hits"]["hits"]}


@pytest.fixture
def new_task(elasticsearch, django_capture_on_commit_callbacks):
    domain = DomainPage.objects.get(slug="housing")
    with django_capture_on_commit_callbacks(execute=True):
        task = TaskPageFactory(parent=domain, title="旧城区雨污分流改造试点", slug="task-99", number=99, live=False)
        task.save_revision().publish()
    return TaskPage.objects.get(pk=task.pk)  # as published, not the factory's in-memory draft


def test_publish_indexes_in_both_engines(new_task):
    doc_id = f"page:{new_task.pk}"
    entry = IndexEntry.objects.get(doc_id=doc_id)
    assert entry.domain == "住房保障" and entry.kind == "task"
    assert doc_id in es_ids("雨污分流")


def test_draft_changes_are_not_indexed(new_task, django_capture_on_commit_callbacks):
    new_task.title = "草稿标题不应被搜索到"
    with django_capture_on_commit_callbacks(execute=True):
        new_task.save_revision()  # a draft, not published
    assert not IndexEntry.objects.filter(title__contains="草稿标题").exists()
    assert not es_ids("草稿标题不应被搜索到")


def test_unpublish_removes_from_both_engines(new_task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new_task.unpublish()
    assert not IndexEntry.objects.filter(doc_id=f"page:{new_task.pk}").exists()
    assert f"page:{new_task.pk}" not in es_ids("雨污分流")


def test_private_pages_are_not_indexed(new_task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=new_task, restriction_type="login")
        new_task.save_revision().publish()
    assert not IndexEntry.objects.filter(doc_id=f"page:{new_task.pk}").exists()
    assert f"page:{new_task.pk}" not in es_ids("雨污分流")


def test_move_updates_url_and_domain(new_task, django_capture_on_commit_callbacks):
    environment = DomainPage.objects.get(slug="environment")
    with django_capture_on_commit_callbacks(execute=True):
        new_task.move(environment, pos="last-child")
    entry = IndexEntry.objects.get(doc_id=f"page:{new_task.pk}")
    assert entry.url.startswith("/environment/") and entry.domain == "生态环保"
    source = documents.client().get(index=documents.alias_name(), id=f"page:{new_task.pk}")["_source"]
    assert source["domain"] == "生态环保"


def test_delete_removes(new_task, django_capture_on_commit_callbacks):
    doc_id = f"page:{new_task.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        TaskPage.objects.get(pk=new_task.pk).delete()
    assert not IndexEntry.objects.filter(doc_id=doc_id).exists()
    assert doc_id not in es_ids("雨污分流")


def test_snippet_and_measurement_changes_reach_the_index(elasticsearch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Department.objects.create(key="ts-water", name="台山市水利水电研究所", kind="other")
    assert IndexEntry.objects.filter(doc_id="department:ts-water").exists()
    assert "department:ts-water" in es_ids("水利水电研究所")

    indicator = IndicatorPage.objects.get(code="env-02")
    with django_capture_on_commit_callbacks(execute=True):
        Measurement.objects.create(indicator=indicator, date="2015-12-31", value="97.25", source="环保局", live=True)
    assert "97.25%" in IndexEntry.objects.get(doc_id=f"page:{indicator.pk}").body


def test_rebuild_swaps_the_alias_and_drops_the_old_index(elasticsearch):
    before = documents.current_indices()
    call_command("rebuild_search_index", "--no-progress", verbosity=0)
    after = documents.current_indices()
    assert len(after) == 1 and after != before
    assert after[0].startswith(f"{documents.alias_name()}-")
    assert documents.alias_name().startswith("portal-test")
    assert not any(documents.client().indices.exists(index=name) for name in before)
    count = documents.client().count(index=documents.alias_name())["count"]
    assert count == IndexEntry.objects.count()


def test_published_answers_are_found_without_personal_data(elasticsearch, django_capture_on_commit_callbacks):
    submission, _ = services.submission_create(
        data={"kind": "question", "title": "夜间公交线路何时开通", "content": "请问环市夜间公交线路什么时候开通?",
              "publish_allowed": True, "contact_name": "黄先生", "contact_email": "huang@example.com"},
        ip="192.0.2.1",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        Submission.objects.filter(pk=submission.pk).update(status="answered", answer="预计年底开通。", is_public=True)
        Submission.objects.get(pk=submission.pk).save()
    entry = IndexEntry.objects.get(doc_id=f"answer:{submission.pk}")
    assert "预计年底开通" in entry.body and "黄先生" not in entry.body + entry.body_terms
    assert "huang" not in entry.body_terms
    assert f"answer:{submission.pk}" in es_ids("夜间公交线路")


def test_parallel_analysis_gives_every_record_the_terms_serial_analysis_gives():
    from search import indexing, records

    serial = list(records.all_records())[:60]
    parallel = [records.SearchRecord(**{f: getattr(r, f) for f in r.__dataclass_fields__}) for r in serial]
    indexing.analyse(parallel, workers=2, min_records=1)
    assert all(record.analysed for record in parallel)
    assert [(r.title_terms(), r.body_terms()) for r in parallel] == [(r.title_terms(), r.body_terms()) for r in serial]
    assert any("jiaoyu" in r.body_terms() or "jiaoyu" in r.title_terms() for r in parallel)


def test_a_rebuild_whose_table_fails_leaves_the_live_index_and_drops_the_new_one(elasticsearch, monkeypatch):
    from search import indexing

    before = documents.current_indices()
    entries = IndexEntry.objects.count()

    def table_fails(items, batch_size=500):
        list(items)
        raise RuntimeError("disk full")

    monkeypatch.setattr(indexing, "replace_database", table_fails)
    with pytest.raises(RuntimeError, match="disk full"):
        call_command("rebuild_search_index", "--no-progress", verbosity=0)
    assert documents.current_indices() == before
    prefix = f"{documents.alias_name()}-"
    assert sorted(documents.client().indices.get(index=f"{prefix}*")) == sorted(before)
    assert IndexEntry.objects.count() == entries


# -- answers withdrawn from publication ---------------------------------------------------------

ANSWER_QUERY = "广海渡口夜班船"


def found_by_portal_search(engine_url: str, number: str) -> bool:
    """Whether PortalSearch, on the engine `engine_url` selects ("" for the database), finds the answer."""
    with override_settings(ELASTICSEARCH_URL=engine_url):
        response = PortalSearch(SearchParams(q=ANSWER_QUERY)).execute()
    assert response.engine == ("elasticsearch" if engine_url else "database")
    return f"/feedback/answers/#{number}" in {hit.url for hit in response.hits}


@pytest.fixture
def published_answer(elasticsearch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = SubmissionFactory(
            kind=Submission.Kind.QUESTION,
            title="广海渡口夜班船何时恢复",
            content="请问广海渡口的夜班船什么时候恢复?",
            status=Submission.Status.ANSWERED,
            answer="交通运输局已安排明年一季度恢复夜班船。",
            answered_at=timezone.now(),
            publish_allowed=True,
            is_public=True,
        )
    # Indexing need not be visible to searches at once; withdrawal must be (below).
    documents.client().indices.refresh(index=documents.alias_name())
    return submission


def withdraw_publication(submission):
    submission.is_public = False  # 审核后公开 unticked in the admin
    submission.save()


def withdraw_consent(submission):
    submission.publish_allowed = False
    submission.save()


def reopen(submission):
    submission.status = Submission.Status.ACCEPTED
    submission.save()


def delete(submission):
    submission.delete()


@pytest.mark.parametrize("withdraw", [withdraw_publication, withdraw_consent, reopen, delete])
def test_an_answer_no_longer_published_leaves_both_engines_at_once(
    published_answer, withdraw, elasticsearch, django_capture_on_commit_callbacks
):
    doc_id, number = f"answer:{published_answer.pk}", published_answer.number
    assert IndexEntry.objects.filter(doc_id=doc_id).exists()
    assert found_by_portal_search(elasticsearch, number)
    assert found_by_portal_search("", number)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(Submission.objects.get(pk=published_answer.pk))

    # No refresh here: the very next search must not find it.
    assert not found_by_portal_search(elasticsearch, number)
    assert not found_by_portal_search("", number)
    assert not IndexEntry.objects.filter(doc_id=doc_id).exists()
    assert not documents.client().exists(index=documents.alias_name(), id=doc_id)


def test_a_citizens_new_submission_queues_no_indexing(settings, django_capture_on_commit_callbacks):
    settings.PARTICIPATION_STAFF_EMAILS = []  # so that nothing else is queued either
    before = IndexEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.submission_create(
            data={"kind": "opinion", "title": "建议增加公交班次", "content": "希望增加村里的公交班次。",
                  "publish_allowed": True},
            ip="192.0.2.7",
        )  # fmt: skip
    # The submission's own callback (verification or announcement) and the page cache's purge of the answers
    # list and statistics (portal.core.pagecache); none from the indexer.
    names = [c.__qualname__.split(".")[0] for c in callbacks if c.__module__ != "portal.core.pagecache"]
    assert names == ["submission_create"]
    assert IndexEntry.objects.count() == before
