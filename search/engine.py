"""Whether Elasticsearch answers searches (ELASTICSEARCH_URL set) and the alias it answers from.

Kept apart from documents.py, which holds the Elasticsearch client and mapping: deciding which engine to
use must not import the client. A gunicorn worker that only serves pages (most of them, from the page
cache) then never loads elasticsearch and elasticsearch-dsl, some 25 MB of each worker's memory
(bench/cache.sh, worker RSS); the first search or index write in a process loads them.
"""

from django.conf import settings


def enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def alias_name() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-content"
