"""Shared fixtures: the whole plan is loaded once per test session into the real PostgreSQL."""

import pytest

from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_plan", "--sample", verbosity=0)
        call_command("setup_staff", verbosity=0)


@pytest.fixture
def home(db):
    from portal.plan.models import HomePage

    return HomePage.objects.get()
