"""Per-address limits in the shared cache: they stop scripted floods, not residents correcting a form.

Two bounds:
- accepted submissions (PARTICIPATION_RATE_PER_MINUTE / _PER_DAY) are counted only once a
  submission is saved, so a resident who corrects the form six times is never refused;
- every POST (PARTICIPATION_POST_RATE_PER_MINUTE, higher) bounds what a script can make us do.

The counts must be shared by every web worker: production needs a shared cache (CACHE_URL, Redis),
and checks.py refuses a per-process cache under `check --deploy`.
"""

from django.conf import settings
from django.core.cache import cache

MINUTE = 60
DAY = 24 * 3600


def hit(key: str, window: int) -> int:
    """Add one to a counter that starts when first hit and lasts `window` seconds; returns the count."""
    cache.add(key, 0, timeout=window)
    try:
        # None when the shared cache cannot be reached (settings.survives_outage): nothing is counted, and the
        # form is still answered (its honeypot, origin check and captcha still hold), rather than refused.
        return cache.incr(key) or 0
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def post_allowed(ip: str | None, *, scope: str = "feedback") -> bool:
    """Count this POST; False once the flood bound is passed."""
    if not ip:
        return True
    return hit(f"participation:rate:post:{scope}:{ip}", MINUTE) <= settings.PARTICIPATION_POST_RATE_PER_MINUTE


def submission_allowed(ip: str | None) -> bool:
    """May this address have one more submission accepted? Reads the counts without adding to them."""
    if not ip:
        return True
    counts = cache.get_many([f"participation:rate:m:{ip}", f"participation:rate:d:{ip}"])
    return (
        counts.get(f"participation:rate:m:{ip}", 0) < settings.PARTICIPATION_RATE_PER_MINUTE
        and counts.get(f"participation:rate:d:{ip}", 0) < settings.PARTICIPATION_RATE_PER_DAY
    )


def submission_accepted(ip: str | None) -> None:
    if ip:
        hit(f"participation:rate:m:{ip}", MINUTE)
        hit(f"participation:rate:d:{ip}", DAY)


def client_ip(request) -> str | None:
    """The address of the client, counted TRUSTED_PROXY_COUNT hops from the right of X-Forwarded-For.

    Each of our proxies appends the address it saw, so only the rightmost entries are ours; anything to
    their left came from the client and can be forged. A header shorter than the count did not pass
    through all our proxies, so REMOTE_ADDR is all we can trust then.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        entries = [entry for entry in entries if entry]
        if len(entries) >= count:
            return entries[-count]
    return request.META.get("REMOTE_ADDR")
