"""When Elasticsearch does not answer, search keeps working from the database, saying so."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_elasticsearch(settings):
    # Nothing listens on port 9; a refused connection fails at once.
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_TIMEOUT = 0.5


def test_search_falls_back_with_a_notice(client, unreachable_elasticsearch):
    response = client.get("/search/", {"q": "社保卡", "format": "json"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["engine"] == "database" and data["notice"]
    assert data["results"][0]["domain"] == "生活保障"
    html = client.get("/search/", {"q": "社保卡"}).content.decode()
    assert "简化搜索" in html and "社会保障卡" in html


def test_publishing_still_works_without_elasticsearch(
    client, unreachable_elasticsearch, django_capture_on_commit_callbacks
):
    from portal.plan.models import TaskPage
    from search.models import IndexEntry

    task = TaskPage.objects.get(slug="task-1", url_path__contains="/housing/")
    task.progress_note = "2015年已完成雨污分流改造。"
    with django_capture_on_commit_callbacks(execute=True):
        task.save_revision().publish()
    # The database index took the change even though the cluster did not answer.
    assert " 雨污 " in IndexEntry.objects.get(doc_id=f"page:{task.pk}").body_terms
