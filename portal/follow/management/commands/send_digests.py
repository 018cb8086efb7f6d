"""Send today's digests (one mail per address per day; safe to rerun), or, with --every, keep doing so.

manage.py send_digests              send now, in this process, and print the counts
manage.py send_digests --every 600  wake every 600 s; from DIGEST_HOUR on, once a day, enqueue the
                                    django-tasks task that `db_worker` runs (make run-prod supervises it)
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from portal.follow.digest import send_digests
from portal.follow.tasks import send_digests_task


class Command(BaseCommand):
    help = "发送关注汇总邮件(每个邮箱每天最多一封,重复运行不会重复发送)"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="每隔多少秒检查一次,到 DIGEST_HOUR 后每天入队一次")

    def handle(self, *args, every=0, **options):
        if not every:
            counts = send_digests()
            self.stdout.write(
                "sent {sent}, already sent today {skipped}, failed {failed}, expired unconfirmed {expired}".format(
                    **counts
                )
            )
            return
        last_day = None
        while True:
            now = timezone.localtime()
            if now.hour >= settings.DIGEST_HOUR and now.date() != last_day:
                close_old_connections()
                send_digests_task.enqueue()  # the DigestSent claims make a second enqueue the same day harmless
                last_day = now.date()
                self.stdout.write(f"{now:%Y-%m-%d %H:%M} digests enqueued")
                self.stdout.flush()
            time.sleep(every)
