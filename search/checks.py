"""System checks for search: the database engine needs a database that migration 0004 indexes."""

from django.core.checks import Error, register
from django.db import connections

from .fallback import SUPPORTED_DATABASES


@register("search")
def database_engine_supported(app_configs, **kwargs):
    # The vendor is known from the settings: no connection is opened.
    vendor = connections["default"].vendor
    if vendor in SUPPORTED_DATABASES:
        return []
    return [
        Error(
            f"The database search engine has no index on {vendor}: search would fail whenever "
            "Elasticsearch is not configured or does not answer.",
            hint=f"Use one of {', '.join(SUPPORTED_DATABASES)} (DATABASE_URL).",
            id="search.E001",
        )
    ]
