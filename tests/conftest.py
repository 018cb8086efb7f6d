"""Shared fixtures: the whole plan is loaded once per test session into the real PostgreSQL."""

import pytest

from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_plan", "--sample", verbosity=0)
        call_command("setup_staff", verbosity=0)
        call_command("rebuild_search_index", "--no-progress", verbosity=0)


@pytest.fixture
def home(db):
    from portal.plan.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def database_search(settings):
    """Search with the database engine only, as `make run` does."""
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def elasticsearch(settings):
    """The real Elasticsearch that `make test` starts; a clear failure when it is not there."""
    import os

    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        pytest.fail("ELASTICSEARCH_URL is not set: run the suite with `make test`, which starts Elasticsearch")
    settings.ELASTICSEARCH_URL = url
    return url


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached values (synonyms, popular searches) must not leak from one test's rolled-back data into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
