"""Each indicator's current reading, stored, so that counting statuses reads no measurements.

The status rules (portal.plan.status.evaluate) look at two published measurements only: the first
(the start point when there is no baseline) and the latest. An IndicatorReading keeps those two,
with how many measurements are published and how many of them are sample data. The status itself
is not stored: it depends on today's date (a deadline passing turns "on track" into "behind"), so
it is computed from the reading and the indicator's target whenever it is asked for.

The reading is a model of its own rather than fields on IndicatorPage: publishing a page (or one
of its revisions) writes every page field from the revision's content and would put back a stale
reading.

Every write of a measurement refreshes its indicator's reading through `refresh_readings`. The
model's signals (portal.plan.signals) cover saves, which is also how Wagtail publishes, unpublishes
and schedules a snippet, and deletions, including queryset deletes and cascades. QuerySet.update()
and bulk_create() send no signals: code that writes measurements with them calls refresh_readings
itself, and `manage.py refresh_readings` rebuilds every reading after anything else (raw SQL).
"""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.plan import status as rules

READING_FIELDS = [
    "count",
    "sample_count",
    "first_date",
    "first_value",
    "latest_date",
    "latest_value",
    "latest_is_sample",
]


@dataclass(frozen=True)
class StoredMeasurement:
    """A published measurement as the reading keeps it: what `indicator.latest` is read for."""

    date: datetime.date
    value: Decimal
    is_sample: bool = False


class IndicatorReading(models.Model):
    indicator = models.OneToOneField(
        "plan.IndicatorPage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reading",
        verbose_name=_("指标"),
    )
    count = models.PositiveIntegerField(_("已发布数据数"), default=0)
    sample_count = models.PositiveIntegerField(_("其中示例数据数"), default=0)
    first_date = models.DateField(_("首个数据日期"), null=True, blank=True)
    first_value = models.DecimalField(_("首个数据值"), max_digits=14, decimal_places=4, null=True, blank=True)
    latest_date = models.DateField(_("最新数据日期"), null=True, blank=True)
    latest_value = models.DecimalField(_("最新数据值"), max_digits=14, decimal_places=4, null=True, blank=True)
    latest_is_sample = models.BooleanField(_("最新数据为示例数据"), default=False)

    class Meta:
        verbose_name = _("指标最新读数")
        verbose_name_plural = _("指标最新读数")

    def __str__(self):
        return f"{self.indicator_id}: {self.count}"

    @property
    def latest(self) -> StoredMeasurement | None:
        if not self.count:
            return None
        return StoredMeasurement(self.latest_date, self.latest_value, self.latest_is_sample)

    @property
    def points(self) -> list[rules.Point]:
        """What rules.evaluate needs of the series: its first and last points (one when they are the same)."""
        if not self.count:
            return []
        latest = rules.Point(self.latest_date, self.latest_value)
        if self.count == 1:
            return [latest]
        return [rules.Point(self.first_date, self.first_value), latest]


# -- keeping readings up to date -----------------------------------------------------------------

# Within `refreshed_once()`: indicator id → whether a missing reading may be created (see refresh_readings).
_pending: ContextVar[dict | None] = ContextVar("pending_readings", default=None)


def refresh_readings(indicator_ids: Iterable[int | None], *, create: bool = True) -> None:
    """Recompute the readings of these indicators from their published measurements, in four queries.

    `create=False` only updates readings that exist. Deletions use it: a measurement deleted because
    its indicator is being deleted must not write a reading for that indicator, which the same
    deletion removes or has just removed (its key would point at a page that is gone).
    """
    ids = {pk for pk in indicator_ids if pk is not None}
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        for pk in ids:
            pending[pk] = pending.get(pk, False) or create
        return
    _write(ids, create)


@contextmanager
def refreshed_once() -> Iterator[None]:
    """Measurement writes inside the block refresh their indicators' readings once, at its end, in the
    same transaction: for code that writes many measurements of the same indicators. Nested blocks
    leave the refresh to the outermost one."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[int, bool] = {}
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            _write({pk for pk, create in pending.items() if create}, True)
            _write({pk for pk, create in pending.items() if not create}, False)
    finally:
        if token is not None:
            _pending.reset(token)


def refresh_all_readings() -> int:
    """Every indicator's reading recomputed; returns how many indicators there are."""
    from .indicator import IndicatorPage

    ids = set(IndicatorPage.objects.values_list("pk", flat=True))
    _write(ids, True)
    return len(ids)


def _write(ids: set[int], create: bool) -> None:
    if ids:
        with transaction.atomic(savepoint=False):
            _lock(ids)
            _compute_and_store(ids, create)


def _lock(ids: set[int]) -> None:
    """Lock the indicators' own rows until the transaction ends. Two transactions writing measurements of
    one indicator at once would otherwise each compute its reading without the other's measurement, and
    the later write would keep a reading missing one; with the lock the second waits for the first to
    commit, then sees its measurement. (Only PostgreSQL locks; SQLite lets one writer in at a time.)"""
    from .indicator import IndicatorPage

    rows = IndicatorPage.objects.filter(pk__in=ids).order_by("pk").select_for_update(of=("self",))
    list(rows.values_list("pk", flat=True))


def _compute_and_store(ids: set[int], create: bool) -> None:
    from .indicator import IndicatorPage, Measurement

    # The series' order is (date, pk): its first and last rows, found through the (indicator, live,
    # date) index. One row per indicator that exists, measured or not.
    live = Measurement.objects.filter(indicator=OuterRef("pk"), live=True).order_by()

    def counted(measurements):
        return Coalesce(Subquery(measurements.values("indicator").annotate(n=Count("pk")).values("n")), Value(0))

    rows = list(
        IndicatorPage.objects.filter(pk__in=ids)
        .order_by()
        .annotate(
            n=counted(live),
            samples=counted(live.filter(is_sample=True)),
            first_pk=Subquery(live.order_by("date", "pk").values("pk")[:1]),
            latest_pk=Subquery(live.order_by("-date", "-pk").values("pk")[:1]),
        )
        .values_list("pk", "n", "samples", "first_pk", "latest_pk")
    )
    ends = {row[3] for row in rows} | {row[4] for row in rows}
    found = {
        m.pk: m for m in Measurement.objects.filter(pk__in=ends - {None}).only("date", "value", "is_sample").order_by()
    }
    readings = []
    for pk, count, samples, first_pk, latest_pk in rows:
        first, latest = found.get(first_pk), found.get(latest_pk)
        readings.append(
            IndicatorReading(
                indicator_id=pk,
                count=count,
                sample_count=samples,
                first_date=first.date if first else None,
                first_value=first.value if first else None,
                latest_date=latest.date if latest else None,
                latest_value=latest.value if latest else None,
                latest_is_sample=latest.is_sample if latest else False,
            )
        )
    if not readings:
        return
    if create:
        IndicatorReading.objects.bulk_create(
            readings, update_conflicts=True, unique_fields=["indicator"], update_fields=READING_FIELDS
        )
    else:
        IndicatorReading.objects.bulk_update(readings, READING_FIELDS)
