import datetime
from decimal import Decimal

import pytest

from django.utils import timezone

from portal.plan.models import IndicatorPage, Measurement


@pytest.fixture
def indicator(db):
    return IndicatorPage.objects.live().order_by("path").first()


@pytest.fixture
def approve(indicator):
    """A measurement approved now, as the office's approval publishes it (a revision published)."""

    def approve(value="88.5", on=indicator):
        measurement = Measurement(
            indicator=on, date=datetime.date(2015, 12, 31), value=Decimal(value), source="统计局", live=False
        )
        measurement.save()
        measurement.save_revision().publish()
        measurement.refresh_from_db()
        return measurement

    return approve


@pytest.fixture
def later():
    """A moment after everything a test did, for send_digests(now=…)."""
    return lambda: timezone.now() + datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def mail_after_commit(monkeypatch):
    """Mail is enqueued on commit; tests run inside a transaction that never commits, so run it at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
