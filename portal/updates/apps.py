"""App config for progress updates; connects the publish signals that turn blocks into measurements."""

from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "portal.updates"
    label = "updates"
    verbose_name = "工作进展"

    def ready(self):
        from . import signals

        signals.connect()
