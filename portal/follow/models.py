"""Subscriptions (关注): an email address following a domain, an indicator, a consultation or a letter.

The address is personal data: it lives only in Subscription.email, is never rendered on a public page,
never indexed (no search_fields, not a page) and never in open data; `manage.py erase_personal_data
--email` deletes an address's subscriptions. What a digest holds is not stored here: it is read at send
time from what is still published (portal/follow/digest.py), so a measurement withdrawn before the digest
goes out is never mailed. `digest_through` records how far each subscription has been told.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.participation.models import keyed_digest

LANGUAGES = [("zh-hans", _("简体")), ("zh-hant", _("繁體"))]


def address_key(email: str) -> str:
    """An address as the site counts and finds it, without holding it: a keyed digest of it in lower case.

    Mail systems treat Wang@… and wang@… as one mailbox, so one person is one address here: one
    subscription per target, one digest a day, one set of limits. Manage links carry this key, not
    the address, so no address shows in a link, a browser's history or a server's access log."""
    return keyed_digest(email.strip().lower())


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def expired(self, now=None):
        """Never confirmed within CONFIRM_DAYS: deleted, never mailed."""
        from .tokens import CONFIRM_MAX_AGE

        now = now or timezone.now()
        return self.filter(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_MAX_AGE)


class Subscription(models.Model):
    email = models.EmailField(_("电子邮箱"))
    address = models.CharField(_("邮箱键"), max_length=64, db_index=True, editable=False)
    # What is followed: a live page (a domain, an indicator or a consultation), or a citizen's own letter.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("页面")
    )
    submission = models.ForeignKey(
        "participation.Submission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("来信"),
    )
    language = models.CharField(_("文字"), max_length=8, choices=LANGUAGES, default="zh-hans")
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # Everything that happened up to this moment has been mailed (or predates the subscription).
    digest_through = models.DateTimeField(_("已通知至"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        permissions = [("send_notice", _("可向意见征集的关注者发送通知"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=False, submission__isnull=True)
                | Q(page__isnull=True, submission__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(fields=["address", "page"], name="follow_unique_address_page"),
            models.UniqueConstraint(fields=["address", "submission"], name="follow_unique_address_submission"),
        ]

    def __str__(self):
        return str(self.target_title)

    def save(self, *args, update_fields=None, **kwargs):
        self.address = address_key(self.email)
        if update_fields is not None and "email" in update_fields:
            update_fields = {*update_fields, "address"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def target_title(self) -> str:
        if self.submission_id:
            return _("您的来信 %(number)s") % {"number": self.submission.number}
        return self.page.title


class DigestSent(models.Model):
    """One digest per address per day: claimed in the same transaction that advances `digest_through`,
    before the mail leaves, so a rerun after a crash finds it and sends nobody a second copy. It holds
    the address's key (address_key), never the address."""

    address = models.CharField(max_length=64)
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "day"], name="follow_one_digest_an_address_a_day")]

    def __str__(self):
        return f"{self.day}"
