"""Load (or refresh) the plan from the reviewed data file; `--sample` adds development sample data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.core import pagecache
from portal.plan.importer import PlanDataError, load_plan, load_samples


class Command(BaseCommand):
    help = "从仓库中经审校的数据文件导入试点方案(可重复执行,结果不变)。"

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="方案数据文件,默认为 portal/plan/data/plan.yaml")
        parser.add_argument("--sample", action="store_true", help="同时导入示例监测数据(仅开发环境)")
        parser.add_argument("--sample-file", type=Path, help="示例数据文件")

    def handle(self, *args, **options):
        if options["sample"] and not settings.PORTAL_ALLOW_SAMPLE_DATA:
            raise CommandError("当前环境禁止导入示例数据(PORTAL_ALLOW_SAMPLE_DATA 未开启)。")
        try:
            report = load_plan(options["file"])
            self.stdout.write(f"方案:{report.summary()}")
            if options["sample"]:
                samples = load_samples(options["sample_file"])
                self.stdout.write(f"示例数据:{samples.summary()}")
        except PlanDataError as error:
            raise CommandError(f"数据文件有误,未导入任何内容。{error}") from error
        # Pages and measurements are written in bulk here, without the signals that purge page by page.
        pagecache.purge_site()
