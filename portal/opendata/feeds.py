"""Atom feeds of progress updates: the whole site, and one per domain.

Every link is absolute on SITE_URL (portal/core/links.py): Django's feeds would otherwise prefix the
Host header a request came in with.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from portal.core.links import absolute_url, page_url
from portal.plan.models import DomainPage
from portal.updates.models import UpdatePage

FEED_SIZE = 30


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def link(self):
        return absolute_url("/")

    def feed_url(self):
        return absolute_url(reverse("opendata:feed_updates"))

    def title(self):
        return f"{settings.WAGTAIL_SITE_NAME} · 工作进展"

    def subtitle(self):
        return "台山市基本公共服务均等化综合改革试点工作进展"

    def items(self):
        return UpdatePage.objects.live().public().order_by("-date", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        # Demo updates (load_demo_corpus) say so wherever they are listed, feed readers included.
        return f"【示例数据】{item.title}" if item.is_sample else item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return page_url(item)

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.last_published_at or item.date

    def item_author_name(self, item):
        return item.source


class DomainUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(DomainPage.objects.live(), slug=slug)

    def title(self, obj):
        return f"{settings.WAGTAIL_SITE_NAME} · {obj.title} · 工作进展"

    def link(self, obj):
        return page_url(obj)

    def feed_url(self, obj):
        return absolute_url(reverse("opendata:feed_domain", args=[obj.slug]))

    def items(self, obj):
        return UpdatePage.objects.live().public().filter(domains=obj).order_by("-date", "-pk")[:FEED_SIZE]


class IndicatorFeed(Feed):
    """One indicator: its approved measurements (what its followers are mailed), newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, pk):
        from portal.plan.models import IndicatorPage

        return get_object_or_404(IndicatorPage.objects.live().public(), pk=pk)

    def title(self, obj):
        return f"{settings.WAGTAIL_SITE_NAME} · {obj.title} · 监测数据"

    def link(self, obj):
        return page_url(obj)

    def feed_url(self, obj):
        return absolute_url(reverse("opendata:feed_indicator", args=[obj.pk]))

    def items(self, obj):
        return obj.measurements.filter(live=True).order_by("-last_published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        from portal.core.numbers import format_number

        title = f"{item.date:%Y-%m-%d}:{format_number(item.value)}{item.indicator.unit}"
        return f"【示例数据】{title}" if item.is_sample else title

    def item_description(self, item):
        return f"数据来源:{item.source}"

    def item_link(self, item):
        return f"{page_url(item.indicator)}#m{item.pk}"

    def item_pubdate(self, item):
        return item.last_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class ConsultationFeed(Feed):
    """One consultation's milestones (opened, closing in 3 days, outcome published): the same items as its digest."""

    feed_type = Atom1Feed

    def get_object(self, request, pk):
        from portal.participation.pages import ConsultationPage

        return get_object_or_404(ConsultationPage.objects.live().public(), pk=pk)

    def title(self, obj):
        return f"{settings.WAGTAIL_SITE_NAME} · 意见征集 · {obj.title}"

    def link(self, obj):
        return page_url(obj)

    def feed_url(self, obj):
        return absolute_url(reverse("opendata:feed_consultation", args=[obj.pk]))

    def items(self, obj):
        from django.utils import timezone

        from portal.follow.digest import consultation_events

        now = timezone.now()
        return [event for event in consultation_events(obj) if event.when <= now][::-1]

    def item_title(self, item):
        return item.text

    def item_link(self, item):
        return f"{item.url}#{int(item.when.timestamp())}"

    def item_pubdate(self, item):
        return item.when
