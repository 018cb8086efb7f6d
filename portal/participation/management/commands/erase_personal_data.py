"""Erase a citizen's name, phone, email and address from their letters, as the 隐私声明 promises on request."""

from django.core.management.base import BaseCommand, CommandError

from portal.participation import services
from portal.participation.models import Submission


class Command(BaseCommand):
    help = "按受理编号删除来信人的姓名、电话、电子邮箱和 IP 地址(来信内容和答复保留)。"

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="+", help="受理编号,例如 TS20260000001")

    def handle(self, *args, numbers, **options):
        found = {item.number: item for item in Submission.objects.filter(number__in=[n.upper() for n in numbers])}
        missing = [n for n in numbers if n.upper() not in found]
        if missing:
            raise CommandError(f"没有这些受理编号:{'、'.join(missing)};未删除任何信息。")
        for number, submission in sorted(found.items()):
            services.submission_erase_personal_data(submission=submission, user=None)
            self.stdout.write(f"{number}:已删除个人信息")
