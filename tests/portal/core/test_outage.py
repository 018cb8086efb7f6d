"""A database that cannot be reached answers 503 with Retry-After and a Chinese page, never a 500.

A real failure: the default connection is pointed at a local port that refuses connections (bound, not
listening), so every query raises psycopg's OperationalError, as in an outage. These tests run outside
pytest-django's test transaction (a connection cannot be closed inside one); they only read and count.
"""

import contextlib
import socket

import pytest

from django.core.management import call_command
from django.db import connections
from django.template.loader import render_to_string
from django.test import Client

from portal.participation.models import Submission

from ..participation.test_feedback import valid


@pytest.fixture
def live_database(django_db_setup, django_db_blocker):
    """The session's test database, with the plan, outside any test transaction.

    pytest-django creates the test database only for sessions with a django_db test: this module has one.
    Tests without a django_db mark run last, after transactional tests that flush the database; so, as the
    browser tests' `site` fixture does, the plan is loaded again when an earlier test emptied it.
    """
    from portal.plan.models import HomePage

    with django_db_blocker.unblock():
        if not HomePage.objects.exists():
            call_command("load_plan", "--sample", verbosity=0)
        yield


@contextlib.contextmanager
def database_down():
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    with socket.socket() as refusing:
        refusing.bind(("127.0.0.1", 0))
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(refusing.getsockname()[1]))
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


def assert_maintenance_page(response):
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert "系统维护中,请稍后再试" in html and 'action="/search/"' in html


def test_the_first_query_of_a_request_failing_answers_503(live_database):
    # Which site is this? Wagtail's serving view asks first: its failure reaches process_exception.
    with database_down():
        assert_maintenance_page(Client().get("/"))


def test_a_view_whose_query_fails_answers_503(live_database):
    client = Client()
    assert client.get("/").status_code == 200  # now in the page cache
    with database_down():
        assert_maintenance_page(client.get("/plan/departments/"))
        assert_maintenance_page(client.get("/", {"page": "2"}))
        # A page already in the page cache is still read during the outage.
        kept = client.get("/")
        assert kept.status_code == 200 and kept["X-Page-Cache"] == "hit"


def test_a_form_refused_by_the_outage_keeps_nothing(live_database):
    client = Client()
    client.get("/feedback/")
    before, data = Submission.objects.count(), valid()
    with database_down():
        assert_maintenance_page(client.post("/feedback/", data, REMOTE_ADDR="192.0.2.44"))
    assert Submission.objects.count() == before
    # The database is back: so is the site.
    assert client.get("/feedback/").status_code == 200


@pytest.mark.django_db
def test_the_maintenance_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("503.html")
    assert "系统维护中,请稍后再试" in html
