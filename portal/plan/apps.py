"""App config for the plan; connects the signals that keep each indicator's stored reading current."""

from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "portal.plan"
    label = "plan"
    verbose_name = "试点方案"

    def ready(self):
        from . import signals

        signals.connect()
