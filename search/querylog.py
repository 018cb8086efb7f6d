"""The anonymous query log and what it feeds: popular searches and the zero-result report."""

import datetime

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from . import chinese
from .models import QueryLog

POPULAR_CACHE_KEY = "search:popular:v1"


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


def popular_searches(limit: int = 8, days: int = 90) -> list[str]:
    """The most searched terms that found something, cached for a few minutes."""
    popular = cache.get(POPULAR_CACHE_KEY)
    if popular is None:
        since = timezone.now() - datetime.timedelta(days=days)
        rows = (
            QueryLog.objects.filter(created_at__gte=since, results__gt=0)
            .values("normalized")
            .annotate(n=Count("id"))
            .order_by("-n", "normalized")[:limit]
        )
        popular = [row["normalized"] for row in rows]
        cache.set(POPULAR_CACHE_KEY, popular, 300)
    return popular


def zero_result_queries(days: int = 90, limit: int = 200):
    """What residents searched for and did not find, most frequent first, for staff to fix."""
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        QueryLog.objects.filter(created_at__gte=since, results=0)
        .values("normalized")
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by("-n", "-last")[:limit]
    )
