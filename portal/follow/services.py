"""Writes on subscriptions: asking to follow, confirming, leaving, erasing. Mail goes out after commit,
through django-tasks (immediate in development and tests; `manage.py db_worker` in production)."""

import logging

from django_tasks import task

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.links import absolute_url
from portal.core.script import to_traditional
from portal.participation.ratelimit import DAY, hit

from . import tokens
from .models import DigestSent, Subscription, address_key

logger = logging.getLogger("portal.follow")


def in_language(text: str, language: str) -> str:
    """Mail is written in simplified Chinese and converted, like the pages, for a subscription made under /zh-hant/."""
    return to_traditional(text) if language == "zh-hant" else text


def link(name: str, language: str, *args) -> str:
    """An absolute link on SITE_URL in the subscription's script (/zh-hant/… for traditional)."""
    with translation.override(language):
        return absolute_url(reverse(name, args=args))


def address_allowed(email: str) -> bool:
    """Per-address bound on confirmation mail, so the form cannot be used to flood someone's mailbox.

    Counted under a keyed digest: the cache never holds the address itself."""
    return hit(f"follow:rate:addr:{address_key(email)}", DAY) <= settings.FOLLOW_MAX_PER_ADDRESS


def ip_allowed(ip: str | None) -> bool:
    return not ip or hit(f"follow:rate:ip:{ip}", DAY) <= settings.FOLLOW_MAX_PER_IP


def follow_request(*, email: str, page=None, submission=None, language: str = "zh-hans") -> Subscription:
    """Ask to follow: a new or still unconfirmed subscription gets a confirmation mail; a confirmed one
    gets nothing (the page the resident sees is the same either way, so it tells nobody who follows what)."""
    email = email.strip()
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            address=address_key(email),
            page=page,
            submission=submission,
            defaults={"email": email, "language": language},
        )
        if subscription.confirmed_at:
            return subscription
        if not created:  # asked again: a fresh week to confirm, in the script and spelling asked with last
            subscription.created_at = timezone.now()
            subscription.language = language
            subscription.email = email
            subscription.save(update_fields=["created_at", "language", "email"])
        transaction.on_commit(lambda: send_confirmation.enqueue(subscription.pk))
    return subscription


@task()
def send_confirmation(pk: int) -> None:
    subscription = Subscription.objects.select_related("page", "submission").filter(pk=pk).first()
    if subscription is None or subscription.confirmed_at:
        return
    language = subscription.language
    subject = _("请确认关注:%(title)s") % {"title": subscription.target_title}
    body = _(
        "您好!\n\n有人(希望是您本人)在台山市基本公共服务均等化公开与参与平台上用这个邮箱申请关注“%(title)s”。\n"
        "确认后,有新进展时我们每天最多给您发一封汇总邮件。请在7天内打开下面的链接并点击“确认关注”:\n\n%(url)s\n\n"
        "如果不是您本人申请,请忽略本邮件:不确认就不会再收到任何邮件,申请在7天后自动删除。\n"
    ) % {
        "title": subscription.target_title,
        "url": link("follow:confirm", language, tokens.confirm_token(subscription)),
    }
    try:
        send_mail(in_language(subject, language), in_language(body, language), None, [subscription.email])
    except OSError as error:  # the resident can ask again; the failure is logged without the address
        logger.warning("confirmation mail for subscription %s failed: %s", pk, error)


def confirm(subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        now = timezone.now()
        subscription.confirmed_at = now
        subscription.digest_through = now  # what happened before confirming is on the page, not in the mail
        subscription.save(update_fields=["confirmed_at", "digest_through"])


def delete_expired(now=None) -> int:
    return Subscription.objects.expired(now).delete()[0]


def erase_address(email: str) -> int:
    """Every subscription of an address, confirmed or not, and its digest records (the personal-data erasure)."""
    key = address_key(email)
    DigestSent.objects.filter(address=key).delete()
    # By the stored address too: keys made before a change of SECRET_KEY no longer match address_key(email).
    return Subscription.objects.filter(Q(address=key) | Q(email__iexact=email.strip())).delete()[0]
