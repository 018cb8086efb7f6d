"""Index changes are never lost: what Elasticsearch refuses while it is down waits in the outbox, is
retried with growing delays, and reaches it once it answers again.

The outage is real: one test stops the project's own node and starts it again (scripts/elasticsearch.sh);
the others point ELASTICSEARCH_URL at a local port that is bound but never listens, so the real client
gets "connection refused". What the tests change in
Elasticsearch does not roll back with the database, so every document they touch is put back as it
was (the `restore_documents` fixture).
"""

import socket
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from portal.plan.models import DomainPage, TaskPage
from search import documents, indexing, outbox
from search.models import IndexEntry, PendingIndexChange
from search.queries import PortalSearch, SearchParams

pytestmark = pytest.mark.django_db

NEW_TITLE = "海岛渡口应急供电演练"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def down_url():
    """An address where nothing listens: bound so that no one else takes the port, never listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def restore_documents(elasticsearch):
    """Remember documents as Elasticsearch holds them before the test, and put them back after it."""
    saved = {}

    def remember(*doc_ids):
        with override_settings(ELASTICSEARCH_URL=elasticsearch):
            for doc_id in doc_ids:
                found = documents.index_client().options(ignore_status=404).get(index=documents.alias_name(), id=doc_id)
                saved[doc_id] = found["_source"] if found.get("found") else None

    yield remember
    with override_settings(ELASTICSEARCH_URL=elasticsearch):
        client, alias = documents.index_client(), documents.alias_name()
        for doc_id, source in saved.items():
            if source is None:
                client.options(ignore_status=404).delete(index=alias, id=doc_id)
            else:
                client.index(index=alias, id=doc_id, document=source)
        client.indices.refresh(index=alias)


@pytest.fixture
def two_tasks(restore_documents):
    """Two published tasks of the loaded plan, put back in Elasticsearch as they were after the test."""
    housing = DomainPage.objects.get(slug="housing")
    first, second = TaskPage.objects.live().descendant_of(housing).order_by("path")[:2]
    restore_documents(f"page:{first.pk}", f"page:{second.pk}")
    return first, second


def found(query: str, url: str, engine: str = "elasticsearch") -> bool:
    response = PortalSearch(SearchParams(q=query)).execute()
    assert response.engine == engine
    return url in {hit.url for hit in response.hits}


def in_elasticsearch(doc_id: str) -> bool:
    return bool(documents.client().exists(index=documents.alias_name(), id=doc_id))


def publish_and_withdraw(publish: TaskPage, withdraw: TaskPage, capture) -> None:
    with capture(execute=True):
        publish.title = NEW_TITLE
        publish.save_revision().publish()
        withdraw.unpublish()


def test_changes_made_while_elasticsearch_is_down_reach_it_once_it_is_back(
    two_tasks, elasticsearch, down_url, settings, django_capture_on_commit_callbacks
):
    published, withdrawn = two_tasks
    published_id, withdrawn_id = f"page:{published.pk}", f"page:{withdrawn.pk}"
    published_url, withdrawn_url = published.url, withdrawn.url
    assert in_elasticsearch(published_id) and in_elasticsearch(withdrawn_id)

    settings.ELASTICSEARCH_URL = down_url
    publish_and_withdraw(published, withdrawn, django_capture_on_commit_callbacks)

    # The database engine is right at once; Elasticsearch's part waits in the outbox.
    with override_settings(ELASTICSEARCH_URL=""):
        assert found(NEW_TITLE, published_url, engine="database")
    assert IndexEntry.objects.get(doc_id=published_id).title == NEW_TITLE
    assert not IndexEntry.objects.filter(doc_id=withdrawn_id).exists()
    pending = {row.doc_id: row for row in PendingIndexChange.objects.all()}
    assert {published_id, withdrawn_id} <= set(pending)
    assert all(row.attempts == 1 and row.next_attempt_at > timezone.now() for row in pending.values())
    assert "Connection refused" in pending[published_id].last_error

    settings.ELASTICSEARCH_URL = elasticsearch
    # Back, but nothing has been sent yet: the outage was real.
    documents.client().indices.refresh(index=documents.alias_name())
    assert not found(NEW_TITLE, published_url)
    assert in_elasticsearch(withdrawn_id)

    call_command("drain_search_outbox", "--all", verbosity=0)

    assert not PendingIndexChange.objects.exists()
    assert found(NEW_TITLE, published_url)  # no refresh of the test's own: the drain made it visible
    assert not in_elasticsearch(withdrawn_id)
    assert not found(withdrawn.title, withdrawn_url)


def elasticsearch_script(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "scripts/elasticsearch.sh", command], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_node_stopped_and_started_again_gets_what_was_published_and_withdrawn_meanwhile(
    two_tasks, elasticsearch, django_capture_on_commit_callbacks
):
    """The project's own Elasticsearch node (the one `make test` started) is really stopped, then started."""
    if elasticsearch_script("status").returncode != 0:
        pytest.fail("this test stops and restarts the checkout's own node: run it under `make test`")
    published, withdrawn = two_tasks
    published_id, withdrawn_id = f"page:{published.pk}", f"page:{withdrawn.pk}"
    stopped = elasticsearch_script("stop")
    try:
        assert stopped.returncode == 0, stopped.stderr
        publish_and_withdraw(published, withdrawn, django_capture_on_commit_callbacks)
        assert {published_id, withdrawn_id} <= set(PendingIndexChange.objects.values_list("doc_id", flat=True))
    finally:
        started = elasticsearch_script("start")
    assert started.returncode == 0, started.stderr

    call_command("drain_search_outbox", "--all", verbosity=0)  # what the supervised drain loop does every 30 s

    assert not PendingIndexChange.objects.exists()
    assert found(NEW_TITLE, published.url)
    assert not in_elasticsearch(withdrawn_id)


def test_a_drain_while_elasticsearch_is_still_down_keeps_the_changes_and_waits_longer(
    two_tasks, down_url, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_OUTBOX_RETRY, settings.SEARCH_OUTBOX_RETRY_MAX = 30, 3600
    settings.ELASTICSEARCH_URL = down_url
    publish_and_withdraw(*two_tasks, django_capture_on_commit_callbacks)
    before = {row.doc_id: row for row in PendingIndexChange.objects.all()}
    assert before and all(row.attempts == 1 for row in before.values())

    # Not due yet: a drain on the timer leaves them alone.
    call_command("drain_search_outbox", verbosity=0)
    assert {row.doc_id: row.attempts for row in PendingIndexChange.objects.all()} == dict.fromkeys(before, 1)

    started = timezone.now()
    call_command("drain_search_outbox", "--all", verbosity=0)
    for row in PendingIndexChange.objects.all():
        assert row.attempts == 2
        assert row.next_attempt_at > before[row.doc_id].next_attempt_at
        assert row.next_attempt_at >= started + timedelta(seconds=60)  # the delay doubled
        assert "Connection refused" in row.last_error
    assert set(PendingIndexChange.objects.values_list("doc_id", flat=True)) == set(before)


def test_the_first_write_elasticsearch_takes_again_sends_what_it_refused(
    two_tasks, elasticsearch, down_url, settings, django_capture_on_commit_callbacks
):
    published, withdrawn = two_tasks
    settings.ELASTICSEARCH_URL = down_url
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn.unpublish()
    assert PendingIndexChange.objects.filter(doc_id=f"page:{withdrawn.pk}", attempts=1).exists()

    settings.ELASTICSEARCH_URL = elasticsearch
    with django_capture_on_commit_callbacks(execute=True):
        published.title = NEW_TITLE
        published.save_revision().publish()

    # No drainer ran: the publish's own successful write queued the drain task.
    assert not PendingIndexChange.objects.exists()
    assert not in_elasticsearch(f"page:{withdrawn.pk}")
    assert found(NEW_TITLE, published.url)


def test_a_successful_write_leaves_nothing_waiting(two_tasks, django_capture_on_commit_callbacks):
    published, _ = two_tasks
    with django_capture_on_commit_callbacks(execute=True):
        published.title = NEW_TITLE
        published.save_revision().publish()
    assert not PendingIndexChange.objects.exists()


def test_a_document_waits_once_however_often_it_changes_and_a_newer_change_outlives_the_older_ones_send():
    first = outbox.queue(["page:1", "page:2"])
    second = outbox.queue(["page:1"])
    assert PendingIndexChange.objects.filter(doc_id="page:1").count() == 1
    outbox.settle(["page:1", "page:2"], {first})  # what a sender that read the first change settles
    assert list(PendingIndexChange.objects.values_list("doc_id", "version")) == [("page:1", second)]


@override_settings(SEARCH_OUTBOX_RETRY=30, SEARCH_OUTBOX_RETRY_MAX=3600)
def test_the_delay_doubles_up_to_its_maximum():
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 8, 1000)] == [30, 60, 120, 3600, 3600]


def test_a_drain_without_elasticsearch_configured_sends_nothing(database_search):
    outbox.queue(["page:1"])
    assert indexing.drain(everything=True) == (0, 1)
    assert PendingIndexChange.objects.filter(doc_id="page:1", attempts=0).exists()


def test_the_drain_loop_outlives_a_lost_database_connection(elasticsearch):
    """As after a PostgreSQL restart: the loop's connection is cut (only its own: the server keeps running);
    the round that meets it fails and is logged, the next one reconnects, and the process keeps running."""
    import os
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.db import connection

    name = f"drain-test-{uuid.uuid4().hex[:12]}"
    db = connection.settings_dict
    # A connection kept between rounds, as production keeps it (DB_CONN_MAX_AGE): the cut meets a round.
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}?application_name={name}&conn_max_age=600"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": url,
        "ELASTICSEARCH_URL": elasticsearch,
    }
    root = Path(__file__).resolve().parents[2]
    drainer = subprocess.Popen(
        [sys.executable, "manage.py", "drain_search_outbox", "--every", "0.2"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def backends() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the test's transaction sees one snapshot
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [name])
            return [pid for (pid,) in cursor.fetchall()]

    def wait_for(condition, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            assert drainer.poll() is None, drainer.communicate()[1][-3000:]
            time.sleep(0.2)
        pytest.fail("timed out")

    try:
        (first,) = wait_for(backends)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [first])
        (second,) = wait_for(lambda: [pid for pid in backends() if pid != first])
        assert second != first and drainer.poll() is None
    finally:
        drainer.terminate()
        _, stderr = drainer.communicate(timeout=30)
    assert "the database is unavailable" in stderr
