"""The anonymous query log and what it feeds: popular searches and the zero-result report."""

import datetime

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from . import chinese
from .models import QueryLog, RecommendedTerm

# v2: lists cached by v1 could hold whatever residents typed; never serve them again.
POPULAR_CACHE_KEY = "search:popular:v2"

# Shown when too few approved terms have been searched: the plan's own words residents most often want.
STARTER_TERMS = ["入园率", "社保卡", "低保", "医疗保险", "养老", "公租房", "就业", "空气质量"]


def log_query(*, query: str, results: int, took_ms: int, engine: str) -> None:
    """Record a search without anything that identifies who searched."""
    if not query:
        return
    QueryLog.objects.create(
        query=query[:100],
        normalized=chinese.normalize(query)[:100],
        results=results,
        took_ms=min(took_ms, 2**31 - 1),
        engine=engine,
    )


def allowed_terms(approved: list[str]) -> dict[str, str]:
    """What a public list may show, by normalized form: `approved` (as staff wrote them), then the
    plan's vocabulary."""
    allowed: dict[str, str] = {}
    for term in approved:
        allowed.setdefault(chinese.normalize(term), term)
    for word in chinese.vocabulary():
        allowed.setdefault(word, word)
    return allowed


def popular_searches(limit: int = 8, days: int = 90) -> list[str]:
    """大家常搜: allowed terms that residents searched most and that found something, then the
    other approved terms, then STARTER_TERMS; cached for a few minutes or until staff change a term.

    Residents' own words never appear here unless staff approved them or the plan uses them.
    """
    popular = cache.get(POPULAR_CACHE_KEY)
    if popular is None:
        approved = list(RecommendedTerm.objects.values_list("term", flat=True))
        allowed = allowed_terms(approved)
        since = timezone.now() - datetime.timedelta(days=days)
        rows = (
            QueryLog.objects.filter(created_at__gte=since, results__gt=0, normalized__in=list(allowed))
            .values("normalized")
            .annotate(n=Count("id"))
            .order_by("-n", "normalized")[:limit]
        )
        searched = [allowed[row["normalized"]] for row in rows]
        popular = list(dict.fromkeys([*searched, *approved, *STARTER_TERMS]))[:limit]
        cache.set(POPULAR_CACHE_KEY, popular, 300)
    return popular


def forget_popular(**kwargs):
    """An approved term added or withdrawn shows (or stops showing) on the next page."""
    cache.delete(POPULAR_CACHE_KEY)


def zero_result_queries(days: int = 90, limit: int = 200):
    """What residents searched for and did not find, most frequent first, for staff to fix."""
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        QueryLog.objects.filter(created_at__gte=since, results=0)
        .values("normalized")
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by("-n", "-last")[:limit]
    )
