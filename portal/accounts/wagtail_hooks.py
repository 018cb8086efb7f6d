"""The second step's pages under /admin/ and its entries in the audit log."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_mfa_urls():
    return [
        path("mfa/setup/", views.setup, name="portal_mfa_setup"),
        path("mfa/verify/", views.verify, name="portal_mfa_verify"),
    ]


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_action("portal.mfa_enrol", _("绑定两步验证"), _("绑定身份验证器并生成恢复码"))
    actions.register_action("portal.mfa_reset", _("重置两步验证"), _("重置两步验证:身份验证器和恢复码已删除"))
