"""Signed links: confirmation (7 days, TimestampSigner), one-click unsubscribe and the manage page (no expiry).

Nothing secret is stored: the link carries the subscription's id (or, for the manage page, the address's
key, models.address_key: never the address itself) signed with SECRET_KEY under its own salt, so a link
for one purpose never works for another.
"""

import datetime

from django.core import signing

CONFIRM_MAX_AGE = datetime.timedelta(days=7)
CONFIRM_SALT = "follow.confirm"
UNSUBSCRIBE_SALT = "follow.unsubscribe"
MANAGE_SALT = "follow.manage"
LETTER_SALT = "follow.letter"


def confirm_token(subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.pk))


def confirmed_pk(token: str) -> int | None:
    try:
        return int(signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None


def pk_token(salt: str, pk: int) -> str:
    """A lasting link to one object: its id, signed for one purpose."""
    return signing.Signer(salt=salt).sign(str(pk))


def signed_pk(salt: str, token: str) -> int | None:
    try:
        return int(signing.Signer(salt=salt).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_token(subscription) -> str:
    return pk_token(UNSUBSCRIBE_SALT, subscription.pk)


def unsubscribe_pk(token: str) -> int | None:
    return signed_pk(UNSUBSCRIBE_SALT, token)


def manage_token(address: str) -> str:
    """`address` is a Subscription.address (the address's key)."""
    return signing.Signer(salt=MANAGE_SALT).sign(address)


def managed_address(token: str) -> str | None:
    try:
        return signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def letter_token(submission) -> str:
    return pk_token(LETTER_SALT, submission.pk)


def letter_pk(token: str) -> int | None:
    return signed_pk(LETTER_SALT, token)
