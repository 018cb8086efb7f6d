"""For the office: a colleague lost their phone and recovery codes, so their devices go and they enrol anew."""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.services import mfa_reset


class Command(BaseCommand):
    help = "重置一名工作人员的两步验证(删除其身份验证器和恢复码);其下次登录后台时重新绑定。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="要重置的用户名")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"没有用户名为 {username} 的账号。") from None
        # Who ran it goes into the audit entry: the command has no admin user behind it.
        removed = mfa_reset(user=user, by=f"manage.py reset_mfa ({getpass.getuser()})")
        self.stdout.write(f"已重置 {username} 的两步验证(删除 {removed} 个设备);其下次登录后台时需重新绑定身份验证器。")
