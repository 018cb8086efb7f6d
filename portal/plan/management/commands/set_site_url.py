"""Give the default Wagtail site SITE_URL's hostname and port (idempotent; run at every deploy).

Open data, feeds and mail take their links from SITE_URL directly; this makes Wagtail's own full
URLs (the admin's "view live" links, notification mail) agree with them. Requests for any other
host still reach the default site, so nothing stops answering when the address changes.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


class Command(BaseCommand):
    help = "按 SITE_URL 设置 Wagtail 默认站点的主机名和端口(可重复执行)。"

    def handle(self, *args, **options):
        address = urlsplit(settings.SITE_URL)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("还没有默认站点,请先运行 load_plan。")
        hostname, port = address.hostname, address.port or DEFAULT_PORTS[address.scheme]
        # A site without a name shows its host name atop the admin's dashboard: staff read the portal's name.
        name = site.site_name or settings.WAGTAIL_SITE_NAME
        if (site.hostname, site.port, site.site_name) != (hostname, port, name):
            site.hostname, site.port, site.site_name = hostname, port, name
            site.save(update_fields=["hostname", "port", "site_name"])
        self.stdout.write(f"站点地址:{settings.SITE_URL}(主机名 {hostname},端口 {port})")
