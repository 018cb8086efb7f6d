"""The Elasticsearch side: connection, the document mapping, and index/alias management.

Chinese is analysed in Python (search/chinese.py); the index stores those terms in fields with the
core `whitespace` analyzer, so it runs on Elasticsearch's minimal distribution and on a full
cluster alike. `title` and `body` also keep the `standard` analyzer for recall and phrase prefixes.
"""

import functools
from datetime import datetime

from elasticsearch import Elasticsearch
from elasticsearch_dsl import Date, Document, Float, Integer, Keyword, Text

from django.conf import settings

from .engine import alias_name

INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}


def client() -> Elasticsearch:
    """For searches: a short timeout, so a slow cluster falls back to the database quickly."""
    return _client_for(settings.ELASTICSEARCH_URL, settings.SEARCH_TIMEOUT)


def index_client() -> Elasticsearch:
    """For writes (bulk indexing, index and alias management): large bulk requests take seconds."""
    return _client_for(settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX_TIMEOUT)


@functools.cache
def _client_for(url: str, timeout: float) -> Elasticsearch:
    """One client per process and address; short timeouts and no retries so a dead cluster fails fast."""
    return Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)


class ContentDocument(Document):
    kind = Keyword()
    title = Text(analyzer="standard", fields={"raw": Keyword()})
    title_terms = Text(analyzer="whitespace", norms=True)
    body = Text(analyzer="standard")
    body_terms = Text(analyzer="whitespace")
    url = Keyword(index=False)
    domain = Keyword()
    date = Date()
    year = Integer()
    boost = Float()

    @classmethod
    def from_record(cls, record) -> "ContentDocument":
        return cls(
            meta={"id": record.doc_id},
            kind=record.kind,
            title=record.title,
            title_terms=record.title_terms(),
            body=record.body,
            body_terms=record.body_terms(),
            url=record.url,
            domain=record.domain,
            date=record.date,
            year=record.year,
            boost=record.boost,
        )


def new_index_name() -> str:
    return f"{alias_name()}-{datetime.now().strftime('%Y%m%d%H%M%S%f')}"


def create_index(name: str) -> None:
    mapping = ContentDocument._doc_type.mapping.to_dict()
    index_client().indices.create(index=name, settings=INDEX_SETTINGS, mappings=mapping)


def current_indices() -> list[str]:
    alias = alias_name()
    if not index_client().indices.exists_alias(name=alias):
        return []
    return list(index_client().indices.get_alias(name=alias))


def swap_alias(new_index: str) -> list[str]:
    """Point the alias at `new_index` in one atomic step; returns the indices it left."""
    alias = alias_name()
    old = current_indices()
    actions = [{"remove": {"index": index, "alias": alias}} for index in old]
    actions.append({"add": {"index": new_index, "alias": alias}})
    index_client().indices.update_aliases(actions=actions)
    return old


def ensure_index() -> None:
    """Create an index behind the alias when there is none (first start of a new cluster)."""
    if not current_indices():
        name = new_index_name()
        create_index(name)
        swap_alias(name)
