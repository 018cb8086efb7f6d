"""A domain page grown to 50 indicator cards, for bench/cache.sh (issue 11's growth figure).

    python bench/fifty_cards.py            create /bench-fifty/ (idempotent): 50 indicators, 12 readings each
    python bench/fifty_cards.py --delete   remove it again

Run with the bench's database settings (DATABASE_URL, development settings). Every page is published the
way staff publish (a revision), so the page cache and the stored readings see real pages.
"""

import argparse
import datetime
import os
import sys
from decimal import Decimal
from pathlib import Path

SLUG = "bench-fifty"
CARDS = 50
READINGS = 12


def create():
    from portal.plan.models import DomainPage, HomePage, IndicatorPage, Measurement

    home = HomePage.objects.get()
    if DomainPage.objects.filter(slug=SLUG).exists():
        return "exists"
    domain = home.add_child(instance=DomainPage(title="基准测试领域(50 项指标)", slug=SLUG, number=99, goal="基准测试"))
    domain.save_revision().publish()
    for i in range(CARDS):
        indicator = domain.add_child(
            instance=IndicatorPage(
                title=f"基准测试指标 {i + 1:02d}",
                slug=f"bench-{i + 1:02d}",
                code=f"bench-{i + 1:02d}",
                unit="%",
                comparator=">=",
                target=Decimal(90),
                target_year=2015,
                quote="基准测试用指标。",
            )
        )
        indicator.save_revision().publish()
        for month in range(READINGS):
            date = datetime.date(2014, 1, 31) + datetime.timedelta(days=30 * month)
            Measurement.objects.create(
                indicator=indicator, date=date, value=Decimal(60 + month * 2 + i % 5), source="基准测试", live=True
            )
    return "created"


def delete():
    from portal.plan.models import DomainPage

    for domain in DomainPage.objects.filter(slug=SLUG):
        domain.delete()
    return "deleted"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delete", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    print(f"/{SLUG}/: {delete() if args.delete else create()}")


if __name__ == "__main__":
    main()
