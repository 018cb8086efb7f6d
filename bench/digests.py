"""关注 digests at scale: 10,000 confirmed addresses following 3 things each (an indicator, its domain and a
consultation), one approved measurement, then `send_digests` timed, with its SQL query count.

    DATABASE_URL=postgres://… python bench/digests.py [--addresses 10000]

Needs a database with the plan loaded (`manage.py load_plan --sample`, which also adds the consultations).
Everything it writes is rolled back at the end; mail goes to Django's in-memory backend, so the figure is
building and composing the digests, not an SMTP server's speed. Prints the time and the query count for a
tenth of the addresses too: the count must be the same.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path


class Rollback(Exception):
    pass


def run(addresses: int):
    from django.core import mail
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.follow.digest import collect, send_digests
    from portal.follow.models import Subscription, address_key
    from portal.participation.pages import ConsultationPage
    from portal.plan.models import DomainPage, IndicatorPage, Measurement

    result = None
    try:
        with transaction.atomic():
            indicator = IndicatorPage.objects.live().order_by("path").first()
            domain = DomainPage.objects.live().ancestor_of(indicator).get()
            consultation = ConsultationPage.objects.live().order_by("path").first()
            targets = [page for page in (indicator, domain, consultation) if page is not None]
            before = timezone.now() - datetime.timedelta(minutes=5)
            Subscription.objects.bulk_create(
                (
                    Subscription(
                        email=f"bench{n}@example.com",
                        address=address_key(f"bench{n}@example.com"),
                        page=page,
                        confirmed_at=before,
                        digest_through=before,
                    )
                    for n in range(addresses)
                    for page in targets
                ),
                batch_size=5000,
            )
            measurement = Measurement(
                indicator=indicator, date=datetime.date(2015, 12, 31), value=Decimal("88"), source="基准", live=False
            )
            measurement.save()
            measurement.save_revision().publish()
            mail.outbox = []
            subscriptions = list(
                Subscription.objects.confirmed().select_related("page", "submission").order_by("email", "pk")
            )
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as build_queries:
                items = collect(subscriptions, timezone.now() + datetime.timedelta(seconds=1))
            build = (time.perf_counter() - start, len(build_queries), sum(len(i) for i in items.values()))
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                counts = send_digests(now=timezone.now() + datetime.timedelta(seconds=1))
            result = (build, (time.perf_counter() - start, len(queries), counts["sent"]), len(targets))
            raise Rollback
    except Rollback:
        pass
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", type=int, default=10_000)
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.test.utils import setup_test_environment

    setup_test_environment()  # mail.outbox for the locmem backend
    for count in (options.addresses // 10, options.addresses):
        (build_s, build_q, items), (seconds, queries, sent), followed = run(count)
        print(
            f"{count:>6} addresses × {followed} followed: building the digests (collect) {build_s:.2f} s, "
            f"{build_q} SQL queries, {items} items; whole send_digests (expiry, bookkeeping in batches of 500, "
            f"composing, handing to the mail backend) {seconds:.2f} s, {queries} SQL queries, {sent} digests "
            f"({seconds / max(sent, 1) * 1000:.2f} ms each)"
        )


if __name__ == "__main__":
    main()
