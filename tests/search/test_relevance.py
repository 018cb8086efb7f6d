"""The judged query set against both engines, with the thresholds the issue sets."""

import pytest

from .judged import evaluate, report

pytestmark = pytest.mark.django_db


def test_database_engine_finds_what_residents_type(database_search, capsys):
    success, mrr, outcomes = evaluate("database")
    with capsys.disabled():
        print("\n" + report("database", success, mrr, outcomes))
    assert len(outcomes) >= 50
    assert success >= 0.8


def test_elasticsearch_finds_what_residents_type(elasticsearch, capsys):
    success, mrr, outcomes = evaluate("elasticsearch")
    with capsys.disabled():
        print("\n" + report("elasticsearch", success, mrr, outcomes))
    assert len(outcomes) >= 50
    assert success >= 0.9
