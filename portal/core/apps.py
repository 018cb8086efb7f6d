"""App config for the shared core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "公共组件"

    def ready(self):
        from . import purging

        purging.connect()
