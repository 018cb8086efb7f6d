"""The first staff account of a fresh deployment, for its operator: printed once, never stored in clear.

Production has no development accounts (create_dev_admin refuses there), so without this the first
person to reach the admin would need a shell and createsuperuser. The account joins the leading
group's office (领导小组办公室) with a random password shown only now; once the account exists,
running the command again changes nothing and prints no password.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from portal.plan.staff import OFFICE


class Command(BaseCommand):
    help = "创建运维人员的首个后台账号(领导小组办公室),随机密码只显示这一次;账号已存在时不作改动。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="operator", help="账号名,默认为 operator")

    def handle(self, *args, **options):
        username = options["username"]
        office = Group.objects.filter(name=OFFICE).first()
        if office is None:
            raise CommandError(f"还没有“{OFFICE}”工作组,请先运行 setup_staff。")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"账号 {username} 已存在,未作改动(密码只在创建时显示一次)。")
            return
        password = secrets.token_urlsafe(18)
        user = User.objects.create_user(username, password=password)
        user.groups.add(office)
        self.stdout.write(
            f"已创建后台账号 {username}({OFFICE}),密码:{password}\n"
            "密码只显示这一次,不会再次打印;请妥善保存,登录 /admin/ 后尽快修改。"
        )
