"""What staff may know about following: how many confirmed followers each thing has, never who."""

from django.db.models import Count, Q

from .models import Subscription


def follower_counts() -> list[dict]:
    """Every followed page with its confirmed and pending counts, most followed first (one query)."""
    rows = (
        Subscription.objects.filter(page__isnull=False)
        .values("page_id", "page__title", "page__content_type__model")
        .annotate(
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            pending=Count("pk", filter=Q(confirmed_at__isnull=True)),
        )
        .order_by("-confirmed", "page__title")
    )
    return list(rows)


def confirmed_addresses(page) -> list[str]:
    """For sending only; never rendered in the admin."""
    return sorted(set(Subscription.objects.confirmed().filter(page=page).values_list("email", flat=True)))
