from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowConfig(AppConfig):
    name = "portal.follow"
    label = "follow"
    verbose_name = _("关注")
    default_auto_field = "django.db.models.BigAutoField"
