"""The database engine: the same Python-analysed terms as Elasticsearch, matched in the index table.

Used when no ELASTICSEARCH_URL is set (make run) or when the cluster does not answer in time.
Candidates are found with token-bounded substring matches on the space-separated term columns, then
scored in Python with the same weights the Elasticsearch query uses, so both engines rank alike.
"""

from collections import Counter

from django.db.models import Q

from .models import IndexEntry

MAX_TERMS = 24
MAX_CANDIDATES = 3000


def _matches(column: str, term: str) -> Q:
    return Q(**{f"{column}__contains": f" {term} "})


def search(weighted_terms: list[tuple[str, float, float]], filters: dict):
    """Return (candidates scored best first, facet counters) for the weighted terms.

    `weighted_terms` holds (term, title_weight, body_weight); facets are counted before the
    kind/domain/year filters are applied, as the Elasticsearch engine does with post_filter.
    """
    terms = weighted_terms[:MAX_TERMS]
    if not terms:
        return [], {"kind": Counter(), "domain": Counter(), "year": Counter()}
    condition = Q()
    for term, _, _ in terms:
        condition |= _matches("title_terms", term) | _matches("body_terms", term)
    fields = ("doc_id", "kind", "title", "url", "domain", "body", "date", "year", "title_terms", "body_terms", "boost")
    candidates = list(IndexEntry.objects.filter(condition).only(*fields)[:MAX_CANDIDATES])
    facets = {
        "kind": Counter(e.kind for e in candidates),
        "domain": Counter(e.domain for e in candidates if e.domain),
        "year": Counter(e.year for e in candidates if e.year),
    }
    scored = []
    for entry in candidates:
        if any(value and str(getattr(entry, key)) != str(value) for key, value in filters.items()):
            continue
        score = 0.0
        for term, title_weight, body_weight in terms:
            needle = f" {term} "
            title_hits = entry.title_terms.count(needle)
            body_hits = min(entry.body_terms.count(needle), 5)
            score += title_weight * min(title_hits, 2) + body_weight * body_hits
        if score > 0:
            # Shorter titles that match are more specific: a mild length normalisation, as BM25 has.
            length = max(len(entry.title_terms.split()), 1)
            scored.append((score * entry.boost / (1 + length / 40), entry))
    scored.sort(key=lambda pair: (-pair[0], pair[1].title))
    return scored, facets
