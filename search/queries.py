"""PortalSearch: the one place search queries are built, for Elasticsearch and the database alike.

Views pass a SearchParams and get a SearchResponse; they hold no query logic. Elasticsearch is used
when configured and answering; otherwise (or when it fails within SEARCH_TIMEOUT) the database
engine answers the same question with the same analysis, and the response says features are reduced.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime

from elasticsearch import ApiError, TransportError
from elasticsearch_dsl import Q, Search

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from . import chinese, documents, fallback
from .records import KIND_LABELS
from .snippets import make_snippet

MAX_QUERY_LENGTH = 100
MAX_PAGE = 100
# After a failure, leave Elasticsearch alone for a while rather than wait on every request.
ES_RETRY_AFTER = 30.0
_es_down_until: dict[str, float] = {}

# (title weight, body weight) per kind of term; the database engine uses the same numbers.
WEIGHTS = {"word": (6.0, 1.5), "synonym": (4.0, 1.0), "pinyin": (5.0, 1.0), "bigram": (1.0, 0.3)}
SYNONYMS_CACHE_KEY = "search:synonyms:v1"


def current_synonyms() -> chinese.Synonyms:
    """Built-in synonyms plus the ones staff keep in the admin; cached until a Synonym changes."""
    mapping = cache.get(SYNONYMS_CACHE_KEY)
    if mapping is None:
        from .models import Synonym

        mapping = {k: list(v) for k, v in chinese.default_synonyms().items()}
        for synonym in Synonym.objects.all():
            mapping.setdefault(synonym.term, [])
            mapping[synonym.term] = list(dict.fromkeys(mapping[synonym.term] + synonym.expansion_list()))
        cache.set(SYNONYMS_CACHE_KEY, mapping, 300)
    return chinese.Synonyms(mapping)


def forget_synonyms(**kwargs):
    """Staff edits take effect on the next search: no reindex, no restart."""
    cache.delete(SYNONYMS_CACHE_KEY)


@dataclass
class SearchParams:
    q: str = ""
    kind: str = ""
    domain: str = ""
    year: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    @classmethod
    def from_querydict(cls, data) -> "SearchParams":
        """Whatever arrives in the URL becomes something valid: bad values are dropped, not errors."""

        def integer(name, low, high):
            try:
                value = int(data.get(name, ""))
            except (TypeError, ValueError):
                return None
            return value if low <= value <= high else None

        kind = data.get("type", "")
        return cls(
            q=" ".join((data.get("q") or "").split())[:MAX_QUERY_LENGTH],
            kind=kind if kind in KIND_LABELS else "",
            domain=(data.get("domain") or "")[:50],
            year=integer("year", 1990, 2100),
            sort="date" if data.get("sort") == "date" else "relevance",
            page=integer("page", 1, MAX_PAGE) or 1,
        )

    @property
    def filters(self) -> dict:
        return {"kind": self.kind, "domain": self.domain, "year": self.year}


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    domain: str
    snippet: SafeString
    date: datetime | None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "type": self.kind,
            "domain": self.domain,
            "snippet": str(self.snippet),
            "date": timezone.localtime(self.date).strftime("%Y-%m-%d %H:%M") if self.date else None,
        }


@dataclass
class SearchResponse:
    params: SearchParams
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    engine: str = "database"
    notice: str = ""
    suggestions: list[str] = field(default_factory=list)
    corrected_from: str = ""
    took_ms: int = 0

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, (self.total + self.params.per_page - 1) // self.params.per_page)

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "results": [hit.to_json() for hit in self.hits],
            "facets": {
                name: [{"value": value, "label": label, "count": count} for value, label, count in items]
                for name, items in self.facets.items()
            },
            "engine": self.engine,
            "notice": self.notice,
            "suggestions": self.suggestions,
            "corrected_from": self.corrected_from,
            "page": self.params.page,
            "pages": self.pages,
        }


class PortalSearch:
    def __init__(self, params: SearchParams, synonyms: chinese.Synonyms | None = None):
        self.params = params
        self.synonyms = synonyms if synonyms is not None else current_synonyms()
        self.analysis = chinese.analyze_query(params.q, self.synonyms)

    # -- terms ---------------------------------------------------------------------------------
    def weighted_terms(self) -> list[tuple[str, float, float]]:
        """Every query term with its title and body weight, strongest first, each term once."""
        seen, terms = set(), []

        def add(items, kind):
            for term in items:
                if term and term not in seen:
                    seen.add(term)
                    terms.append((term, *WEIGHTS[kind]))

        add(self.analysis.words, "word")
        add(self.analysis.expanded, "synonym")
        add(self.analysis.pinyin, "pinyin")
        add(self.analysis.bigrams, "bigram")
        return terms

    def highlight_words(self) -> list[str]:
        return list(dict.fromkeys(self.analysis.words + self.analysis.expanded + self.analysis.bigrams))

    # -- entry point ---------------------------------------------------------------------------
    def execute(self) -> SearchResponse:
        started = time.perf_counter()
        response = self._run()
        if not response.total and self.params.q:
            response.suggestions = chinese.suggest_corrections(self.params.q, chinese.vocabulary())
            if response.suggestions:
                # Tolerate one wrong character: show the results of the closest known word.
                corrected = PortalSearch(SearchParams(**{**self.params.__dict__, "q": response.suggestions[0]}))
                retry = corrected._run()
                if retry.total:
                    retry.corrected_from = self.params.q
                    retry.suggestions = response.suggestions
                    response = retry
        response.took_ms = int((time.perf_counter() - started) * 1000)
        return response

    def _run(self) -> SearchResponse:
        if not self.weighted_terms():
            return SearchResponse(params=self.params)
        url = settings.ELASTICSEARCH_URL
        if documents.enabled() and time.monotonic() >= _es_down_until.get(url, 0.0):
            try:
                return self._elasticsearch()
            except (TransportError, ApiError, ConnectionError):
                _es_down_until[url] = time.monotonic() + ES_RETRY_AFTER
        response = self._database()
        if documents.enabled():
            response.notice = _("全文检索服务暂时不可用,当前为简化搜索,排序与筛选可能不够精确。")
        return response

    # -- Elasticsearch -------------------------------------------------------------------------
    def elasticsearch_query(self) -> Search:
        should = []
        for term, title_weight, body_weight in self.weighted_terms():
            should.append(Q("term", title_terms={"value": term, "boost": title_weight}))
            should.append(Q("term", body_terms={"value": term, "boost": body_weight}))
        if self.analysis.normalized and not self.analysis.is_pinyin:
            should.append(Q("match_phrase", title={"query": self.analysis.normalized, "boost": 3.0}))
        query = Q(
            "function_score",
            query=Q("bool", should=should, minimum_should_match=1),
            field_value_factor={"field": "boost", "missing": 1.0},
            boost_mode="multiply",
        )
        search = Search(using=documents.client(), index=documents.alias_name()).query(query)
        filters = [Q("term", **{name: value}) for name, value in self.params.filters.items() if value]
        if filters:
            search = search.post_filter("bool", filter=filters)
        search.aggs.bucket("kind", "terms", field="kind", size=20)
        search.aggs.bucket("domain", "terms", field="domain", size=20)
        search.aggs.bucket("year", "terms", field="year", size=20)
        if self.params.sort == "date":
            search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
        start = (self.params.page - 1) * self.params.per_page
        return search.source(["title", "url", "kind", "domain", "body", "date"])[start : start + self.params.per_page]

    def _elasticsearch(self) -> SearchResponse:
        result = self.elasticsearch_query().execute()
        words = self.highlight_words()
        hits = [
            Hit(
                title=doc.title,
                url=doc.url,
                kind=doc.kind,
                domain=doc.domain or "",
                snippet=make_snippet(doc.body or "", words),
                date=_parse_date(getattr(doc, "date", None)),
            )
            for doc in result
        ]
        aggs = result.aggregations
        facets = {name: [(b.key, b.doc_count) for b in aggs[name].buckets] for name in ("kind", "domain", "year")}
        return SearchResponse(
            params=self.params,
            total=result.hits.total.value,
            hits=hits,
            facets=self._label_facets(facets),
            engine="elasticsearch",
        )

    # -- database ------------------------------------------------------------------------------
    def _database(self) -> SearchResponse:
        per_page = self.params.per_page
        result = fallback.search(
            fallback.single_term_groups(self.weighted_terms()),
            self.params.filters,
            sort=self.params.sort,
            offset=(self.params.page - 1) * per_page,
            limit=per_page,
        )
        words = self.highlight_words()
        hits = [Hit(e.title, e.url, e.kind, e.domain, make_snippet(e.body, words), e.date) for e in result.entries]
        facets = {name: counter.most_common(20) for name, counter in result.facets.items()}
        return SearchResponse(
            params=self.params, total=result.total, hits=hits, facets=self._label_facets(facets), engine="database"
        )

    @staticmethod
    def _label_facets(facets: dict) -> dict:
        labelled = {}
        for name, items in facets.items():
            if name == "kind":
                labelled[name] = [(value, str(KIND_LABELS.get(value, value)), count) for value, count in items]
            elif name == "year":
                labelled[name] = sorted(((v, f"{v}年", c) for v, c in items), reverse=True)
            else:
                labelled[name] = [(value, value, count) for value, count in items]
        return labelled


def _parse_date(value):
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def autocomplete(prefix: str, limit: int = 8) -> list[dict]:
    """Titles and plan words that contain what has been typed so far (traditional folded).

    Only published titles and the plan's vocabulary, never the query log: what one resident types
    must not be offered to the next.
    """
    from .models import IndexEntry

    text = chinese.normalize(prefix)[:30]
    if not text:
        return []
    titles = IndexEntry.objects.filter(title__icontains=text).order_by("-boost", "title")
    suggestions = [
        {"label": e.title, "url": e.url, "type": e.kind} for e in titles.only("title", "url", "kind")[:limit]
    ]
    if len(suggestions) < limit:
        words = [w for w in chinese.vocabulary() if text in w and w != text][: limit - len(suggestions)]
        suggestions += [{"label": w, "url": None, "type": "term"} for w in words]
    return suggestions
