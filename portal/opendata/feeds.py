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
