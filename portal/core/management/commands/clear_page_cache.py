"""Purge every page from the page cache (and nothing else from the shared cache)."""

from django.core.management.base import BaseCommand

from portal.core import pagecache


class Command(BaseCommand):
    help = "清空页面缓存:所有公开页面在下次访问时重新生成(限流计数等其他缓存不受影响)。"

    def handle(self, *args, **options):
        pagecache.purge_site()
        self.stdout.write("页面缓存已清空。")
