"""Demo progress updates for development: `--updates N` publishes demo updates 1..N, `--delete` removes them.

Refused where PORTAL_ALLOW_SAMPLE_DATA is off (production), like `load_plan --sample`. Every demo update
is labelled 示例数据. Afterwards the search index is rebuilt (rebuild_search_index) unless `--no-index`.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.core import pagecache
from portal.updates import demo, services


class Command(BaseCommand):
    help = "生成示例工作进展(仅开发环境):按领域引用方案原文撰写,标注“示例数据”,可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--updates", type=int, metavar="N", help="示例工作进展的篇数(已有的不重复生成)")
        parser.add_argument("--delete", action="store_true", help="删除全部示例工作进展")
        parser.add_argument("--seed", type=int, default=demo.DEMO_SEED, help="随机种子(相同种子生成相同内容)")
        parser.add_argument("--no-index", action="store_true", help="不重建搜索索引")

    def handle(self, *args, **options):
        if not settings.PORTAL_ALLOW_SAMPLE_DATA:
            raise CommandError("当前环境禁止导入示例数据(PORTAL_ALLOW_SAMPLE_DATA 未开启)。")
        count, delete = options["updates"], options["delete"]
        if count is None and not delete:
            raise CommandError("请指定 --updates N(生成 N 篇)或 --delete(全部删除)。")
        if count is not None and count < 0:
            raise CommandError("--updates 不能为负数。")
        started = time.perf_counter()
        deleted = created = 0
        if delete:
            step = time.perf_counter()
            deleted = services.demo_updates_delete()
            self.stdout.write(f"删除 {deleted} 篇,用时 {time.perf_counter() - step:.1f} 秒")
        if count:
            try:
                load = services.demo_updates_create(count=count, seed=options["seed"])
            except services.DemoCorpusError as error:
                raise CommandError(str(error)) from error
            created = load.created
            self.stdout.write(" · ".join(f"{name} {seconds:.1f} 秒" for name, seconds in load.seconds.items()))
        if created or deleted:
            pagecache.purge_site()  # written in bulk, without the signals that purge page by page
        if (created or deleted) and not options["no_index"]:
            step = time.perf_counter()
            call_command("rebuild_search_index", "--no-progress", stdout=self.stdout, verbosity=options["verbosity"])
            self.stdout.write(f"搜索索引 {time.perf_counter() - step:.1f} 秒")
        total = services.demo_updates().count()
        self.stdout.write(
            f"示例工作进展:新建 {created} 篇,删除 {deleted} 篇,现有 {total} 篇(均标注“示例数据”),"
            f"共用时 {time.perf_counter() - started:.1f} 秒。"
        )
