"""Recompute every indicator's stored reading from its published measurements (idempotent).

Saves and deletions keep the readings current by themselves; this is for measurements written
around the model's signals (raw SQL, a restored table) and for checking: it reports how many
readings it had to change.
"""

from django.core.management.base import BaseCommand

from portal.plan.models import IndicatorReading
from portal.plan.models.reading import READING_FIELDS, refresh_all_readings


def _snapshot() -> dict:
    # A reading of no measurement reads as no reading at all: only the others can be wrong.
    rows = IndicatorReading.objects.filter(count__gt=0).values_list("indicator_id", *READING_FIELDS)
    return {row[0]: row for row in rows}


class Command(BaseCommand):
    help = "按已发布的监测数据重算各指标的最新读数(可重复执行)。"

    def handle(self, *args, **options):
        before = _snapshot()
        total = refresh_all_readings()
        after = _snapshot()
        changed = sum(1 for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk))
        self.stdout.write(f"指标读数:共 {total} 项,更正 {changed} 项")
