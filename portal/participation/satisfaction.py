"""Satisfaction ratings: one per browser, domain and quarter, and a few per address, without accounts."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count

from .models import SatisfactionRating, current_period, keyed_digest

VOTER_COOKIE = "voter"
MAX_PER_ADDRESS = 5  # a household or an office shares one address


def voter_token(request) -> str:
    token = request.COOKIES.get(VOTER_COOKIE, "")
    return token if 16 <= len(token) <= 64 and token.isalnum() else secrets.token_hex(16)


def rating_record(*, domain, score: int, comment: str, token: str, ip: str | None) -> str:
    """Save a rating; returns "saved", "duplicate" or "address_limit"."""
    period = current_period()
    ip_digest = keyed_digest(f"ip:{ip or ''}")
    same_address = SatisfactionRating.objects.filter(domain=domain, period=period, ip_digest=ip_digest).count()
    if same_address >= MAX_PER_ADDRESS:
        return "address_limit"
    try:
        with transaction.atomic():
            SatisfactionRating.objects.create(
                domain=domain,
                period=period,
                score=score,
                comment=comment,
                voter_digest=keyed_digest(f"voter:{token}"),
                ip_digest=ip_digest,
            )
    except IntegrityError:
        return "duplicate"
    return "saved"


def results():
    """Average and count per domain and period, newest period first."""
    return (
        SatisfactionRating.objects.values("period", "domain__title", "domain__path")
        .annotate(average=Avg("score"), count=Count("id"))
        .order_by("-period", "domain__path")
    )
