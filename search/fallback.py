"""The database engine: the same Python-analysed terms as Elasticsearch, looked up in an index of the table.

Used when no ELASTICSEARCH_URL is set (make run) or when the cluster does not answer in time.
Migration 0004 indexes the terms of search_indexentry: GIN-indexed tsvector columns on PostgreSQL,
an FTS5 table on SQLite (no other database is supported). A search runs three statements, however
large the table and however many rows match:

1. postings: for each distinct query term, the ids of the rows whose title and whose body hold it
   (each answered by the index), and the number of rows;
2. facets: kind × domain × year counted over every matching row, before the filters (as
   Elasticsearch's post_filter does); the filtered total is summed from the same counts;
3. the page: the matching rows that pass the filters, ordered by the score computed in Python from
   the postings (or by date), with only the page's rows fetched whole.

Scoring, over ids only: a query is a list of groups (its concepts), each a list of alternatives
(term, title weight, body weight). For each group the best alternative a row holds counts: its title
weight if the term is in the title, plus its body weight if in the body, times the term's rarity
idf = ln(1 + N / (1 + df)). Groups are summed; the sum grows with the share of groups matched, then
with the row's boost, and shrinks mildly with the title's length (BM25-like specificity).
"""

import json
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import NotSupportedError, connection

from .models import IndexEntry

# -- ranking ---------------------------------------------------------------------------------------
# Score = sum over groups of (best alternative's weights × idf)
#         × (1 + COVERAGE_BONUS × (groups matched / groups) ** COVERAGE_POWER)
#         × boost / (1 + title terms / TITLE_LENGTH_NORM)
COVERAGE_BONUS = 3.0  # a row holding every concept scores 4× one holding almost none
COVERAGE_POWER = 2
TITLE_LENGTH_NORM = 40.0
MAX_TERMS = 24  # distinct terms looked up per search; the first groups' terms come first
# Scores travel to the database as whole millionths: spelling out thousands of floats in the query
# took longer than running it.
SCORE_SCALE = 1_000_000

SORTS = ("relevance", "date")
FACETS = ("kind", "domain", "year")
PAGE_FIELDS = ("id", "doc_id", "kind", "title", "url", "domain", "body", "date", "year", "boost")

Alternative = tuple[str, float, float]  # (term, title weight, body weight)
Group = list[Alternative]


@dataclass
class DatabaseResult:
    """The number of matches that pass the filters, one page of them, and facets of all matches."""

    total: int = 0
    entries: list[IndexEntry] = field(default_factory=list)
    facets: dict[str, Counter] = field(default_factory=lambda: {name: Counter() for name in FACETS})


def search(
    groups: list[Group], filters: dict, *, sort: str = "relevance", offset: int = 0, limit: int = 10
) -> DatabaseResult:
    """The rows matching any term of `groups`: exact total and facets, and one page of entries.

    `filters` maps kind / domain / year to a value (empty: no filter); facets ignore them.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, not {sort!r}")
    backend = _backend()
    groups, terms = _limit_terms(groups)
    if not terms:
        return DatabaseResult()
    title_ids, body_ids, documents = backend.postings(terms)
    scores = _scores(groups, terms, title_ids, body_ids, documents)
    if not scores:
        return DatabaseResult()
    facets, total = backend.facets(scores, filters)
    entries = backend.page(scores, filters, sort, offset, limit) if total and limit > 0 else []
    return DatabaseResult(total=total, entries=entries, facets=facets)


def _limit_terms(groups: list[Group]) -> tuple[list[list[tuple[int, float, float]]], list[str]]:
    """Groups with each term replaced by its index in the distinct terms (at most MAX_TERMS)."""
    index: dict[str, int] = {}
    limited = []
    for group in groups:
        alternatives = []
        for term, title_weight, body_weight in group:
            term = term.strip()
            if not term or (term not in index and len(index) >= MAX_TERMS):
                continue
            alternatives.append((index.setdefault(term, len(index)), title_weight, body_weight))
        if alternatives:
            limited.append(alternatives)
    return limited, list(index)


def _scores(groups, terms, title_ids, body_ids, documents) -> dict[int, float]:
    """Relevance before boost and title length, for every row holding at least one term."""
    idf = [math.log(1 + documents / (1 + len(title_ids[i] | body_ids[i]))) for i in range(len(terms))]
    total: dict[int, float] = {}
    matched: dict[int, int] = {}
    for group in groups:
        best: dict[int, float] = {}
        for i, title_weight, body_weight in group:
            title, body = title_ids[i], body_ids[i]
            for ids, weight in (
                (body - title, body_weight * idf[i]),
                (title - body, title_weight * idf[i]),
                (title & body, (title_weight + body_weight) * idf[i]),
            ):
                if weight <= 0:
                    continue
                if not best:
                    best = dict.fromkeys(ids, weight)
                    continue
                for pk in ids:
                    if weight > best.get(pk, 0.0):
                        best[pk] = weight
        for pk, weight in best.items():
            total[pk] = total.get(pk, 0.0) + weight
            matched[pk] = matched.get(pk, 0) + 1
    count = len(groups)
    return {pk: score * (1 + COVERAGE_BONUS * (matched[pk] / count) ** COVERAGE_POWER) for pk, score in total.items()}


# -- SQL per database --------------------------------------------------------------------------------

_FILTER_COLUMNS = {"kind": "e.kind", "domain": "e.domain", "year": "e.year"}


class _Backend:
    """The three statements of a search. A subclass gives the SQL that reads the index
    (`postings_sql`), the FROM items that turn one parameter into the rows (id) or (id, score) of the
    matches (`matched_sql`, `scored_sql`), how to read the short columns of thousands of rows
    (`short_rows`, aliased e), and how terms and ids travel as parameters."""

    short_rows = "search_indexentry AS e"

    def postings(self, terms: list[str]) -> tuple[list[set[int]], list[set[int]], int]:
        title_ids, body_ids = [set() for _ in terms], [set() for _ in terms]
        with connection.cursor() as cursor:
            cursor.execute(self.postings_sql, [self.terms_param(terms)])
            rows = cursor.fetchall()
        for position, in_title, in_body, _ in rows:
            i = self.term_index(position)
            title_ids[i] = self.split_ids(in_title)
            body_ids[i] = self.split_ids(in_body)
        return title_ids, body_ids, rows[0][3] if rows else 0

    def term_index(self, position) -> int:
        return int(position)

    def facets(self, scores: dict[int, float], filters: dict) -> tuple[dict[str, Counter], int]:
        """Facets over every match, counted by the database; the filtered total from the same counts."""
        sql = (
            f"SELECT e.kind, e.domain, e.year, COUNT(*) FROM {self.matched_sql} "
            f"JOIN {self.short_rows} ON e.id = s.id GROUP BY e.kind, e.domain, e.year"
        )
        facets = {name: Counter() for name in FACETS}
        total = 0
        wanted = {name: str(value) for name, value in filters.items() if value}
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.ids_param(scores.keys())])
            for kind, domain, year, count in cursor.fetchall():
                row = {"kind": kind, "domain": domain, "year": year}
                for name in FACETS:
                    if row[name]:
                        facets[name][row[name]] += count
                if all(str(row[name]) == value for name, value in wanted.items()):
                    total += count
        return facets, total

    def page(self, scores: dict[int, float], filters: dict, sort: str, offset: int, limit: int) -> list[IndexEntry]:
        """One page of the filtered matches: ordered over the short columns, then only its rows read whole."""
        where, params = [], []
        for name, value in filters.items():
            if value:
                where.append(f"{_FILTER_COLUMNS[name]} = %s")
                params.append(value)
        best, newest = "relevance DESC", "entry_date DESC NULLS LAST"
        order = [newest, best, "entry_id"] if sort == "date" else [best, newest, "entry_id"]
        columns = ", ".join(f"e.{name}" for name in PAGE_FIELDS)
        sql = f"""
            SELECT {columns} FROM (
                SELECT e.id AS entry_id, e.date AS entry_date,
                       s.score * e.boost / (1 + e.title_length / CAST(%s AS DOUBLE PRECISION)) AS relevance
                FROM {self.scored_sql} JOIN {self.short_rows} ON e.id = s.id
                {"WHERE " + " AND ".join(where) if where else ""}
                ORDER BY {", ".join(order)} LIMIT %s OFFSET %s
            ) AS p JOIN search_indexentry e ON e.id = p.entry_id
            ORDER BY {", ".join("p." + key for key in order)}
        """
        scaled = {pk: round(score * SCORE_SCALE) for pk, score in scores.items()}
        params = [TITLE_LENGTH_NORM, *self.scored_params(scaled), *params, limit, offset]
        return list(IndexEntry.objects.raw(sql, params))


class _PostgreSQL(_Backend):
    # search_indexentry_postings (migration 0004) looks every term up in the GIN indexes.
    postings_sql = "SELECT * FROM search_indexentry_postings(%s::tsquery[])"
    matched_sql = "unnest(%s::bigint[]) AS s(id)"
    scored_sql = "unnest(%s::bigint[], %s::bigint[]) AS s(id, score)"

    def terms_param(self, terms):
        # One quoted lexeme each, so the tsquery parser takes it whole: py:jiaoyu stays one lexeme.
        return ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms]

    def term_index(self, position):
        return position - 1  # WITH ORDINALITY counts from 1

    def split_ids(self, value):
        return set(value or ())

    # Arrays travel as one text literal each: Django binds parameters on the client, and psycopg
    # would otherwise spell out thousands of elements one by one.
    def ids_param(self, ids):
        return "{" + ",".join(map(str, ids)) + "}"

    def scored_params(self, scores):
        return [self.ids_param(scores.keys()), self.ids_param(scores.values())]


class _SQLite(_Backend):
    # Each term as an FTS5 phrase restricted to one column; the tokenizer keeps terms whole.
    postings_sql = """
        SELECT t.key,
               (SELECT group_concat(rowid) FROM search_indexentry_fts
                WHERE search_indexentry_fts MATCH 'title_terms : ' || t.value),
               (SELECT group_concat(rowid) FROM search_indexentry_fts
                WHERE search_indexentry_fts MATCH 'body_terms : ' || t.value),
               (SELECT COUNT(*) FROM search_indexentry)
        FROM json_each(%s) AS t
    """
    matched_sql = "(SELECT value AS id FROM json_each(%s)) AS s"
    # A row's later columns sit behind its body and terms in overflow pages: read them from the
    # covering index migration 0004 creates instead.
    short_rows = "search_indexentry AS e INDEXED BY search_indexentry_rank"
    scored_sql = "(SELECT CAST(key AS INTEGER) AS id, value AS score FROM json_each(%s)) AS s"

    def terms_param(self, terms):
        return json.dumps(['"' + term.replace('"', '""') + '"' for term in terms], ensure_ascii=False)

    def split_ids(self, value):
        return {int(pk) for pk in value.split(",")} if value else set()

    def ids_param(self, ids):
        return json.dumps(list(ids))

    def scored_params(self, scores):
        return [json.dumps(scores)]


_BACKENDS = {"postgresql": _PostgreSQL(), "sqlite": _SQLite()}
SUPPORTED_DATABASES = tuple(_BACKENDS)


def _backend() -> _Backend:
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise NotSupportedError(
            f"The database search engine needs PostgreSQL or SQLite (migration search.0004), not {connection.vendor}."
        ) from None
