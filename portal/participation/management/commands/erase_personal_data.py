"""Erase a citizen's name, phone, email and address from their letters, and an address's 关注 subscriptions,
as the 隐私声明 promises on request."""

from django.core.management.base import BaseCommand, CommandError

from portal.follow import services as follow
from portal.follow.models import Subscription
from portal.participation import services
from portal.participation.models import Submission


class Command(BaseCommand):
    help = (
        "按受理编号删除来信人的姓名、电话、电子邮箱和 IP 地址(来信内容和答复保留),"
        "以及对该来信的关注;--email 删除一个邮箱的全部关注。"
    )

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="*", help="受理编号,例如 TS20260000001")
        parser.add_argument("--email", action="append", default=[], help="删除这个邮箱的全部关注(可重复)")

    def handle(self, *args, numbers, email, **options):
        if not numbers and not email:
            raise CommandError("请给出受理编号或 --email。")
        found = {item.number: item for item in Submission.objects.filter(number__in=[n.upper() for n in numbers])}
        missing = [n for n in numbers if n.upper() not in found]
        if missing:
            raise CommandError(f"没有这些受理编号:{'、'.join(missing)};未删除任何信息。")
        for number, submission in sorted(found.items()):
            services.submission_erase_personal_data(submission=submission, user=None)
            # Following one's own letter is tied to it: the address that follows it goes with the letter's own.
            followed = Subscription.objects.filter(submission=submission).delete()[0]
            self.stdout.write(f"{number}:已删除个人信息" + (f",并删除对它的 {followed} 项关注" if followed else ""))
        for address in email:
            # The address itself is not echoed: the command's output may end up in a log.
            self.stdout.write(f"已删除该邮箱的 {follow.erase_address(address)} 项关注")
