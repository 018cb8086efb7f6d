"""PortalSearch: the one place search queries are built, for Elasticsearch and the database alike.

Views pass a SearchParams and get a SearchResponse; they hold no query logic. Elasticsearch is used
when configured and answering; otherwise (or when it fails within SEARCH_TIMEOUT) the database
engine answers the same question with the same analysis, and the response says features are reduced.
"""

import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.core.script import in_script

from . import chinese, concepts, engine, fallback
from .records import KIND_BOOST, KIND_LABELS, sample_doc_ids
from .snippets import make_snippet

if TYPE_CHECKING:
    from elasticsearch_dsl import Search

MAX_QUERY_LENGTH = 100
MAX_PAGE = 100
# After a failure, leave Elasticsearch alone for a while rather than wait on every request.
ES_RETRY_AFTER = 30.0
_es_down_until: dict[str, float] = {}

# Ranking (Elasticsearch; the database engine has its own numbers for the same ideas in fallback.py).
# Term weights by kind are in concepts.WEIGHTS.
TIE_BREAKER = 0.1  # a concept's second-best term adds a little: its best one is what counts
# For holding every concept of the query (a plan page beats an update holding one of them), as typed or
# only through the plan's words for it; a page holding some of the concepts gets the matching root.
EXACT_FACTOR = 3.0
SYNONYM_FACTOR = 2.0
PHRASE_BOOST = 3.0  # the query as typed, whole, in the title
# Fewer results than this, or a best one that misses a concept, is "weak": a correction may do better.
WEAK_TOTAL = 3
SYNONYMS_CACHE_KEY = "search:synonyms:v2"


# The Synonyms built from the cached mapping, by the mapping's version: building one normalises every
# entry (OpenCC), which costs more than the search itself, so each process builds each version once.
_built_synonyms: dict[str, chinese.Synonyms] = {}


def current_synonyms() -> chinese.Synonyms:
    """Built-in synonyms plus the ones staff keep in the admin; rebuilt when a Synonym changes."""
    cached = cache.get(SYNONYMS_CACHE_KEY)
    if cached is None:
        from .models import Synonym

        mapping = {k: list(v) for k, v in chinese.default_synonyms().items()}
        for synonym in Synonym.objects.all():
            mapping.setdefault(synonym.term, [])
            mapping[synonym.term] = list(dict.fromkeys(mapping[synonym.term] + synonym.expansion_list()))
        cached = (uuid.uuid4().hex, mapping)
        cache.set(SYNONYMS_CACHE_KEY, cached, 300)
    version, mapping = cached
    synonyms = _built_synonyms.get(version)
    if synonyms is None:
        synonyms = chinese.Synonyms(mapping)
        _built_synonyms.clear()  # only the current version is worth keeping
        _built_synonyms[version] = synonyms
    return synonyms


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
    correct: bool = True  # False: the resident asked for exactly what they typed ("仍然搜索")

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
            correct=data.get("nc") != "1",
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
    doc_id: str = ""
    # Shows sample data (an indicator's latest value, a demo update): labelled 示例数据 wherever it is listed.
    is_sample: bool = False

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
            "is_sample": self.is_sample,
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
    weak: bool = False

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
        self.plan = concepts.plan_query(params.q, self.synonyms)

    # -- terms ---------------------------------------------------------------------------------
    def weighted_terms(self) -> list[tuple[str, float, float]]:
        """Every query term with its title and body weight, each term once."""
        return self.plan.weighted_terms()

    # -- entry point ---------------------------------------------------------------------------
    def execute(self) -> SearchResponse:
        started = time.perf_counter()
        response = self._run()
        if self.params.q and self.params.correct:
            response = self._corrected(response)
        response.took_ms = int((time.perf_counter() - started) * 1000)
        return response

    def _corrected(self, response: SearchResponse) -> SearchResponse:
        """Offer the plan's word when one character looks wrong, and show its results instead when the
        query's own are few or weak (the best one does not hold every concept of the query)."""
        corrected = chinese.correct_query(self.params.q)
        if corrected:
            response.suggestions = [corrected]
            if response.weak:
                retry = PortalSearch(replace(self.params, q=corrected), self.synonyms)._run()
                if retry.total and not retry.weak:
                    retry.corrected_from = self.params.q
                    retry.suggestions = [corrected]
                    return retry
        elif not response.total:
            response.suggestions = chinese.suggest_corrections(self.params.q, chinese.vocabulary())
            if response.suggestions:
                retry = PortalSearch(replace(self.params, q=response.suggestions[0]), self.synonyms)._run()
                if retry.total:
                    retry.corrected_from = self.params.q
                    retry.suggestions = response.suggestions[1:]
                    return retry
        return response

    def _run(self) -> SearchResponse:
        response = self._search()
        # Whether a hit shows sample data is read now, not from the index: a sample value replaced by a
        # real one is then unlabelled at once, without waiting for the page to be indexed again.
        samples = sample_doc_ids([hit.doc_id for hit in response.hits])
        for hit in response.hits:
            hit.is_sample = hit.doc_id in samples
        return response

    def _search(self) -> SearchResponse:
        if not self.plan.groups():
            return SearchResponse(params=self.params)
        url = settings.ELASTICSEARCH_URL
        if engine.enabled() and time.monotonic() >= _es_down_until.get(url, 0.0):
            # The client is loaded by a process's first search, not by every worker (engine.py says why).
            from elasticsearch import ApiError, TransportError

            try:
                return self._elasticsearch()
            except (TransportError, ApiError, ConnectionError):
                _es_down_until[url] = time.monotonic() + ES_RETRY_AFTER
        response = self._database()
        if engine.enabled():
            response.notice = _("全文检索服务暂时不可用,当前为简化搜索,排序与筛选可能不够精确。")
        return response

    def _hit(self, doc_id, title, url, kind, domain, body, date) -> Hit:
        # Indexed as the simplified page's URL: a reader of /zh-hant/search/ is sent to the traditional page.
        return Hit(title, in_script(url), kind, domain or "", make_snippet(body or "", self.plan), date, doc_id)

    def _weak(self, total: int, first) -> bool:
        """Few results, or a best result that does not hold every concept of the query (by relevance: in
        date order the first result says nothing about how well the query matched)."""
        if self.params.sort != "relevance":
            return total < WEAK_TOTAL
        if total < WEAK_TOTAL or first is None:
            return True
        return not self.plan.covers(chinese.normalize(f"{first.title} {first.body}"))

    # -- Elasticsearch -------------------------------------------------------------------------
    def elasticsearch_query(self) -> "Search":
        """Concept by concept: the best term of each concept counts (dis_max), concepts add up, a
        document holding every concept gets a bonus, and the kind of page multiplies the whole."""
        from elasticsearch_dsl import Q, Search

        from . import documents

        groups = []
        for group in self.plan.groups():
            alternatives = [
                Q(
                    "bool",
                    should=[
                        Q("term", title_terms={"value": term, "boost": title_weight}),
                        Q("term", body_terms={"value": term, "boost": body_weight}),
                    ],
                )
                for term, title_weight, body_weight in group
            ]
            groups.append(Q("dis_max", queries=alternatives, tie_breaker=TIE_BREAKER))
        should = list(groups)
        if self.plan.phrase and len(self.plan.phrase) >= 2:
            should.append(Q("match_phrase", title={"query": self.plan.phrase, "boost": PHRASE_BOOST}))
        # Multipliers rather than additions, so they hold whatever the size of the BM25 scores: the kind
        # of page, and each concept of the query the page holds through a real word (not a bigram or a
        # sound): the word as typed counts more than the plan's word for it, and a page holding every
        # concept the most (graded: a long question's best page holds most of its concepts, not all).
        functions = [{"filter": Q("term", kind=kind), "weight": weight} for kind, weight in KIND_BOOST.items()]
        required = self.plan.required()
        for concept in required:
            exact = [t for t, kind in concept.terms if kind in ("word", "pinyin")]
            plans = [t for t, kind in concept.terms if kind == "synonym"]
            holds_exact = Q("terms", title_terms=exact) | Q("terms", body_terms=exact)
            functions.append({"filter": holds_exact, "weight": EXACT_FACTOR ** (1 / len(required))})
            if plans:
                # A resident's word the plan never uses (揾工, hospital) is said in full by the plan's words.
                factor = SYNONYM_FACTOR if concept.in_plan else EXACT_FACTOR
                holds_plans = Q("terms", title_terms=plans) | Q("terms", body_terms=plans)
                functions.append({"filter": holds_plans & ~holds_exact, "weight": factor ** (1 / len(required))})
        query = Q(
            "function_score",
            query=Q("bool", should=should, minimum_should_match=1),
            functions=functions,
            score_mode="multiply",
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
        docs = list(result)
        hits = [
            self._hit(d.meta.id, d.title, d.url, d.kind, d.domain, d.body, _parse_date(getattr(d, "date", None)))
            for d in docs
        ]
        aggs = result.aggregations
        facets = {name: [(b.key, b.doc_count) for b in aggs[name].buckets] for name in ("kind", "domain", "year")}
        total = result.hits.total.value
        return SearchResponse(
            params=self.params,
            total=total,
            hits=hits,
            facets=self._label_facets(facets),
            engine="elasticsearch",
            weak=self._weak(total, docs[0] if docs else None),
        )

    # -- database ------------------------------------------------------------------------------
    def _database(self) -> SearchResponse:
        per_page = self.params.per_page
        result = fallback.search(
            self.plan.groups(),
            self.params.filters,
            sort=self.params.sort,
            offset=(self.params.page - 1) * per_page,
            limit=per_page,
        )
        hits = [self._hit(e.doc_id, e.title, e.url, e.kind, e.domain, e.body, e.date) for e in result.entries]
        facets = {name: counter.most_common(20) for name, counter in result.facets.items()}
        return SearchResponse(
            params=self.params,
            total=result.total,
            hits=hits,
            facets=self._label_facets(facets),
            engine="database",
            weak=self._weak(result.total, result.entries[0] if result.entries else None),
        )

    @staticmethod
    def _label_facets(facets: dict) -> dict:
        labelled = {}
        for name, items in facets.items():
            if name == "kind":
                labelled[name] = [(value, str(KIND_LABELS.get(value, value)), count) for value, count in items]
            elif name == "year":
                labelled[name] = sorted(((v, f"{v}年", c) for v, c in items), reverse=True)
            else:  # a record outside every domain (mechanisms, the plan document) gets no domain bucket
                labelled[name] = [(value, value, count) for value, count in items if value]
        return labelled


def _parse_date(value):
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def autocomplete(prefix: str, limit: int = 8) -> list[dict]:
    """What has been typed so far, completed: the plan's own terms first (also from a pinyin prefix:
    "jiao" offers 教育, "shebao" 社保), then distinct page titles, broad pages before updates.

    Only published titles and the plan's vocabulary, never the query log: what one resident types
    must not be offered to the next.
    """
    from .models import IndexEntry

    text = chinese.normalize(prefix)[:30]
    if not text:
        return []
    terms = chinese.complete_term(text, limit=max(2, limit // 2))
    suggestions = [{"label": w, "url": None, "type": "term"} for w in terms]
    seen = {text, *terms}
    if not text.isascii():
        titles = IndexEntry.objects.filter(title__icontains=text).order_by("-boost", "title")
        for entry in titles.only("title", "url", "kind")[: limit * 4]:
            if len(suggestions) >= limit:
                break
            if entry.title not in seen:
                seen.add(entry.title)
                suggestions.append({"label": entry.title, "url": in_script(entry.url), "type": entry.kind})
    if len(suggestions) < limit:
        more = [w for w in chinese.complete_term(text, limit=limit) if w not in seen]
        suggestions += [{"label": w, "url": None, "type": "term"} for w in more[: limit - len(suggestions)]]
    return suggestions
