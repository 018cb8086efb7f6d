"""Send Elasticsearch the index changes it has not taken yet (the outbox, search/outbox.py).

Once, for an operator after an outage (`--all` ignores the backoff), or every N seconds under a
supervisor (`--every 30`). The loop outlives an Elasticsearch outage by design (changes wait in
PostgreSQL) and a PostgreSQL restart too: a failed round is logged, its connection closed before
the next one, and the drainer reconnects; whatever else goes wrong ends the process non-zero for the
supervisor to restart it.
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, close_old_connections

from search import engine, indexing

logger = logging.getLogger("portal.search")


class Command(BaseCommand):
    help = "把 Elasticsearch 尚未接收的索引变更重新发送(待同步的索引变更)。"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="不等重试时间,全部立即发送")
        parser.add_argument("--every", type=float, metavar="秒", help="常驻运行,每隔这么多秒发送一次到期的变更")

    def handle(self, *args, **options):
        if options["every"] is None:
            sent, waiting = indexing.drain(everything=options["all"])
            self.stdout.write(f"已发送 {sent} 条,仍待发送 {waiting} 条。")
            return
        if options["every"] <= 0:
            raise CommandError("--every 必须大于 0")
        if not engine.enabled():
            logger.warning("ELASTICSEARCH_URL is not set: nothing is ever queued, the drainer idles")
        while True:
            self._round(everything=options["all"])
            time.sleep(options["every"])

    def _round(self, *, everything: bool) -> None:
        # As db_worker does between tasks: drop a connection that failed or outlived CONN_MAX_AGE, so a
        # restarted PostgreSQL costs one failed round, not the process.
        close_old_connections()
        try:
            sent, waiting = indexing.drain(everything=everything)
        except (OperationalError, InterfaceError) as error:
            logger.warning("Search outbox: the database is unavailable, next round retries: %s", error)
            close_old_connections()
            return
        if sent or waiting:
            logger.info("Search outbox: %d sent, %d waiting", sent, waiting)
