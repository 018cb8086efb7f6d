"""The one indexer: content changes reach both the database index table and Elasticsearch.

Signals only enqueue tasks (django-tasks); the work runs off the request path in a worker
(`manage.py db_worker` with the database backend) or at once with the immediate backend (tests,
`make run`). An Elasticsearch failure never blocks publishing: the database table is always
written, and each change is queued in the outbox (search/outbox.py) in the same transaction, so a
change Elasticsearch did not take is sent again by `drain()` (the `drain_search_outbox` command, and
a task queued as soon as Elasticsearch takes a write again) until it does.
"""

import logging
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from django_tasks import task

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from wagtail.signals import page_published, page_unpublished, post_page_move

from . import chinese, engine, outbox, records
from .models import IndexEntry, PendingIndexChange

logger = logging.getLogger("portal.search")


# Below this many records, starting processes costs more than it saves.
PARALLEL_MIN_RECORDS = 1000


def _analyse_texts(texts: tuple[str, str, tuple[str, ...]]) -> tuple[str, str]:
    return records.analyse(*texts)


def analyse(items: list[records.SearchRecord], workers: int | None = None, min_records: int | None = None) -> None:
    """Give every record its terms, across processes when there are many (a full rebuild).

    Analysis (jieba above all) is most of a rebuild's time and runs in pure Python, so one
    process would use one core. Workers are forked after the dictionaries are loaded, so they
    start at once and share them. A forked worker never uses the parent's database or
    Elasticsearch connections, and multiprocessing ends it with os._exit(), so it never closes
    them either.
    """
    workers = settings.SEARCH_INDEX_WORKERS if workers is None else workers
    min_records = PARALLEL_MIN_RECORDS if min_records is None else min_records
    pending = [record for record in items if not record.analysed]
    if workers <= 1 or len(pending) < min_records:
        for record in pending:
            record.title_terms()
        return
    chinese.warm_up()
    texts = [(record.title, record.body, tuple(record.context)) for record in pending]
    chunk = max(1, len(texts) // (workers * 8))  # small enough to keep every worker busy to the end
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for record, terms in zip(pending, pool.map(_analyse_texts, texts, chunksize=chunk), strict=True):
            record.set_terms(terms)


def _entry_values(record: records.SearchRecord) -> dict:
    return {
        "kind": record.kind,
        "title": record.title[:255],
        "url": record.url[:255],
        "domain": record.domain,
        "body": record.body,
        "date": record.date,
        "year": record.year,
        "title_terms": f" {record.title_terms()} ",
        "body_terms": f" {record.body_terms()} ",
        "boost": record.boost,
    }


def replace_database(items: Iterable[records.SearchRecord], batch_size: int = 500) -> None:
    """Rebuild the whole table in one transaction with bulk inserts (readers see old or new, never half)."""
    with transaction.atomic():
        IndexEntry.objects.all().delete()
        IndexEntry.objects.bulk_create(
            (IndexEntry(doc_id=r.doc_id, **_entry_values(r)) for r in items), batch_size=batch_size
        )


def write_database(items: Iterable[records.SearchRecord]) -> None:
    with transaction.atomic():
        for record in items:
            IndexEntry.objects.update_or_create(doc_id=record.doc_id, defaults=_entry_values(record))


def write(items: Iterable[records.SearchRecord]) -> int:
    """Index records in both engines; returns how many."""
    items = list(items)
    with transaction.atomic():
        write_database(items)
        version = outbox.queue([r.doc_id for r in items]) if items and engine.enabled() else None
    if version:
        _send_change({r.doc_id: _index_action(r) for r in items}, version)
    return len(items)


def remove(doc_ids: Iterable[str], *, refresh: bool = False) -> None:
    """Remove records from both engines; `refresh` makes Elasticsearch's delete visible to the next search."""
    doc_ids = list(doc_ids)
    with transaction.atomic():
        IndexEntry.objects.filter(doc_id__in=doc_ids).delete()
        version = outbox.queue(doc_ids) if doc_ids and engine.enabled() else None
    if version:
        _send_change({doc_id: _delete_action(doc_id) for doc_id in doc_ids}, version, refresh=refresh)


def _send_change(actions: dict[str, dict], version, *, refresh: bool = False) -> None:
    if _send(actions, versions={version}, refresh=refresh) is not None and outbox.have_failed():
        # Elasticsearch answers again: what it refused while it was down need not wait out its backoff.
        drain_search_outbox.enqueue()


def _index_action(record: records.SearchRecord) -> dict:
    from . import documents  # the Elasticsearch client, loaded by the first write (engine.py says why)

    return documents.ContentDocument.from_record(record).to_dict(include_meta=True)


def _delete_action(doc_id: str) -> dict:
    return {"_op_type": "delete", "_id": doc_id}


def _send(actions: dict[str, dict], *, versions: set, refresh: bool = False) -> int | None:
    """Send one action per document; settle in the outbox what Elasticsearch took, postpone the rest.

    Returns how many it took, None when it did not answer.
    """
    from elasticsearch import ApiError, TransportError
    from elasticsearch.helpers import bulk

    from . import documents

    try:
        documents.ensure_index()
        _, errors = bulk(
            documents.index_client(),
            actions.values(),
            index=documents.alias_name(),
            raise_on_error=False,
            refresh=refresh,
        )
    except (TransportError, ApiError) as error:
        # repr: a ConnectionError's str() is only "Connection error", its message says which and why.
        logger.warning("Elasticsearch did not take %d changes, kept for retry: %r", len(actions), error)
        outbox.postpone(dict.fromkeys(actions, repr(error)))
        return None
    refused = {}
    for item in errors:
        ((op_type, info),) = item.items()
        if not (op_type == "delete" and info.get("status") == 404):  # a delete finding nothing is done
            refused[info["_id"]] = str(info.get("error") or info.get("status"))
    outbox.settle([doc_id for doc_id in actions if doc_id not in refused], versions)
    if refused:
        logger.warning("Elasticsearch refused %d changes, kept for retry: %s", len(refused), refused)
        outbox.postpone(refused)
    return len(actions) - len(refused)


def _entry_record(entry: IndexEntry) -> records.SearchRecord:
    """The record a table row was written from, terms included, so a retry needs no analysis.

    The row is the state to send; only a title or address longer than its 255 characters differs.
    """
    record = records.SearchRecord(
        doc_id=entry.doc_id,
        kind=entry.kind,
        title=entry.title,
        url=entry.url,
        body=entry.body,
        domain=entry.domain,
        date=entry.date,
    )
    record.set_terms((entry.title_terms.strip(), entry.body_terms.strip()))
    return record


def drain(*, everything: bool = False, batch_size: int = 200) -> tuple[int, int]:
    """Send the documents waiting in the outbox, as the index table has them now: (sent, still waiting).

    Only those due, unless `everything` (Elasticsearch has just taken a write: it is back). Each batch
    holds its rows locked while it sends, so a change committed meanwhile waits and is sent after this
    older state, never before it; a second drainer skips them.
    """
    if not engine.enabled():
        return 0, PendingIndexChange.objects.count()
    sent, last_pk = 0, 0
    while True:
        with transaction.atomic():
            pending = PendingIndexChange.objects.filter(pk__gt=last_pk)
            if not everything:
                pending = pending.due(timezone.now())
            batch = list(pending.select_for_update(skip_locked=True).order_by("pk")[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            doc_ids = [row.doc_id for row in batch]
            entries = {e.doc_id: e for e in IndexEntry.objects.filter(doc_id__in=doc_ids)}
            actions = {
                doc_id: _index_action(_entry_record(entries[doc_id])) if doc_id in entries else _delete_action(doc_id)
                for doc_id in doc_ids
            }
            # Refreshed: a document withdrawn while Elasticsearch was down must not be found a second longer.
            taken = _send(actions, versions={row.version for row in batch}, refresh=True)
        if taken is None:
            break  # still down: the rest waits for its own next attempt
        sent += taken
    return sent, PendingIndexChange.objects.count()


# -- tasks ---------------------------------------------------------------------------------------


@task()
def index_pages(page_ids: list[int]) -> None:
    """(Re)index pages and their descendants; pages no longer public leave the index."""
    from wagtail.models import Page

    for page in Page.objects.filter(pk__in=page_ids):
        subtree = Page.objects.descendant_of(page, inclusive=True).specific()
        keep, drop = [], []
        for node in subtree:
            record = records.record_for_page(node) if type(node).__name__ in records.PAGE_KINDS else None
            (keep if record else drop).append(record or records.page_doc_id(node))
        write(keep)
        remove(drop)


@task()
def drain_search_outbox() -> None:
    """Everything waiting in the outbox, now that Elasticsearch answers again."""
    drain(everything=True)


@task()
def remove_pages(page_ids: list[int]) -> None:
    remove(f"page:{pk}" for pk in page_ids)


@task()
def index_snippets() -> None:
    """Departments and documents are few: reindex them together."""
    write(list(records.department_records()) + list(records.document_records()))


@task()
def index_answer(submission_id: int) -> None:
    """One citizen's answer: in both engines while published, out of both as soon as it is not."""
    from portal.participation.models import Submission

    published = list(records.answer_records(Submission.objects.filter(pk=submission_id)))
    if published:
        write(published)
    else:
        # Withdrawn, rejected or deleted: not one more search may find it, so refresh for this delete
        # rather than wait for Elasticsearch's next scheduled refresh.
        remove([records.answer_doc_id(submission_id)], refresh=True)


# -- signals -------------------------------------------------------------------------------------


def _enqueue(task_, *args):
    # After commit, so a worker never reads a state older than the one that triggered it.
    transaction.on_commit(lambda: task_.enqueue(*args))


def on_page_published(sender, instance, **kwargs):
    _enqueue(index_pages, [instance.pk])


def on_page_unpublished(sender, instance, **kwargs):
    _enqueue(index_pages, [instance.pk])


def on_page_moved(sender, instance, **kwargs):
    _enqueue(index_pages, [instance.pk])


def on_page_deleted(sender, instance, **kwargs):
    _enqueue(remove_pages, [instance.pk])


def on_snippet_changed(sender, instance, **kwargs):
    _enqueue(index_snippets)


def on_measurement_changed(sender, instance, **kwargs):
    # An indicator's record carries its latest published value.
    _enqueue(index_pages, [instance.indicator_id])


def _answer_indexed(submission_id: int) -> bool:
    return IndexEntry.objects.filter(doc_id=records.answer_doc_id(submission_id)).exists()


def on_submission_saved(sender, instance, created, **kwargs):
    # An answer approved for publication is (re)indexed. One that is no longer approved, or no longer
    # answered or allowed to be published, leaves the index if it is there: the index table tells
    # (written together with Elasticsearch) without knowing the state before the save. A citizen's
    # new submission is never public, so it costs neither a query nor a task.
    if instance.is_public or (not created and _answer_indexed(instance.pk)):
        _enqueue(index_answer, instance.pk)


def on_submission_deleted(sender, instance, **kwargs):
    if _answer_indexed(instance.pk):
        _enqueue(index_answer, instance.pk)


def connect_signals():
    from wagtail.models import Page

    from portal.participation.models import Submission
    from portal.plan.models import Department, Measurement, SourceDocument

    post_save.connect(on_submission_saved, sender=Submission, dispatch_uid="search_submission_saved")
    post_delete.connect(on_submission_deleted, sender=Submission, dispatch_uid="search_submission_deleted")
    page_published.connect(on_page_published, dispatch_uid="search_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search_page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search_page_moved")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="search_page_deleted")
    for model in (Department, SourceDocument):
        post_save.connect(on_snippet_changed, sender=model, dispatch_uid=f"search_{model.__name__}_saved")
        post_delete.connect(on_snippet_changed, sender=model, dispatch_uid=f"search_{model.__name__}_deleted")
    post_save.connect(on_measurement_changed, sender=Measurement, dispatch_uid="search_measurement_saved")
    post_delete.connect(on_measurement_changed, sender=Measurement, dispatch_uid="search_measurement_deleted")
