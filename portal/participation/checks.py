"""System checks for what participation needs in production.

The submission limits and the satisfaction bounds count in the cache. With Django's per-process
local-memory cache each gunicorn worker keeps its own counts, so a limit of 5 becomes 5 per worker
and resets on every restart: `check --deploy` refuses that.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_for_limits(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                "The rate limits for citizens' submissions run on a per-process cache "
                f"({backend}): each web worker would keep its own counts.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/0 (see the README).",
                id="participation.E001",
            )
        ]
    return []
