"""The daily digest: what happened to each followed thing since its subscription was last told.

Items are read at send time from what is still published (a measurement withdrawn before the digest goes
out is simply not there), in a fixed number of queries however many subscribers there are: one query
per kind of item for every followed target at once, then grouped in Python per subscription.

Idempotent: per batch of addresses, one transaction claims today's digest (DigestSent, unique per address
and day) and advances each subscription's `digest_through`; the mail leaves after the commit. A rerun
finds the claim and sends nobody a second copy. A send that fails is rolled back (claim removed,
`digest_through` restored) so tomorrow's digest carries it; a process killed between commit and send
loses that batch's digest (at most once, never twice).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.links import absolute_url
from portal.core.numbers import format_number
from portal.core.script import in_script
from portal.participation.models import Submission, SubmissionEvent
from portal.participation.pages import ConsultationPage
from portal.plan.models import DomainPage, IndicatorPage, Measurement
from portal.plan.status import Status
from portal.updates.models import UpdatePage

from . import tokens
from .models import DigestSent, Subscription
from .services import delete_expired, in_language, link

logger = logging.getLogger("portal.follow")
BATCH = 500
CLOSING_SOON = datetime.timedelta(days=3)
# A letter's steps the citizen is told of; 答复待审核 is the office's own step.
LETTER_STEPS = [
    Submission.Status.ACCEPTED,
    Submission.Status.ANSWERED,
    Submission.Status.CLOSED,
    Submission.Status.REJECTED,
]


@dataclass(frozen=True)
class Item:
    when: datetime.datetime
    text: str
    url: str


def page_link(page) -> str:
    parts = page.get_url_parts()
    return absolute_url(parts[2]) if parts else ""


def measurement_items(indicator_ids, since, cutoff) -> dict[int, list[Item]]:
    """Published measurements approved in the window, by indicator; also listed under their domain."""
    found = defaultdict(list)
    rows = (
        Measurement.objects.filter(
            live=True, indicator_id__in=indicator_ids, last_published_at__gt=since, last_published_at__lte=cutoff
        )
        .select_related("indicator__reading")
        .order_by("-last_published_at")
    )
    for m in rows:
        text = _("指标“%(name)s”公布新数据:%(date)s %(value)s%(unit)s(%(status)s)") % {
            "name": m.indicator.title,
            "date": m.date,
            "value": format_number(m.value),
            "unit": m.indicator.unit,
            "status": m.indicator.status_label,
        }
        found[m.indicator_id].append((m.indicator.path, Item(m.last_published_at, text, page_link(m.indicator))))
    return found


def deadline_items(indicator_ids, since, cutoff) -> dict[int, tuple[str, Item]]:
    """A target whose deadline passed in the window and whose status changed with it (按计划推进 → 滞后):
    no measurement was approved, yet a follower should hear of it. One query, from the stored readings."""
    found = {}
    for indicator in IndicatorPage.objects.live().filter(pk__in=list(indicator_ids)).with_readings():
        deadline = indicator.target_rule.deadline
        day_after = deadline + datetime.timedelta(days=1)
        moment = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))
        if not since < moment <= cutoff:
            continue
        before, after = indicator.status(deadline), indicator.status(day_after)
        if before == after:
            continue
        text = _("指标“%(name)s”的目标期限 %(deadline)s 已过,状态由“%(before)s”变为“%(after)s”") % {
            "name": indicator.title,
            "deadline": deadline,
            "before": Status(before).label,
            "after": Status(after).label,
        }
        found[indicator.pk] = (indicator.path, Item(moment, text, page_link(indicator)))
    return found


def consultation_events(page) -> list[Item]:
    """Opened, closing within 3 days, outcome published: each at the moment it became true, oldest first."""
    url = page_link(page)
    closes = timezone.localtime(page.closes_at).strftime("%Y-%m-%d %H:%M")
    events = [
        (page.opens_at, _("意见征集“%(title)s”开始征集意见,截止 %(closes)s")),
        (page.closes_at - CLOSING_SOON, _("意见征集“%(title)s”将于 %(closes)s 截止,还有3天")),
        (page.outcome_notified_at, _("意见征集“%(title)s”公布了征集结果")),
    ]
    found = [Item(when, text % {"title": page.title, "closes": closes}, url) for when, text in events if when]
    return sorted(found, key=lambda item: item.when)


def collect(subscriptions, cutoff) -> dict[int, list[Item]]:
    """Each subscription's items in (digest_through, cutoff], newest first."""
    if not subscriptions:
        return {}
    since = min(s.digest_through or s.confirmed_at for s in subscriptions)
    kinds = ContentType.objects.get_for_models(DomainPage, IndicatorPage, ConsultationPage)
    kind_of = {ct.pk: model for model, ct in kinds.items()}
    by_kind = defaultdict(dict)
    for s in subscriptions:
        if s.page_id:
            by_kind[kind_of.get(s.page.content_type_id)][s.page_id] = s.page
        else:
            by_kind[Submission][s.submission_id] = s.submission
    items = defaultdict(list)  # (model, target id) -> items

    domains = by_kind[DomainPage]
    indicators = dict(by_kind[IndicatorPage])
    # A domain's targets: every indicator page under it.
    domain_indicator_ids = []
    if domains:
        under = Q()
        for page in domains.values():
            under |= Q(path__startswith=page.path)
        domain_indicator_ids = list(IndicatorPage.objects.live().filter(under).values_list("pk", flat=True))
    followed_indicators = {*indicators, *domain_indicator_ids}
    by_indicator = measurement_items(followed_indicators, since, cutoff)
    for indicator_id, row in deadline_items(followed_indicators, since, cutoff).items():
        by_indicator[indicator_id].append(row)
    for indicator_id, rows in by_indicator.items():
        for path, item in rows:
            if indicator_id in indicators:
                items[IndicatorPage, indicator_id].append(item)
            for domain in domains.values():
                if path.startswith(domain.path):
                    items[DomainPage, domain.pk].append(item)
    if domains:
        pairs = list(
            UpdatePage.domains.through.objects.filter(
                domainpage_id__in=list(domains),
                updatepage__live=True,
                updatepage__first_published_at__gt=since,
                updatepage__first_published_at__lte=cutoff,
            ).values_list("updatepage_id", "domainpage_id")
        )
        updates = UpdatePage.objects.live().public().filter(pk__in={update_id for update_id, _d in pairs})
        updates = {page.pk: page for page in updates} if pairs else {}
        for update_id, domain_id in pairs:
            if page := updates.get(update_id):
                text = _("新的工作进展:%(title)s") % {"title": page.title}
                items[DomainPage, domain_id].append(Item(page.first_published_at, text, page_link(page)))
    for page in ConsultationPage.objects.live().public().filter(pk__in=list(by_kind[ConsultationPage])):
        items[ConsultationPage, page.pk] = [e for e in consultation_events(page) if since < e.when <= cutoff]
    letters = by_kind[Submission]
    if letters:
        events = SubmissionEvent.objects.filter(
            submission_id__in=list(letters), status__in=LETTER_STEPS, created_at__gt=since, created_at__lte=cutoff
        ).select_related("submission")
        for event in events:
            # The step, and what the tracking page says of it: "已转交…办理" when it changed hands, "已由…答复".
            text = _("您的来信 %(number)s:%(status)s") % {
                "number": event.submission.number,
                "status": event.get_status_display(),
            }
            if event.note:
                text += _(",%(note)s") % {"note": event.note.strip().rstrip("。")}
            url = link("participation:track", "zh-hans") + f"?number={event.submission.number}"
            items[Submission, event.submission_id].append(Item(event.created_at, text, url))

    result = {}
    for s in subscriptions:
        key = (Submission, s.submission_id) if s.submission_id else (kind_of.get(s.page.content_type_id), s.page_id)
        start = s.digest_through or s.confirmed_at
        result[s.pk] = sorted(
            (i for i in items.get(key, []) if start < i.when <= cutoff), key=lambda i: -i.when.timestamp()
        )
    return result


def compose(subscriptions, items_of) -> EmailMessage:
    """One address's digest, in the script and to the spelling of its latest confirmed subscription."""
    latest = max(subscriptions, key=lambda s: s.confirmed_at)
    language, email = latest.language, latest.email
    groups = sorted(
        ((s, items_of[s.pk]) for s in subscriptions if items_of[s.pk]), key=lambda g: -g[1][0].when.timestamp()
    )
    lines = [_("您好!以下是您关注的内容的最新进展(最新的在前):"), ""]
    for s, items in groups:
        lines.append(f"■ {s.target_title}")
        for item in items:
            lines.append(f"  · {timezone.localtime(item.when):%Y-%m-%d} {item.text}")
            if item.url:  # items are built once, in simplified, for every subscriber; links open in the reader's script
                lines.append(f"    {item.url if language == 'zh-hans' else in_script(item.url, language)}")
        lines.append("  " + _("不再关注这一项:") + link("follow:unsubscribe", language, tokens.unsubscribe_token(s)))
        lines.append("")
    token = tokens.manage_token(latest.address)
    manage = link("follow:manage", language, token)
    lines += [_("管理您的全部关注:%(url)s") % {"url": manage}, ""]
    lines.append(_("您收到这封邮件,是因为您在本平台确认了关注。每天最多一封。"))
    count = sum(len(items) for _s, items in groups)
    subject = _("您关注的内容有%(count)s条新进展") % {"count": count}
    unsubscribe_all = link("follow:unsubscribe_all", language, token)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_all}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return EmailMessage(
        in_language(subject, language), in_language("\n".join(lines), language), None, [email], headers=headers
    )


# Items and their links are built in simplified, whatever the calling process left active; compose() turns
# each mail into its reader's script.
@translation.override(settings.LANGUAGE_CODE)
def send_digests(now=None) -> dict:
    """Build and send today's digests; returns counts. Safe to run any number of times a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired = delete_expired(now)
    # A day's claims are needed only while that day's rerun could come: older ones (addresses) go.
    DigestSent.objects.filter(day__lt=today - datetime.timedelta(days=1)).delete()
    subscriptions = list(
        Subscription.objects.confirmed()
        .filter(confirmed_at__lt=now)
        .select_related("page", "submission")
        .order_by("address", "pk")
    )
    items_of = collect(subscriptions, now)
    by_address = defaultdict(list)  # one digest per address, however it was spelt (models.address_key)
    for s in subscriptions:
        by_address[s.address].append(s)
    quiet = [s.pk for s in subscriptions if not items_of[s.pk]]
    if quiet:  # nothing to tell: the window moves on for them with no mail
        Subscription.objects.filter(pk__in=quiet).update(digest_through=now)
    pending = sorted(address for address, subs in by_address.items() if any(items_of[s.pk] for s in subs))
    sent = skipped = failed = 0
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        with transaction.atomic():
            claimed = set(DigestSent.objects.filter(day=today, address__in=batch).values_list("address", flat=True))
            batch = [address for address in batch if address not in claimed]
            skipped += len(claimed)
            DigestSent.objects.bulk_create([DigestSent(address=address, day=today, sent_at=now) for address in batch])
            told = [s for address in batch for s in by_address[address] if items_of[s.pk]]
            Subscription.objects.filter(pk__in=[s.pk for s in told]).update(digest_through=now)
        messages = [compose(by_address[address], items_of) for address in batch]
        try:
            with get_connection() as connection:
                connection.send_messages(messages)
            sent += len(messages)
        except OSError as error:
            logger.warning("a batch of %s digests failed and will be retried: %s", len(messages), error)
            failed += len(messages)
            with transaction.atomic():
                DigestSent.objects.filter(day=today, address__in=batch).delete()
                Subscription.objects.bulk_update(told, ["digest_through"])  # the values still held in memory
    return {"sent": sent, "skipped": skipped, "failed": failed, "expired": expired}
