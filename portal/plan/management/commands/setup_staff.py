"""Create the staff groups, their permissions and the two-step approval workflow (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from portal.plan.staff import setup_staff


class Command(BaseCommand):
    help = "创建部门编辑与领导小组办公室两个工作组、权限及“两级审核”流程。"

    def handle(self, *args, **options):
        try:
            result = setup_staff()
        except LookupError as error:
            raise CommandError(f"{error} 请先运行 load_plan。") from error
        for line in result:
            self.stdout.write(line)
