"""Shared fixtures: the whole plan is loaded once per test session into the real PostgreSQL.

With PORTAL_TEST_CORPUS_UPDATES=N the session also gets N demo updates (load_demo_corpus) before the search
index is built: the realistic corpus of the judged relevance tests (`-m corpus`), which run in a session of
their own so that no other test sees those updates.
"""

import os

import pytest

from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_plan", "--sample", verbosity=0)
        call_command("setup_staff", verbosity=0)
        corpus = os.environ.get("PORTAL_TEST_CORPUS_UPDATES")
        if corpus:
            call_command("load_demo_corpus", "--updates", corpus, "--no-index", verbosity=0)
        call_command("rebuild_search_index", "--no-progress", verbosity=0)


@pytest.fixture
def client():
    """Staff logged in with force_login have passed the second step too (tests/factories/accounts.py);
    the second step itself is tested with a plain django.test.Client in tests/portal/accounts/."""
    from tests.factories.accounts import VerifiedClient

    return VerifiedClient()


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


@pytest.fixture(scope="session")
def google_server(tmp_path_factory):
    from tests.fake_google import FakeGoogle

    server = FakeGoogle(tmp_path_factory.mktemp("google"))
    yield server
    server.close()


@pytest.fixture(autouse=True)
def google(google_server, settings, monkeypatch):
    """No test ever talks to Google: verification goes to the fake HTTPS server, which passes by default."""
    google_server.reset()
    settings.RECAPTCHA_DOMAIN = google_server.domain
    settings.RECAPTCHA_VERIFY_REQUEST_TIMEOUT = 2
    monkeypatch.setenv("SSL_CERT_FILE", google_server.ca_file)
    return google_server


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached values (synonyms, popular searches, fragments of pages) must not leak from one test's rolled-back data
    into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def simplified():
    """A request under /zh-hant/ leaves its language active in the thread, so that a later test's
    reverse() and Page.url would point at /zh-hant/; every test starts (and ends) in simplified."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Purges and other after-commit work wait for the commit; a test's transaction never commits, so run them as if
    it had: commits(change) makes the change and runs what it left for the commit."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run
