"""The outbox's bookkeeping: which documents Elasticsearch has yet to take, and when to try again.

indexing.py queues a document in the transaction that changes its index table row, settles it once
Elasticsearch took the change and postpones it, with exponential backoff, when Elasticsearch did not.
"""

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import PendingIndexChange


def queue(doc_ids: Collection[str]) -> uuid.UUID:
    """Mark documents as changed (one row per document however often); returns this change's version.

    A document already waiting keeps its attempts and backoff: its new change is sent at once by the
    caller anyway, and the backoff says how long Elasticsearch has been refusing.
    """
    version = uuid.uuid4()
    PendingIndexChange.objects.bulk_create(
        [PendingIndexChange(doc_id=doc_id, version=version) for doc_id in doc_ids],
        update_conflicts=True,
        unique_fields=["doc_id"],
        update_fields=["version"],
    )
    return version


def settle(doc_ids: Collection[str], versions: Collection[uuid.UUID]) -> None:
    """Elasticsearch took these versions; a document changed again since stays queued."""
    PendingIndexChange.objects.filter(doc_id__in=doc_ids, version__in=versions).delete()


def retry_delay(attempts: int) -> timedelta:
    """SEARCH_OUTBOX_RETRY seconds after the first failure, doubling up to SEARCH_OUTBOX_RETRY_MAX."""
    delay = settings.SEARCH_OUTBOX_RETRY * 2 ** min(max(attempts - 1, 0), 32)
    return timedelta(seconds=min(delay, settings.SEARCH_OUTBOX_RETRY_MAX))


def postpone(errors: Mapping[str, str], now: datetime | None = None) -> None:
    """Elasticsearch refused these documents (doc_id → why): count the attempt and wait longer."""
    now = now or timezone.now()
    rows = list(PendingIndexChange.objects.filter(doc_id__in=errors))
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.last_error = errors[row.doc_id][:1000]
    PendingIndexChange.objects.bulk_update(rows, ["attempts", "next_attempt_at", "last_error"])


def have_failed() -> bool:
    """Whether some change has been refused before (Elasticsearch was down, and may be back)."""
    return PendingIndexChange.objects.filter(attempts__gt=0).exists()
