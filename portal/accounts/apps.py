"""App config for staff accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "工作人员账号"

    def ready(self):
        from axes.signals import user_locked_out

        from . import services

        user_locked_out.connect(services.log_lockout, dispatch_uid="portal-accounts-lockout")
