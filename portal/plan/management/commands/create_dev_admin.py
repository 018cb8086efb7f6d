"""Development accounts for trying the site and the approval workflow; refused outside dev settings."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from portal.plan.staff import EDITORS, OFFICE

DEV_PASSWORD = "taishan-dev-2014"
ACCOUNTS = [("admin", None, True), ("editor", EDITORS, False), ("office", OFFICE, False)]


class Command(BaseCommand):
    help = "创建开发用管理员、部门编辑和领导小组办公室账号(仅开发环境)。"

    def handle(self, *args, **options):
        if not getattr(settings, "PORTAL_DEV_ACCOUNTS", False):
            raise CommandError("只有开发环境(portal.settings.dev)可以创建开发账号。")
        User = get_user_model()
        for username, group_name, is_superuser in ACCOUNTS:
            user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@localhost"})
            if created:
                user.set_password(DEV_PASSWORD)
                user.is_superuser = user.is_staff = is_superuser
                user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
        self.stdout.write(
            f"开发账号(密码均为 {DEV_PASSWORD}):admin(超级管理员)、editor(部门编辑)、office(领导小组办公室);"
            "登录 /admin/"
        )
