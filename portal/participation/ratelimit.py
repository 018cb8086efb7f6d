"""Per-IP submission limits in the shared cache: a resident may send a few a minute, not hundreds."""

from django.conf import settings
from django.core.cache import cache


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def allow(ip: str | None) -> bool:
    """Count this attempt; False once the per-minute or per-day limit is passed."""
    if not ip:
        return True
    per_minute = _hit(f"participation:rate:m:{ip}", 60)
    per_day = _hit(f"participation:rate:d:{ip}", 24 * 3600)
    return per_minute <= settings.PARTICIPATION_RATE_PER_MINUTE and per_day <= settings.PARTICIPATION_RATE_PER_DAY


def client_ip(request) -> str | None:
    """The address of the client; behind a trusted proxy, the first X-Forwarded-For entry."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
