"""Satisfaction ratings: one per browser, domain and quarter, without accounts.

A generous, configurable bound per address stops stuffing from one machine without locking out a
village behind one address. With reCAPTCHA on, a rating is saved at once and counted only after
the verification task passes it. Averages are published only from SATISFACTION_MIN_RATINGS ratings.
"""

import secrets

from django_tasks import task

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count

from . import captcha
from .models import SatisfactionRating, Submission, current_period, keyed_digest

VOTER_COOKIE = "voter"
# Long enough to outlast a quarter and its neighbours: the cookie is what makes a rating one per browser.
VOTER_COOKIE_MAX_AGE = 400 * 24 * 3600
COUNTED = [Submission.Verification.NOT_REQUIRED, Submission.Verification.PASSED]


def voter_token(request) -> str:
    token = request.COOKIES.get(VOTER_COOKIE, "")
    return token if 16 <= len(token) <= 64 and token.isalnum() else secrets.token_hex(16)


def rating_record(*, domain, score: int, comment: str, token: str, ip: str | None, captcha_token: str = "") -> str:
    """Save a rating; returns "saved", "duplicate" or "address_limit"."""
    period = current_period()
    ip_digest = keyed_digest(f"ip:{ip or ''}")
    same_address = SatisfactionRating.objects.filter(domain=domain, period=period, ip_digest=ip_digest).count()
    if same_address >= settings.SATISFACTION_MAX_PER_ADDRESS:
        return "address_limit"
    pending = bool(captcha_token)
    try:
        with transaction.atomic():
            rating = SatisfactionRating.objects.create(
                domain=domain,
                period=period,
                score=score,
                comment=comment,
                voter_digest=keyed_digest(f"voter:{token}"),
                ip_digest=ip_digest,
                verification=Submission.Verification.PENDING if pending else Submission.Verification.NOT_REQUIRED,
            )
            if pending:
                pk = rating.pk
                transaction.on_commit(lambda: verify_rating.enqueue(pk, captcha_token, ip or ""))
    except IntegrityError:
        return "duplicate"
    return "saved"


@task()
def verify_rating(pk: int, token: str, ip: str) -> str:
    """Count the rating if Google passes it; otherwise it stays uncounted (and visible to staff)."""
    if not SatisfactionRating.objects.filter(pk=pk, verification=Submission.Verification.PENDING).exists():
        return "skipped"
    outcome = captcha.check(token=token, ip=ip or None, action="satisfaction")
    SatisfactionRating.objects.filter(pk=pk, verification=Submission.Verification.PENDING).update(
        verification=outcome.status
    )
    return outcome.status


def results():
    """Average and count per domain and period, newest period first; no average below the minimum."""
    rows = list(
        SatisfactionRating.objects.filter(verification__in=COUNTED)
        .values("period", "domain__title", "domain__path")
        .annotate(average=Avg("score"), count=Count("id"))
        .order_by("-period", "domain__path")
    )
    for row in rows:
        row["enough"] = row["count"] >= settings.SATISFACTION_MIN_RATINGS
        if not row["enough"]:
            row["average"] = None  # a mean of two ratings says nothing, and could name who gave them
    return rows
